"""Accounts: server-side sessions, rate-limit counters (in place of login_throttle), the user's lifecycle
(password to change, deactivation), a second factor, and the before/after of
administrative changes in the audit trail.

Models here are frozen copies, independent of fieldapp.models, so this
migration keeps meaning what it meant when it was written."""
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class UserSession(Model):
        # SHA-256 of the token in the cookie: a copy of this table opens nothing.
        token_hash = CharField(primary_key=True, max_length=64)
        user = ForeignKeyField(User, on_delete='CASCADE', index=True)
        created_at = DateTimeField()
        last_seen_at = DateTimeField()
        ip = CharField(default='')
        user_agent = CharField(default='')
        mfa_done = BooleanField(default=False)
        ended_at = DateTimeField(null=True)
        ended_why = CharField(default='')
        class Meta:
            database = db
            table_name = 'user_session'

    class RateLimitCounter(Model):
        key = CharField(primary_key=True)
        count = IntegerField(default=0)
        expires_at = DoubleField()  # seconds since the epoch
        class Meta:
            database = db
            table_name = 'rate_limit_counter'

    class RecoveryCode(Model):
        user = ForeignKeyField(User, on_delete='CASCADE', index=True)
        code_hash = CharField()
        used_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'recovery_code'

    db.create_tables([UserSession, RateLimitCounter, RecoveryCode])
    # Log-in failures are counted in rate_limit_counter from now on.
    db.execute_sql('DROP TABLE login_throttle')
    migrator.migrate(
        migrator.add_column('user', 'must_change_password', BooleanField(default=False)),
        migrator.add_column('user', 'password_changed_at', DateTimeField(null=True)),
        migrator.add_column('user', 'last_login_at', DateTimeField(null=True)),
        migrator.add_column('user', 'totp_secret', CharField(default='')),
        migrator.add_column('user', 'totp_enabled_at', DateTimeField(null=True)),
        migrator.add_column('audit_event', 'before', TextField(default='')),
        migrator.add_column('audit_event', 'after', TextField(default='')),
        migrator.add_index('audit_event', ('object_type', 'object_id'), False),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index('audit_event', 'audit_event_object_type_object_id'),
        migrator.drop_column('audit_event', 'after'),
        migrator.drop_column('audit_event', 'before'),
        migrator.drop_column('user', 'totp_enabled_at'),
        migrator.drop_column('user', 'totp_secret'),
        migrator.drop_column('user', 'last_login_at'),
        migrator.drop_column('user', 'password_changed_at'),
        migrator.drop_column('user', 'must_change_password'),
    )
    db.execute_sql('DROP TABLE recovery_code')
    db.execute_sql('DROP TABLE rate_limit_counter')
    db.execute_sql('DROP TABLE user_session')
    db.execute_sql('CREATE TABLE login_throttle (email VARCHAR(255) PRIMARY KEY, '
                   'failures INTEGER NOT NULL DEFAULT 0, locked_until TIMESTAMP)')
