"""Cases and the contacts logged on them."""
from peewee import (
    BooleanField, CharField, DateField, DateTimeField, DoubleField,
    ForeignKeyField, IntegerField, TextField, UUIDField,
)

from fieldapp.models.base import BaseModel, utcnow
from fieldapp.models.people import School, Student, User


class Case(BaseModel):
    student = ForeignKeyField(Student, backref="cases", index=True)
    school = ForeignKeyField(School, index=True)
    school_year = CharField()
    # The status and the officer are found through wider indexes that start
    # with them, not indexes of their own (migration 0711).
    status = CharField(default="open", index=False)
    stage = CharField(default="monitoring")
    officer = ForeignKeyField(User, null=True, backref="cases", index=False)
    # When and by whom the case was last given to its officer (migration 0130).
    assigned_at = DateTimeField(null=True)
    assigned_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    opened_at = DateTimeField(default=utcnow)
    opened_by = ForeignKeyField(User, backref="+")
    closed_at = DateTimeField(null=True)
    closed_by = ForeignKeyField(User, null=True, backref="+")
    closure_reason = CharField(null=True)
    closure_note = TextField(default="")
    flags = CharField(default="")  # comma-separated codes.CASE_FLAGS
    # Derived from contacts, kept here so lists need no aggregate.
    contact_count = IntegerField(default=0)
    last_contact_at = DateTimeField(null=True)
    next_follow_up = DateField(null=True, index=True)
    # The stage is one the law ties to a letter (first notice, board referral)
    # and no such letter is on file: every place showing the stage says so.
    stage_without_record = BooleanField(default=False)
    # The student's sort key (Student.sort_key), kept equal by the database's
    # triggers (migration 0263): lists page cases in name order from an index.
    student_sort_key = CharField(default="")
    # The student's current school (Student.school), kept equal the same way
    # (migration 0264); not `school`, where the case was worked.
    student_school_id = IntegerField(default=0)

    class Meta:
        indexes = ((("status", "school"), False),)

    @property
    def flag_list(self):
        return [f for f in self.flags.split(",") if f]

    @property
    def is_open(self):
        return self.status == "open"

    @property
    def is_new_to_officer(self):
        """Handed to its officer by someone else and not worked by them since."""
        return bool(self.assigned_at and self.officer_id and self.assigned_by_id != self.officer_id
                    and (self.last_contact_at is None or self.last_contact_at < self.assigned_at))


def open_among_students():
    """The test that a case is open, for a query that names its students
    (Case.student IN (...)): written so that no index starting with status can
    serve it. SQLite without statistics (a database in use has none) took an
    index on (status, ...) for the query, and walked every open case of the
    district (6 ms on 100,000 students) to find the few of the students named,
    which the student's index finds at once. Where a single student is named
    (Case.student == id), or the case is joined on its student, SQLite
    already takes the student's index and `Case.status == "open"` is kept."""
    return Case.status.concat("") == "open"


class CaseEvent(BaseModel):
    """A change of a case's state: opened, stage changed, reassigned, closed."""
    case = ForeignKeyField(Case, backref="events", on_delete="CASCADE")
    kind = CharField()
    from_value = CharField(default="")
    to_value = CharField(default="")
    note = TextField(default="")  # what the person who made the change typed
    # What the app said of the change, as a code and values in JSON, said in
    # the reader's language (fieldapp.cases.history_text.NOTES, migration 0510).
    note_code = CharField(default="")
    note_values = TextField(default="")
    by = ForeignKeyField(User, backref="+")
    at = DateTimeField(default=utcnow)


class Contact(BaseModel):
    """One attempt to reach a family or student. Never edited or deleted:
    a correction is a new contact whose `amends` points at the original."""
    uuid = UUIDField(unique=True)
    # The case, the author and the amended contact are found through wider
    # indexes that start with them (migration 0710), not indexes of their own.
    case = ForeignKeyField(Case, backref="contacts", index=False, null=True)  # None: a call with no case (0211)
    student = ForeignKeyField(Student, backref="contacts", index=True)
    author = ForeignKeyField(User, backref="contacts", index=False)
    # The author's role when they made the contact (migration 0511): whether
    # it is casework (fieldapp.policy.does_casework) is the role at the time
    # of the act, not the account's role now. "" on rows written without it:
    # the author's role now is read instead.
    author_role = CharField(default="")
    method = CharField(index=True)
    outcome = CharField(index=True)
    reasons = CharField(default="")  # comma-separated codes.REASONS
    people_present = CharField(default="")  # comma-separated codes.PEOPLE
    notes = TextField(default="")  # what a person typed
    follow_up_on = DateField(null=True)
    interpreter_used = BooleanField(default=False)
    language = CharField(default="")
    latitude = DoubleField(null=True)
    longitude = DoubleField(null=True)
    occurred_at = DateTimeField()  # on the device, UTC
    received_at = DateTimeField(default=utcnow, index=True)  # by the server
    amends = ForeignKeyField("self", null=True, backref="amendments", index=False)
    amendment_reason = TextField(default="")
    household_visit = UUIDField(null=True)  # shared by a visit logged for siblings
    # What the app itself says in the notes (a letter it made), as a code and its
    # values (JSON), said in the reader's language: fieldapp.cases.contact_notes (0705).
    notes_code = CharField(default="")
    notes_values = TextField(default="")
    # The student's current school (Student.school), kept equal by the
    # database's triggers (migration 0700), as the case's copy is: the contact
    # log counts and pages a school's contacts from an index of contacts.
    student_school_id = IntegerField(default=0)

    @property
    def reason_list(self):
        return [r for r in self.reasons.split(",") if r]

    @property
    def people_list(self):
        return [p for p in self.people_present.split(",") if p]
