"""District data coming in: import history, school calendars, enrollments."""
import json

from peewee import (
    BlobField, BooleanField, CharField, DateField, DateTimeField, ForeignKeyField,
    IntegerField, TextField,
)

from fieldapp.models.base import BaseModel, utcnow
from fieldapp.models.people import School, Student, User


class ImportRun(BaseModel):
    """One import of a file (or a OneRoster folder): who, when, what it changed,
    and every problem found, with its file and line."""
    kind = CharField()  # oneroster | contacts | attendance | calendar
    filename = CharField()
    user = ForeignKeyField(User, null=True, backref="+")  # None: the command line
    source = CharField(default="cli")  # cli | upload
    started_at = DateTimeField(default=utcnow, index=True)
    finished_at = DateTimeField(null=True)
    outcome = CharField()  # previewed | cancelled | applied | applied_with_skips | refused
    skip_bad_rows = BooleanField(default=False)
    rows_read = IntegerField(default=0)
    rows_rejected = IntegerField(default=0)
    message = TextField(default="")  # why a whole file was refused
    counts_json = TextField(default="{}")  # what changed, e.g. {"students created": 12}
    problems_json = TextField(default="[]")  # [[file, line, reason], ...] (the first 1,000)
    problem_count = IntegerField(default=0)
    # A preview that needs typed confirmation says what must be typed.
    confirm_phrase = CharField(default="")
    examples_json = TextField(default="{}")  # {count name: [a few records it names]}
    applied_at = DateTimeField(null=True)
    undone_at = DateTimeField(null=True)
    undone_by = ForeignKeyField(User, null=True, backref="+", column_name="undone_by_id")
    undo_counts_json = TextField(default="{}")
    # How the administrator said the file's slash dates read ('' not said), migration 0190.
    date_order = CharField(default="")
    # What the import read but did not use, and what it derived (a calendar's
    # school days), as lines of text for the preview and the history.
    notes_json = TextField(default="[]")

    @property
    def counts(self):
        return json.loads(self.counts_json or "{}")

    @property
    def examples(self):
        """{count name: [a few records it names]}: text, or a Message where one was kept."""
        from fieldapp.rules.stored import decode_row
        return decode_row(self.examples_json or "{}")

    @property
    def undo_counts(self):
        """What undoing it did: counts, and under "which" the lines naming what
        they count (Messages, each read in its reader's language)."""
        from fieldapp.rules.stored import decode_row
        return decode_row(self.undo_counts_json or "{}")

    @property
    def is_preview(self):
        return self.outcome == "previewed"

    @property
    def changes_nothing(self):
        """A preview whose applying would change nothing (no count at all):
        offered to be discarded, never applied."""
        return self.is_preview and not self.counts

    @property
    def was_applied(self):
        return self.outcome in ("applied", "applied_with_skips")

    @property
    def notes(self):
        """Lines of text: a Message where one was kept."""
        from fieldapp.rules.stored import decode_row
        return decode_row(self.notes_json or "[]")

    @property
    def problems(self):
        """[[file, line, reason]]: a reason is a Message where one was kept."""
        from fieldapp.rules.stored import decode_row  # rules read the models
        return decode_row(self.problems_json or "[]")

    @property
    def refusal(self):
        """Why the whole file was refused: a Message where one was kept, else the text."""
        if not self.message.startswith('{"~m"'):
            return self.message
        from fieldapp.rules.stored import decode_row
        return decode_row(self.message)


class SchoolCalendar(BaseModel):
    """The instructional year of the district (school None) or of one school,
    which then overrides the district's first and last day and adds its own
    days off."""
    school = ForeignKeyField(School, null=True, backref="+", on_delete="CASCADE")
    school_year = CharField(index=True)  # '2025-26'
    first_day = DateField(null=True)
    last_day = DateField(null=True)


class CalendarRevision(BaseModel):
    """How many times any school calendar of a school year, or any of its
    days, was added, changed or removed: the database counts it (triggers,
    migrations/0840_calendar_revision.py), and a stored standing's rules_key
    reads it, so an edit in place refreshes every list."""
    school_year = CharField(primary_key=True)
    revision = IntegerField()


class CalendarDay(BaseModel):
    """A weekday without school (holiday) or a weekend day with school (make-up)."""
    calendar = ForeignKeyField(SchoolCalendar, backref="days", on_delete="CASCADE")
    date = DateField()
    kind = CharField()  # holiday | make_up
    name = CharField(default="")


class Enrollment(BaseModel):
    """One span of a student's enrollment at one of the district's schools
    (from OneRoster enrollments, or a transfer seen in a roster): every span
    is kept, so absence rates count the days enrolled anywhere in the district
    (migration 0150)."""
    student = ForeignKeyField(Student, backref="+", on_delete="CASCADE", index=False)
    school = ForeignKeyField(School, backref="+")
    begin_date = DateField(null=True)
    end_date = DateField(null=True)

    class Meta:
        indexes = ((("student", "school"), False),)


class RosterEnrollment(BaseModel):
    """One OneRoster enrollment record (a student in a class at a school),
    kept so a delta changes only the records it carries; a student's
    Enrollment spans at a school are the union of their records there
    (migration 0191). tobedeleted ends a record; nothing is deleted."""
    sourced_id = CharField(unique=True)
    student = ForeignKeyField(Student, backref="+", on_delete="CASCADE")
    school = ForeignKeyField(School, backref="+")
    class_sourced_id = CharField(default="")
    begin_date = DateField(null=True)
    end_date = DateField(null=True)
    status = CharField(default="active")  # active | tobedeleted

    class Meta:
        indexes = ((("student", "school"), False),)


class ImportFile(BaseModel):
    """The file of an import waiting for confirmation, so any app server can
    apply it; dropped once it is applied or cancelled."""
    run = ForeignKeyField(ImportRun, unique=True, backref="+", on_delete="CASCADE")
    data = BlobField()


class ImportChange(BaseModel):
    """One row an applied import created, changed or removed, with what it
    held before and after (JSON of the fields concerned), so the import can
    be undone."""
    run = ForeignKeyField(ImportRun, backref="changes", on_delete="CASCADE", index=True)
    table = CharField()
    row_id = IntegerField()
    action = CharField()  # created | updated | deleted | replaced
    before_json = TextField(default="")
    after_json = TextField(default="")
