"""What a job's work kept, kept with it: the job's result, written in the
transaction that keeps its document, its file or its import's preview.

A case report retried after its document was kept (the worker stopped
before saying it was done) made a second document; an attempt that finds
the result kept gives it again and makes nothing twice.

Models here are frozen copies, independent of fieldapp.models."""
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column('job', 'kept_json', TextField(null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('job', 'kept_json'))
