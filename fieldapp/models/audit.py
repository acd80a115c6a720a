from peewee import CharField, DateTimeField, ForeignKeyField, TextField

from fieldapp.models.base import BaseModel, utcnow
from fieldapp.models.documents import DocumentRecord
from fieldapp.models.people import Student, User


class AccessLog(BaseModel):
    """Every view or disclosure of a student's record (34 CFR 99.32)."""
    user = ForeignKeyField(User, backref="+")
    student = ForeignKeyField(Student, backref="access_log", index=True)
    action = CharField()  # view, disclose, ...
    path = CharField(default="")
    ip = CharField(default="")
    at = DateTimeField(default=utcnow)
    # A disclosure names what was given out and to whom (34 CFR 99.32(a)(3)).
    document = ForeignKeyField(DocumentRecord, null=True, backref="disclosures")
    recipient = CharField(default="")


class AuditEvent(BaseModel):
    """Who changed what: log-ins, users, cases."""
    user = ForeignKeyField(User, null=True, backref="+")
    action = CharField()
    object_type = CharField(default="")
    object_id = CharField(default="")
    detail = TextField(default="")  # text from outside (an e-mail typed), shown as it is
    # What the app says of the line: a code of fieldapp.accounts.audit.DETAILS and its values (JSON).
    detail_code = CharField(default="")
    detail_values = TextField(default="")
    ip = CharField(default="")
    at = DateTimeField(default=utcnow, index=True)
    # JSON of what an administrative change changed, as it was and as it became.
    before = TextField(default="")
    after = TextField(default="")
