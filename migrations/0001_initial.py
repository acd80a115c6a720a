"""The first schema: schools, people, attendance, cases, contacts, audit.

Models here are frozen copies, independent of fieldapp.models, so this
migration keeps meaning what it meant when it was written."""
from peewee import *


def up(migrator, db):
    class User(Model):
        email = CharField(unique=True)
        name = CharField()
        role = CharField()
        password_hash = CharField()
        language = CharField(default='en')
        active = BooleanField(default=True)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'user'
    db.create_tables([User])

    class School(Model):
        sourced_id = CharField(unique=True)
        name = CharField()
        district = CharField(default='')
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'school'
    db.create_tables([School])

    class Student(Model):
        sourced_id = CharField(unique=True)
        local_id = CharField(index=True)
        first_name = CharField()
        middle_name = CharField(default='')
        last_name = CharField()
        birth_date = DateField(null=True)
        grade = CharField(default='')
        school = ForeignKeyField(School)
        home_language = CharField(default='en')
        address = TextField(default='')
        phone = CharField(default='')
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'student'
    db.create_tables([Student])

    class AccessLog(Model):
        user = ForeignKeyField(User)
        student = ForeignKeyField(Student)
        action = CharField()
        path = CharField(default='')
        ip = CharField(default='')
        at = DateTimeField()
        class Meta:
            database = db
            table_name = 'access_log'
    db.create_tables([AccessLog])

    class AttendanceEvent(Model):
        student = ForeignKeyField(Student, on_delete='CASCADE')
        school = ForeignKeyField(School)
        date = DateField()
        category = CharField()
        minutes = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'attendance_event'
            indexes = ((('student', 'date'), False),)
    db.create_tables([AttendanceEvent])

    class AuditEvent(Model):
        user = ForeignKeyField(User, null=True)
        action = CharField()
        object_type = CharField(default='')
        object_id = CharField(default='')
        detail = TextField(default='')
        ip = CharField(default='')
        at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'audit_event'
    db.create_tables([AuditEvent])

    class Case(Model):
        student = ForeignKeyField(Student)
        school = ForeignKeyField(School)
        school_year = CharField()
        status = CharField(index=True, default='open')
        stage = CharField(default='monitoring')
        officer = ForeignKeyField(User, null=True)
        opened_at = DateTimeField()
        opened_by = ForeignKeyField(User)
        closed_at = DateTimeField(null=True)
        closed_by = ForeignKeyField(User, null=True)
        closure_reason = CharField(null=True)
        closure_note = TextField(default='')
        flags = CharField(default='')
        contact_count = IntegerField(default=0)
        last_contact_at = DateTimeField(null=True)
        next_follow_up = DateField(index=True, null=True)
        class Meta:
            database = db
            table_name = 'case'
    db.create_tables([Case])

    class CaseEvent(Model):
        case = ForeignKeyField(Case, on_delete='CASCADE')
        kind = CharField()
        from_value = CharField(default='')
        to_value = CharField(default='')
        note = TextField(default='')
        by = ForeignKeyField(User)
        at = DateTimeField()
        class Meta:
            database = db
            table_name = 'case_event'
    db.create_tables([CaseEvent])

    class Contact(Model):
        uuid = UUIDField(unique=True)
        case = ForeignKeyField(Case)
        student = ForeignKeyField(Student)
        author = ForeignKeyField(User)
        method = CharField(index=True)
        outcome = CharField(index=True)
        reasons = CharField(default='')
        people_present = CharField(default='')
        notes = TextField(default='')
        follow_up_on = DateField(null=True)
        interpreter_used = BooleanField(default=False)
        language = CharField(default='')
        latitude = DoubleField(null=True)
        longitude = DoubleField(null=True)
        occurred_at = DateTimeField()
        received_at = DateTimeField(index=True)
        amends = ForeignKeyField('self', null=True)
        amendment_reason = TextField(default='')
        household_visit = UUIDField(null=True)
        class Meta:
            database = db
            table_name = 'contact'
    db.create_tables([Contact])

    class Guardian(Model):
        sourced_id = CharField(unique=True)
        first_name = CharField()
        last_name = CharField()
        phone = CharField(default='')
        alt_phone = CharField(default='')
        email = CharField(default='')
        preferred_language = CharField(default='en')
        address = TextField(default='')
        class Meta:
            database = db
            table_name = 'guardian'
    db.create_tables([Guardian])

    class LoginThrottle(Model):
        email = CharField(primary_key=True)
        failures = IntegerField(default=0)
        locked_until = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'login_throttle'
    db.create_tables([LoginThrottle])

    class StudentGuardian(Model):
        student = ForeignKeyField(Student, on_delete='CASCADE')
        guardian = ForeignKeyField(Guardian, on_delete='CASCADE')
        relationship = CharField(default='guardian')
        is_primary = BooleanField(default=False)
        class Meta:
            database = db
            table_name = 'student_guardian'
            primary_key = CompositeKey('student', 'guardian')
    db.create_tables([StudentGuardian])

    class StudentSearchTerm(Model):
        term = CharField()
        student = ForeignKeyField(Student, on_delete='CASCADE')
        class Meta:
            database = db
            table_name = 'student_search_term'
            primary_key = CompositeKey('term', 'student')
    db.create_tables([StudentSearchTerm])

    class UserSchool(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        school = ForeignKeyField(School, on_delete='CASCADE')
        class Meta:
            database = db
            table_name = 'user_school'
            primary_key = CompositeKey('user', 'school')
    db.create_tables([UserSchool])

    # Lists that officers and supervisors open all day.
    migrator.migrate(
        migrator.add_index('case', ('officer_id', 'status'), False),
        migrator.add_index('contact', ('case_id', 'occurred_at'), False),
        migrator.add_index('contact', ('author_id', 'received_at'), False),
        migrator.add_index('access_log', ('student_id', 'at'), False),
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_table('user_school'))
    migrator.migrate(migrator.drop_table('student_search_term'))
    migrator.migrate(migrator.drop_table('student_guardian'))
    migrator.migrate(migrator.drop_table('login_throttle'))
    migrator.migrate(migrator.drop_table('guardian'))
    migrator.migrate(migrator.drop_table('contact'))
    migrator.migrate(migrator.drop_table('case_event'))
    migrator.migrate(migrator.drop_table('case'))
    migrator.migrate(migrator.drop_table('audit_event'))
    migrator.migrate(migrator.drop_table('attendance_event'))
    migrator.migrate(migrator.drop_table('access_log'))
    migrator.migrate(migrator.drop_table('student'))
    migrator.migrate(migrator.drop_table('school'))
    migrator.migrate(migrator.drop_table('user'))


