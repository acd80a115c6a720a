"""Schools, users, students and guardians."""
from peewee import (
    BigIntegerField, BooleanField, CharField, CompositeKey, DateField, DateTimeField,
    ForeignKeyField, IntegerField, TextField,
)

from fieldapp import names
from fieldapp.db import Param, Prepared
from fieldapp.models.base import BaseModel, utcnow


class School(BaseModel):
    sourced_id = CharField(unique=True)
    # The school's code (OneRoster `identifier`, Ed-Fi schoolId); files may
    # name the school by it (migration 0190).
    identifier = CharField(default="", index=True)
    name = CharField()
    district = CharField(default="")
    active = BooleanField(default=True)
    # Printed on letters so a family can write or call (migration 0160).
    address = TextField(default="")
    phone = CharField(default="")
    # IANA zone ("America/New_York"); empty: the installation's FIELDAPP_TIME_ZONE.
    time_zone = CharField(default="")

    def __str__(self):
        return self.name


class User(BaseModel):
    email = CharField(unique=True)
    name = CharField()
    role = CharField()
    password_hash = CharField()
    # The language the user chose for their screens; "" until they choose:
    # their browser's then (web.i18n.select_locale).
    language = CharField(default="")
    active = BooleanField(default=True)
    phone = CharField(default="")  # printed on letters beside the officer's name (migration 0160)
    created_at = DateTimeField(default=utcnow)
    must_change_password = BooleanField(default=False)
    password_changed_at = DateTimeField(null=True)
    last_login_at = DateTimeField(null=True)
    totp_secret = CharField(default="")  # base32; empty until enrolled
    totp_enabled_at = DateTimeField(null=True)
    # RFC 6238 time-step of the last code accepted: that code and older ones are spent (0240).
    totp_last_step = BigIntegerField(null=True)

    # flask-login protocol
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self):
        return self.active

    def get_id(self):
        return str(self.id)

    def school_ids(self):
        """The ids of the schools assigned to this user.

        Kept on this object after the first call: one request asks several
        times (each access check), and a request loads its user afresh.
        """
        if getattr(self, "_school_ids", None) is None:
            self._school_ids = [school_id for (school_id,) in _SCHOOLS_OF.rows(user=self.id)]
        return list(self._school_ids)


class UserSchool(BaseModel):
    user = ForeignKeyField(User, backref="school_links", on_delete="CASCADE")
    school = ForeignKeyField(School, backref="user_links", on_delete="CASCADE")

    class Meta:
        primary_key = CompositeKey("user", "school")


# Asked on every request of a user with schools (their scope).
_SCHOOLS_OF = Prepared(lambda: UserSchool.select(UserSchool.school).where(UserSchool.user == Param("user")).tuples())


class Student(BaseModel):
    sourced_id = CharField(unique=True)
    local_id = CharField(index=True)
    first_name = CharField()
    middle_name = CharField(default="")
    last_name = CharField()
    birth_date = DateField(null=True)
    grade = CharField(default="")
    school = ForeignKeyField(School, backref="students", index=True)
    home_language = CharField(default="en")
    address = TextField(default="")
    phone = CharField(default="")
    active = BooleanField(default=True)
    # Lists are in this order: surname and name without case or accents
    # (fieldapp.names.sort_key), kept by save() and by bulk writers.
    sort_key = CharField(default="")

    class Meta:
        # Look-up results are listed in name order (migration 0007).
        indexes = ((("sort_key", "id"), False),)

    def save(self, *args, **kwargs):
        self.sort_key = names.sort_key(self.first_name, self.last_name)
        if kwargs.get("only"):
            kwargs["only"] = list(kwargs["only"]) + [Student.sort_key]
        return super().save(*args, **kwargs)

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def sort_name(self):
        return f"{self.last_name}, {self.first_name}"


class StudentSearchTerm(BaseModel):
    """One normalised word (name part or id) of a student, for prefix look-up."""
    term = CharField()
    # no index of its own: (student, term) below starts with it (migration 0330)
    student = ForeignKeyField(Student, backref="search_terms", on_delete="CASCADE", index=False)

    class Meta:
        primary_key = CompositeKey("term", "student")  # the table itself on SQLite: WITHOUT ROWID (0330)
        # One student's words, to check a query word per student (migration 0005).
        indexes = ((("student", "term"), False),)


class Guardian(BaseModel):
    sourced_id = CharField(unique=True)
    first_name = CharField()
    last_name = CharField()
    phone = CharField(default="")
    alt_phone = CharField(default="")
    email = CharField(default="")
    preferred_language = CharField(default="en")
    address = TextField(default="")

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"


class StudentGuardian(BaseModel):
    # no index of its own: the key starts with it (migration 0330)
    student = ForeignKeyField(Student, backref="guardian_links", on_delete="CASCADE", index=False)
    guardian = ForeignKeyField(Guardian, backref="student_links", on_delete="CASCADE")
    relationship = CharField(default="guardian")
    is_primary = BooleanField(default=False)
    # Set when a roster no longer links them; the link is kept for the record.
    ended_at = DateTimeField(null=True)

    class Meta:
        primary_key = CompositeKey("student", "guardian")  # the table itself on SQLite: WITHOUT ROWID (0330)

    @classmethod
    def current(cls):
        """Links in force (not ended)."""
        return cls.ended_at.is_null()


class PhoneMark(BaseModel):
    """A guardian's number marked wrong or disconnected: no longer offered,
    kept on the record with who marked it, when, and from which contact."""
    guardian = ForeignKeyField(Guardian, backref="phone_marks", on_delete="CASCADE", index=True)
    field = CharField()  # phone | alt_phone
    number = CharField()  # as it stood when marked; a new number is offered again
    status = CharField()  # wrong | disconnected
    marked_by = ForeignKeyField(User, backref="+")
    marked_at = DateTimeField(default=utcnow)
    contact_id = IntegerField(null=True)  # the contact that found it out (cases import this module)
