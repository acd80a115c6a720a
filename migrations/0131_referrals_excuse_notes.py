"""The front office's records for a student: referrals to the attendance
officer (with their status) and excuse notes naming the days they cover.

Models here are frozen copies, independent of fieldapp.models, so this
migration keeps meaning what it meant when it was written."""
from peewee import *


def up(migrator, db):
    def existing(name):
        class Meta:
            database = db
            table_name = name
        return type(name.title().replace('_', ''), (Model,), {'Meta': Meta})

    User, School, Student, Case = existing('user'), existing('school'), existing('student'), existing('case')

    class Referral(Model):
        student = ForeignKeyField(Student, index=True)
        school = ForeignKeyField(School, index=True)
        reason = CharField()
        note = TextField(default='')
        officer = ForeignKeyField(User, null=True, index=True)
        referred_by = ForeignKeyField(User)
        referred_at = DateTimeField()
        status = CharField(default='waiting', index=True)
        case = ForeignKeyField(Case, null=True)
        answered_by = ForeignKeyField(User, null=True)
        answered_at = DateTimeField(null=True)
        answer = TextField(default='')
        class Meta:
            database = db
            table_name = 'referral'

    class ExcuseNote(Model):
        student = ForeignKeyField(Student, index=True)
        school = ForeignKeyField(School)
        received_how = CharField()
        from_whom = CharField(default='')
        reason = CharField()
        note = TextField(default='')
        recorded_by = ForeignKeyField(User)
        recorded_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'excuse_note'

    class ExcuseNoteDay(Model):
        excuse_note = ForeignKeyField(ExcuseNote, on_delete='CASCADE')
        student = ForeignKeyField(Student)
        date = DateField()
        class Meta:
            database = db
            table_name = 'excuse_note_day'
            indexes = ((('student', 'date'), False), (('excuse_note', 'date'), True))

    db.create_tables([Referral, ExcuseNote, ExcuseNoteDay])


def down(migrator, db):
    for table in ('excuse_note_day', 'excuse_note', 'referral'):
        db.execute_sql(f'DROP TABLE IF EXISTS "{table}"')
