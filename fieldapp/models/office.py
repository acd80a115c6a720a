"""What the front office records for a student outside a case: referrals to
the attendance officer, and excuse notes with the days they cover (migration 0131)."""
from peewee import CharField, DateField, DateTimeField, ForeignKeyField, TextField

from fieldapp.models.base import BaseModel, utcnow
from fieldapp.models.cases import Case
from fieldapp.models.people import School, Student, User


class Referral(BaseModel):
    """A student referred to the attendance officer; waiting until the officer
    opens a case (accepted) or says why not (declined)."""
    student = ForeignKeyField(Student, backref="referrals", index=True)
    school = ForeignKeyField(School, index=True)
    reason = CharField()  # codes.REASONS
    note = TextField(default="")
    officer = ForeignKeyField(User, null=True, backref="referrals", index=True)
    referred_by = ForeignKeyField(User, backref="+")
    referred_at = DateTimeField(default=utcnow)
    status = CharField(default="waiting", index=True)  # codes.REFERRAL_STATUSES
    case = ForeignKeyField(Case, null=True, backref="referrals")
    answered_by = ForeignKeyField(User, null=True, backref="+")
    answered_at = DateTimeField(null=True)
    answer = TextField(default="")

    @property
    def shown_status(self):
        """The status as the front office reads it: a waiting referral nobody
        holds waits in the unassigned queue ("queued"), for a supervisor."""
        return "queued" if self.status == "waiting" and self.officer_id is None else self.status


class ExcuseNote(BaseModel):
    """A parent's or doctor's excuse for named days of absence, as the front office received it."""
    student = ForeignKeyField(Student, backref="excuse_notes", index=True)
    school = ForeignKeyField(School)
    received_how = CharField()  # codes.EXCUSE_CHANNELS
    from_whom = CharField(default="")
    reason = CharField()  # codes.REASONS
    note = TextField(default="")
    recorded_by = ForeignKeyField(User, backref="+")
    recorded_at = DateTimeField(default=utcnow)


class ExcuseNoteDay(BaseModel):
    """One school day an excuse note covers."""
    excuse_note = ForeignKeyField(ExcuseNote, backref="days", on_delete="CASCADE")
    student = ForeignKeyField(Student, backref="+")
    date = DateField()

    class Meta:
        indexes = ((("student", "date"), False), (("excuse_note", "date"), True))
