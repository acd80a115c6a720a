"""Follow-ups planned on cases, kept as tasks."""
from peewee import CharField, DateField, DateTimeField, ForeignKeyField

from fieldapp.models.base import BaseModel, utcnow
from fieldapp.models.cases import Case, Contact
from fieldapp.models.people import User


class FollowUp(BaseModel):
    """A follow-up a contact planned on a case (its follow-up date).

    It stays open until an officer marks it done, or a later contact plans
    another on purpose (status `replaced`); a contact with no date leaves it as
    it is. Case.next_follow_up is the due date of the case's open one.
    """
    case = ForeignKeyField(Case, backref="follow_ups", index=True)
    due_on = DateField(index=True)
    planned_by = ForeignKeyField(Contact, null=True, unique=True, backref="+")
    created_at = DateTimeField(default=utcnow)
    status = CharField(default="open", index=True)  # open, done, replaced
    closed_at = DateTimeField(null=True)
    closed_by = ForeignKeyField(User, null=True, backref="+")
