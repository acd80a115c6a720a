"""Imports are previewed before they change anything and can be undone.

An import waiting for confirmation keeps its file (import_file) so that any
app server can apply it; every row an applied import changed is journalled
(import_change) with its earlier values; attendance marks name the import
that stored them; a guardian link that a roster no longer lists is ended,
not deleted.

Models here are frozen copies, independent of fieldapp.models."""
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class ImportRun(Model):
        class Meta:
            database = db
            table_name = 'import_run'

    migrator.migrate(
        migrator.add_column('import_run', 'confirm_phrase', CharField(default='')),
        migrator.add_column('import_run', 'examples_json', TextField(default='{}')),
        migrator.add_column('import_run', 'applied_at', DateTimeField(null=True)),
        migrator.add_column('import_run', 'undone_at', DateTimeField(null=True)),
        migrator.add_column('import_run', 'undone_by_id', IntegerField(null=True)),
        migrator.add_column('import_run', 'undo_counts_json', TextField(default='{}')),
        migrator.add_column('student_guardian', 'ended_at', DateTimeField(null=True)),
        migrator.add_column('attendance_event', 'import_run_id', IntegerField(null=True)),
    )

    class ImportFile(Model):
        run = ForeignKeyField(ImportRun, unique=True, on_delete='CASCADE')
        data = BlobField()
        class Meta:
            database = db
            table_name = 'import_file'

    class ImportChange(Model):
        run = ForeignKeyField(ImportRun, on_delete='CASCADE', index=True)
        table = CharField()
        row_id = IntegerField()
        action = CharField()
        before_json = TextField(default='')
        after_json = TextField(default='')
        class Meta:
            database = db
            table_name = 'import_change'
    db.create_tables([ImportFile, ImportChange])
