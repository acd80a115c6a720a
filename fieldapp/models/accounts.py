"""Sessions kept on the server, rate-limit counters, MFA recovery codes."""
from peewee import BooleanField, CharField, DateTimeField, DoubleField, ForeignKeyField, IntegerField

from fieldapp.models.base import BaseModel
from fieldapp.models.people import User


class UserSession(BaseModel):
    """One logged-in browser or phone. The cookie carries a random token; only
    its SHA-256 is stored, so reading this table opens no session."""
    token_hash = CharField(primary_key=True, max_length=64)
    user = ForeignKeyField(User, backref="sessions", on_delete="CASCADE", index=True)
    created_at = DateTimeField()
    last_seen_at = DateTimeField()
    ip = CharField(default="")
    user_agent = CharField(default="")
    mfa_done = BooleanField(default=False)
    ended_at = DateTimeField(null=True)
    ended_why = CharField(default="")  # logout, idle, expired, others, deactivated, reset


class RateLimitCounter(BaseModel):
    """A fixed-window counter of the `limits` library, kept in the database."""
    key = CharField(primary_key=True)
    count = IntegerField(default=0)
    expires_at = DoubleField()  # seconds since the epoch


class RecoveryCode(BaseModel):
    """A one-use code that stands in for the authenticator app."""
    user = ForeignKeyField(User, backref="recovery_codes", on_delete="CASCADE", index=True)
    code_hash = CharField()
    used_at = DateTimeField(null=True)
