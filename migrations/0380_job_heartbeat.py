"""A running job's heartbeat: when its worker last said it was still at it.

A worker stopped mid-job (a restart, a crash, a machine gone) leaves its job
"running" for ever; a heartbeat older than the lease (JOBS_LEASE_SECONDS)
says nobody is doing the work any more, so the job is shown and kept as
failed and can be tried again.

Models here are frozen copies, independent of fieldapp.models."""
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column('job', 'heartbeat_at', DateTimeField(null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('job', 'heartbeat_at'))
