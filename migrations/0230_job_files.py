"""The file a job works on (fieldapp.models.jobs.JobFile): an uploaded import
waits here for the worker that previews it. A frozen copy of the model, so
this migration keeps meaning what it meant when written."""
from peewee import *


def up(migrator, db):
    class Job(Model):
        class Meta:
            database = db
            table_name = 'job'

    class JobFile(Model):
        job = ForeignKeyField(Job, unique=True, on_delete='CASCADE')
        data = BlobField()

        class Meta:
            database = db
            table_name = 'job_file'

    db.create_tables([JobFile])


def down(migrator, db):
    db.execute_sql('DROP TABLE IF EXISTS "job_file"')
