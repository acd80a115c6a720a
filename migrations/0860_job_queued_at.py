"""When a job was last handed to the workers: made, or tried again.

A job no worker takes (the worker service stopped, or never started) read
"Waiting for a worker…" for ever; a job queued longer than the lease
(JOBS_LEASE_SECONDS) says that no worker has started it, and a job tried
again is counted from its retry, not from when it was first asked for.
Rows from before have none: they count from when they were made.

Models here are frozen copies, independent of fieldapp.models."""
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column('job', 'queued_at', DateTimeField(null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('job', 'queued_at'))
