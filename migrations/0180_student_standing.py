"""Each student's standing under the rule set, stored (fieldapp.rules.stored).

The table starts empty: rows are filled as pages read them, by the daily
refresh job and by `flask refresh-standing`. The model is a frozen copy, so
this migration keeps meaning what it meant when it was written.
"""
from peewee import *


def up(migrator, db):
    class Student(Model):
        class Meta:
            database = db
            table_name = 'student'

    class StudentStanding(Model):
        student = ForeignKeyField(Student, primary_key=True, on_delete='CASCADE')
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
        section = CharField(null=True)
        result_json = TextField(default='{}')
        computed_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'student_standing'
            indexes = ((('section', 'next_due_on'), False),)

    db.create_tables([StudentStanding])


def down(migrator, db):
    db.execute_sql('DROP TABLE IF EXISTS "student_standing"')
