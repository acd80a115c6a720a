"""Each OneRoster enrollment record is kept (roster_enrollment), so a delta
file changes only the records it carries and tobedeleted ends one: a
student's enrolment spans at a school are the union of their records there.
A frozen copy of the model, so this migration keeps meaning what it meant
when written."""
from peewee import *


def up(migrator, db):
    class Student(Model):
        class Meta:
            database = db
            table_name = 'student'

    class School(Model):
        class Meta:
            database = db
            table_name = 'school'

    class RosterEnrollment(Model):
        sourced_id = CharField(unique=True)
        student = ForeignKeyField(Student, on_delete='CASCADE')
        school = ForeignKeyField(School)
        class_sourced_id = CharField(default='')
        begin_date = DateField(null=True)
        end_date = DateField(null=True)
        status = CharField(default='active')

        class Meta:
            database = db
            table_name = 'roster_enrollment'
            indexes = ((('student', 'school'), False),)

    db.create_tables([RosterEnrollment])


def down(migrator, db):
    db.execute_sql('DROP TABLE IF EXISTS "roster_enrollment"')
