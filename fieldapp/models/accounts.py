"""Sessions kept on the server, rate-limit counters, MFA recovery codes."""
from peewee import BooleanField, CharField, DateTimeField, DoubleField, ForeignKeyField, IntegerField, TextField

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


class SentForm(BaseModel):
    """A write form as it was sent, once (fieldapp.web.once): the same form
    sent again (a double click, a browser that sends it twice) is answered
    with what the first did, not done twice. `digest` is the SHA-256 of the
    form's key and content; `location` and `messages` (JSON) are the first
    answer's redirect and what it said, null while the first is in hand;
    `page` is the HTML of a first answer shown in place (a 200 that says
    what was done), null for a redirect."""
    digest = CharField(primary_key=True, max_length=64)
    user = ForeignKeyField(User, on_delete="CASCADE", index=True)
    sent_at = DateTimeField()
    location = CharField(max_length=2000, null=True)
    messages = TextField(null=True)
    page = TextField(null=True)
