"""District imports and rule sets: import history, school calendars,
enrollment dates, the reason of an attendance mark, and a date index for
replacing a day of attendance.

Models here are frozen copies, independent of fieldapp.models, so this
migration keeps meaning what it meant when it was written."""
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class School(Model):
        class Meta:
            database = db
            table_name = 'school'

    class Student(Model):
        class Meta:
            database = db
            table_name = 'student'

    class ImportRun(Model):
        kind = CharField()
        filename = CharField()
        user = ForeignKeyField(User, null=True)
        source = CharField(default='cli')
        started_at = DateTimeField(index=True)
        finished_at = DateTimeField(null=True)
        outcome = CharField()
        skip_bad_rows = BooleanField(default=False)
        rows_read = IntegerField(default=0)
        rows_rejected = IntegerField(default=0)
        message = TextField(default='')
        counts_json = TextField(default='{}')
        problems_json = TextField(default='[]')
        problem_count = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'import_run'
    db.create_tables([ImportRun])

    class SchoolCalendar(Model):
        school = ForeignKeyField(School, null=True, on_delete='CASCADE')
        school_year = CharField(index=True)
        first_day = DateField(null=True)
        last_day = DateField(null=True)
        class Meta:
            database = db
            table_name = 'school_calendar'
    db.create_tables([SchoolCalendar])

    class CalendarDay(Model):
        calendar = ForeignKeyField(SchoolCalendar, on_delete='CASCADE')
        date = DateField()
        kind = CharField()
        name = CharField(default='')
        class Meta:
            database = db
            table_name = 'calendar_day'
    db.create_tables([CalendarDay])

    class Enrollment(Model):
        student = ForeignKeyField(Student, unique=True, on_delete='CASCADE')
        school = ForeignKeyField(School)
        begin_date = DateField(null=True)
        end_date = DateField(null=True)
        class Meta:
            database = db
            table_name = 'enrollment'
    db.create_tables([Enrollment])

    migrator.migrate(
        migrator.add_column('attendance_event', 'reason', CharField(default='')),
        # Replacing a day of attendance deletes by date first.
        migrator.add_index('attendance_event', ('date',), False),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index('attendance_event', 'attendance_event_date'),
        migrator.drop_column('attendance_event', 'reason'),
    )
    migrator.migrate(migrator.drop_table('enrollment'))
    migrator.migrate(migrator.drop_table('calendar_day'))
    migrator.migrate(migrator.drop_table('school_calendar'))
    migrator.migrate(migrator.drop_table('import_run'))
