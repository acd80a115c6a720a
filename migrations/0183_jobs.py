"""Background jobs and their progress (fieldapp.models.jobs). A frozen copy
of the model, so this migration keeps meaning what it meant when written."""
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Job(Model):
        key = CharField(unique=True)
        kind = CharField()
        user = ForeignKeyField(User, index=True)
        params_json = TextField(default='{}')
        state = CharField(default='queued', index=True)
        done = IntegerField(default=0)
        total = IntegerField(default=0)
        step = CharField(default='')
        reason = TextField(default='')
        result_json = TextField(default='{}')
        attempts = IntegerField(default=0)
        created_at = DateTimeField(index=True)
        started_at = DateTimeField(null=True)
        finished_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = 'job'

    db.create_tables([Job])


def down(migrator, db):
    db.execute_sql('DROP TABLE IF EXISTS "job"')
