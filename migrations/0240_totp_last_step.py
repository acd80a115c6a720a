"""Each user keeps the time-step (RFC 6238: Unix time // 30) of the last
one-time code accepted from their authenticator app, so no code (and no code
of an earlier step) is accepted twice.

Models here are frozen copies, independent of fieldapp.models."""
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column('user', 'totp_last_step', BigIntegerField(null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('user', 'totp_last_step'))
