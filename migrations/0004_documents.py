"""Documents: stored PDFs with their fingerprints, letters, attendance plans
and their signatures.

Models here are frozen copies, independent of fieldapp.models, so this
migration keeps meaning what it meant when it was written. The tables it
points at (user, school, student, guardian, case, contact) come from 0001."""
from peewee import *


def up(migrator, db):
    def existing(name):
        class Meta:
            database = db
            table_name = name
        return type(name.title().replace('_', ''), (Model,), {'Meta': Meta})

    User, School, Student = existing('user'), existing('school'), existing('student')
    Guardian, Case, Contact = existing('guardian'), existing('case'), existing('contact')

    class DocumentRecord(Model):
        reference = UUIDField(unique=True)
        kind = CharField()
        title = CharField()
        school = ForeignKeyField(School, index=True)
        student = ForeignKeyField(Student, null=True, index=True)
        case = ForeignKeyField(Case, null=True, index=True)
        generated_by = ForeignKeyField(User)
        generated_at = DateTimeField()
        content = TextField()
        content_sha256 = CharField(max_length=64, index=True)
        pdf_sha256 = CharField(max_length=64, index=True)
        pdf = BlobField()
        page_count = IntegerField()
        class Meta:
            database = db
            table_name = 'document_record'
    db.create_tables([DocumentRecord])

    class Letter(Model):
        case = ForeignKeyField(Case, index=True)
        student = ForeignKeyField(Student, index=True)
        guardian = ForeignKeyField(Guardian, null=True)
        kind = CharField()
        template_id = CharField()
        template_version = IntegerField()
        template_effective = DateField()
        language = CharField()
        letter_date = DateField()
        generated_by = ForeignKeyField(User)
        generated_at = DateTimeField()
        contact = ForeignKeyField(Contact)
        document = ForeignKeyField(DocumentRecord)
        sent_at = DateTimeField(null=True)
        sent_how = CharField(default='')
        sent_recorded_by = ForeignKeyField(User, null=True)
        class Meta:
            database = db
            table_name = 'letter'
    db.create_tables([Letter])

    class Plan(Model):
        case = ForeignKeyField(Case, index=True)
        student = ForeignKeyField(Student, index=True)
        barriers = TextField(default='')
        goals = TextField(default='')
        school_supports = TextField(default='')
        family_commitments = TextField(default='')
        student_commitments = TextField(default='')
        review_on = DateField(index=True)
        version = IntegerField(default=1)
        created_by = ForeignKeyField(User)
        created_at = DateTimeField()
        updated_by = ForeignKeyField(User)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'plan'
    db.create_tables([Plan])

    class Signature(Model):
        plan = ForeignKeyField(Plan, on_delete='CASCADE', index=True)
        plan_version = IntegerField()
        role = CharField()
        signer_name = CharField(default='')
        status = CharField()
        note = TextField(default='')
        image = BlobField(null=True)
        signed_at = DateTimeField()
        recorded_by = ForeignKeyField(User)
        class Meta:
            database = db
            table_name = 'signature'
    db.create_tables([Signature])

    # "Which letters does this case have" is asked for every due-letter list.
    migrator.migrate(migrator.add_index('letter', ('case_id', 'kind'), False))


def down(migrator, db):
    migrator.migrate(migrator.drop_table('signature'))
    migrator.migrate(migrator.drop_table('plan'))
    migrator.migrate(migrator.drop_table('letter'))
    migrator.migrate(migrator.drop_table('document_record'))
