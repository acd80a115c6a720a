"""gen_* helpers that build test data in the real database."""
import datetime
import itertools
import uuid

from fieldapp.accounts.passwords import hash_password
from fieldapp.cases import contacts, legal_stage, lifecycle
from fieldapp.models import Guardian, School, Student, StudentGuardian, User, UserSchool, utcnow
from fieldapp.students.search import index_student

PASSWORD = "correct-horse-battery-9"
_HASH = None
_seq = itertools.count(1)


def _password_hash():
    global _HASH
    if _HASH is None:
        _HASH = hash_password(PASSWORD)
    return _HASH


def gen_school(name=None):
    n = next(_seq)
    return School.create(sourced_id=f"sch-t{n}", name=name or f"Test School {n}", district="Test")


def gen_user(role="officer", schools=(), email=None, name=None):
    n = next(_seq)
    user = User.create(email=email or f"{role}{n}@test.example", name=name or f"{role.title()} {n}",
                       role=role, password_hash=_password_hash())
    for school in schools:
        UserSchool.create(user=user, school=school)
    return user


def gen_student(school, first="María", last="García", address="12 Elm St, Riverside, CA", **extra):
    n = next(_seq)
    student = Student.create(sourced_id=f"stu-t{n}", local_id=str(900000 + n), first_name=first,
                             last_name=last, school=school, grade=extra.pop("grade", "5"),
                             address=address, birth_date=datetime.date(2014, 3, 2), **extra)
    index_student(student)
    return student


def gen_guardian(students, first="Ana", last="García", relationship="mother", **extra):
    n = next(_seq)
    guardian = Guardian.create(sourced_id=f"gdn-t{n}", first_name=first, last_name=last,
                               phone=extra.pop("phone", "(555) 201-3344"), **extra)
    for student in students:
        StudentGuardian.create(student=student, guardian=guardian, relationship=relationship)
    return guardian


def gen_case(student, officer, stage="monitoring"):
    """An open case; at a stage the law ties to a letter, set on purpose
    without one on file (as a case carried over from paper would be)."""
    form = {"stage": stage}
    if stage in legal_stage.STAGE_LETTERS_REQUIRED:
        form["without_record"] = "yes"
    return lifecycle.open_case(officer, student, form, officer=officer)


def contact_form(**overrides):
    form = {"method": "home_visit", "outcome": "reached_parent", "reasons": ["transportation"],
            "people_present": ["parent"], "notes": "Spoke with mother at the door.",
            "follow_up_on": "", "occurred_at": ""}
    form.update(overrides)
    return form


def gen_contact(case, author, **overrides):
    clean, errors = contacts.validate_contact(contact_form(**overrides), author)
    assert not errors, errors
    contact, _ = contacts.log_contact(author, case, clean, uuid.uuid4())
    return contact


def days_ago(n):
    return utcnow() - datetime.timedelta(days=n)
