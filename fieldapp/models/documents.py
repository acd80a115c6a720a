"""Paper made from the record: stored PDFs, letters, attendance plans, signatures."""
from peewee import (
    BlobField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField,
    UUIDField,
)

from fieldapp.models.base import BaseModel, utcnow
from fieldapp.models.cases import Case, Contact
from fieldapp.models.people import Guardian, School, Student, User


class DocumentRecord(BaseModel):
    """One PDF as it was issued, kept so a copy can be checked later.

    `content` is the canonical JSON of every fact the document prints;
    `content_sha256` is its hash, printed on the document. `pdf_sha256` is the
    hash of the PDF bytes themselves (which cannot be printed inside them).
    """
    reference = UUIDField(unique=True)
    kind = CharField()  # case_report, letter, letter_batch, plan
    title = CharField()
    school = ForeignKeyField(School, backref="+", index=True)
    student = ForeignKeyField(Student, null=True, backref="documents", index=True)
    case = ForeignKeyField(Case, null=True, backref="documents", index=True)
    generated_by = ForeignKeyField(User, backref="+")
    generated_at = DateTimeField(default=utcnow)
    content = TextField()
    content_sha256 = CharField(max_length=64, index=True)
    pdf_sha256 = CharField(max_length=64, index=True)
    pdf = BlobField()
    page_count = IntegerField()
    recipient = CharField(default="")  # who it was made for: a board, a court, a family
    language = CharField(default="en")


class Letter(BaseModel):
    """A notice to a family, made from a versioned template and logged on the
    case as a contact with method "letter"."""
    case = ForeignKeyField(Case, backref="letters", index=True)
    student = ForeignKeyField(Student, backref="letters", index=True)
    guardian = ForeignKeyField(Guardian, null=True, backref="+")
    kind = CharField()  # first_notice, conference_invitation, referral_notice
    template_id = CharField()
    template_version = IntegerField()
    template_effective = DateField()
    language = CharField()
    letter_date = DateField()
    generated_by = ForeignKeyField(User, backref="+")
    generated_at = DateTimeField(default=utcnow)
    contact = ForeignKeyField(Contact, backref="+")
    document = ForeignKeyField(DocumentRecord, backref="letters")
    sent_at = DateTimeField(null=True)
    sent_how = CharField(default="")
    sent_recorded_by = ForeignKeyField(User, null=True, backref="+")

    @property
    def is_sent(self):
        return self.sent_at is not None


class OwedLetter(BaseModel):
    """A letter a case owed, answered once: one row per case, letter kind and
    cycle (the day the step asking for it was triggered, ISO, or "stage" for
    the letter of the case's stage). The unique index is what keeps two
    batches, two tabs or two servers from making the same owed letter twice:
    the second insert fails in the transaction that would record its letter."""
    case = ForeignKeyField(Case, backref="+", index=False)
    kind = CharField()
    cycle = CharField(max_length=16)
    letter = ForeignKeyField(Letter, null=True, backref="+")
    made_by = ForeignKeyField(User, backref="+")
    made_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("case", "kind", "cycle"), True),)


class Plan(BaseModel):
    """An attendance improvement plan agreed with the family. Each edit raises
    `version`; a signature belongs to the version that was signed.

    The translation is current while `translated_version` equals `version`."""
    case = ForeignKeyField(Case, backref="plans", index=True)
    student = ForeignKeyField(Student, backref="plans", index=True)
    barriers = TextField(default="")
    goals = TextField(default="")
    school_supports = TextField(default="")
    family_commitments = TextField(default="")
    student_commitments = TextField(default="")
    review_on = DateField(index=True)
    version = IntegerField(default=1)
    # The text in the family's language (fieldapp.codes.LANGUAGES), typed by bilingual
    # staff or an interpreter: nothing machine-translates a plan.
    translation_language = CharField(default="")
    barriers_translated = TextField(default="")
    goals_translated = TextField(default="")
    school_supports_translated = TextField(default="")
    family_commitments_translated = TextField(default="")
    student_commitments_translated = TextField(default="")
    translated_by = CharField(default="")
    translator = CharField(default="")  # staff or interpreter (fieldapp.documents.plans.TRANSLATORS)
    translated_version = IntegerField(default=0)  # the version the translation was checked against
    created_by = ForeignKeyField(User, backref="+")
    created_at = DateTimeField(default=utcnow)
    updated_by = ForeignKeyField(User, backref="+")
    updated_at = DateTimeField(default=utcnow)


class Signature(BaseModel):
    """A signature on one version of a plan: a drawn image, or a note that the
    person refused or was not there."""
    plan = ForeignKeyField(Plan, backref="signatures", on_delete="CASCADE", index=True)
    plan_version = IntegerField()
    role = CharField()  # guardian, student, officer
    signer_name = CharField(default="")
    status = CharField()  # signed, refused, unavailable
    note = TextField(default="")
    image = BlobField(null=True)  # PNG
    language = CharField(default="")  # the language the plan was shown in to the signer
    text_shown = TextField(default="")  # exactly what the signer was shown, as plain text
    text_sha256 = CharField(default="")
    interpreter = CharField(default="")  # who read it aloud in the signer's language, when not written in it
    signed_at = DateTimeField(default=utcnow)
    recorded_by = ForeignKeyField(User, backref="+")
