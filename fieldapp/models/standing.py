"""Each student's standing under the rule set, stored so that pages and lists
read it instead of recomputing the school year on every view."""
from peewee import (
    BooleanField, CharField, DateField, DateTimeField, DoubleField,
    ForeignKeyField, IntegerField, TextField,
)

from fieldapp.models.base import BaseModel, utcnow
from fieldapp.models.people import Student


class StudentStanding(BaseModel):
    """What fieldapp.rules.engine.evaluate gave for one student on `as_of`.

    A row answers for `as_of` under the rule settings named by `rules_key`;
    `stale` is set when something it was computed from changed (attendance,
    a contact, a letter, a stage, a calendar, an enrolment). See
    fieldapp.rules.stored for how rows are refreshed and read.
    """
    student = ForeignKeyField(Student, primary_key=True, on_delete="CASCADE", backref="+")
    school_id = IntegerField(index=True)
    as_of = DateField()
    rules_key = CharField()
    stale = BooleanField(default=False, index=True)
    school_year = CharField()
    rule_version = CharField()
    count_year = IntegerField(default=0)
    count_four_weeks = IntegerField(default=0)
    count_six_months = IntegerField(default=0)
    count_month = IntegerField(default=0)
    unexcused_days = IntegerField(default=0)
    excused_days = IntegerField(default=0)
    part_days = IntegerField(default=0)
    days_enrolled = IntegerField(default=0)
    days_missed = IntegerField(default=0)
    percent_missed = DoubleField(default=0)
    band = CharField(index=True)
    status = CharField(null=True)
    next_step = CharField(null=True)
    next_due_on = DateField(null=True)
    section = CharField(null=True)  # the worklist's section (rules.worklist.SECTIONS) or None
    result_json = TextField(default="{}")  # the rest of the engine's Result: see rules.stored
    computed_at = DateTimeField(default=utcnow)
    # the student's Student.sort_key, kept equal to it by the database
    # (migration 0530): a band's students are paged in name order from an index
    student_sort_key = CharField(default="")

    class Meta:
        table_name = "student_standing"
        indexes = ((("section", "next_due_on"), False), (("school_id", "section", "next_due_on"), False),
                   # the fresh rows of a day, counted by school and band from the index alone (0210)
                   (("as_of", "rules_key", "stale", "band", "school_id", "section", "next_due_on", "student_id"),
                    False),
                   # the fresh rows of a day by band in name order, then school (0530)
                   (("as_of", "rules_key", "band", "student_sort_key", "student_id", "stale", "school_id"),
                    False))


class StandingTally(BaseModel):
    """How many fresh (not stale) stored standings share a day, rule
    settings, school, band, worklist section ('' for none) and next step's
    due date (YYYY-MM-DD, '' for none): kept by the database's triggers on
    every change of student_standing (migration 0260), so that counting the
    district's bands reads a few hundred rows."""
    as_of = DateField()
    rules_key = CharField()
    school_id = IntegerField()
    band = CharField()
    section = CharField()
    due = CharField(max_length=10)
    students = IntegerField()

    class Meta:
        table_name = "standing_tally"
        primary_key = False


class SchoolRoll(BaseModel):
    """How many active students a school has: kept by the database's
    triggers on every insert and delete of a student and every change of a
    student's school or of whether they are active (migration 0501), so that
    telling whether every active student has a fresh standing reads a row a
    school. A school without a row has none."""
    school_id = IntegerField(primary_key=True)
    active_students = IntegerField()

    class Meta:
        table_name = "school_roll"
