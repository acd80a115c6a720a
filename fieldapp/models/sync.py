"""What sync keeps beside the contacts: conflicts for a supervisor, device reports."""
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField, UUIDField

from fieldapp.models.base import BaseModel, utcnow
from fieldapp.models.cases import Contact
from fieldapp.models.people import User


class SyncConflict(BaseModel):
    """A phone sent a contact UUID that is already stored with other content.

    The stored contact stays; the second version is kept here, whole, until a
    supervisor resolves it (keep the first, or add the second as a new contact).
    """
    contact_uuid = UUIDField(index=True)
    contact = ForeignKeyField(Contact, backref="sync_conflicts")
    sender = ForeignKeyField(User, backref="+")
    payload = TextField()  # the entry as the phone sent it, JSON
    payload_hash = CharField()  # one row per distinct second version
    errors = TextField(default="")  # field errors of the second version, JSON, if any
    device_id = CharField(default="")
    received_at = DateTimeField(default=utcnow, index=True)
    resolved_at = DateTimeField(null=True, index=True)
    resolved_by = ForeignKeyField(User, null=True, backref="+")
    resolution = CharField(default="")  # codes.CONFLICT_RESOLUTIONS
    resolution_note = TextField(default="")
    added_contact = ForeignKeyField(Contact, null=True, backref="+")

    class Meta:
        indexes = ((("contact_uuid", "payload_hash"), True),)


class DeviceReport(BaseModel):
    """The last thing a phone said about its outbox: how many entries wait, since when."""
    device_id = CharField(unique=True)
    user = ForeignKeyField(User, backref="devices", index=True)
    pending = IntegerField(default=0)
    oldest_pending_at = DateTimeField(null=True, index=True)
    last_sync_at = DateTimeField(default=utcnow)
    user_agent = CharField(default="")
