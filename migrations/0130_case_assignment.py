"""Case assignment: when the case was last given to its officer and by whom,
so an officer's caseload can put cases handed to them first, and an index
for the district case list by status and school."""
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    migrator.migrate(
        migrator.add_column('case', 'assigned_at', DateTimeField(null=True)),
        migrator.add_column('case', 'assigned_by_id',
                            ForeignKeyField(User, null=True, field=User.id, on_delete='SET NULL')),
        migrator.add_index('case', ('status', 'school_id'), False),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index('case', 'case_status_school_id'),
        migrator.drop_column('case', 'assigned_by_id'),
        migrator.drop_column('case', 'assigned_at'),
    )
