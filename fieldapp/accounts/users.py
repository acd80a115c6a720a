"""Creating users, and checking what an administrator asks of one."""
import secrets

from peewee import IntegrityError

from fieldapp import codes
from fieldapp.accounts.audit import clean
from fieldapp.accounts.login import normalise_email
from fieldapp.accounts.passwords import hash_password, weakness
from fieldapp.db import database
from fieldapp.messages import Message
from fieldapp.models import School, User, UserSchool
from fieldapp.numbers import record_id


class UserError(ValueError):
    """The user cannot be created as asked; the message says why, and
    `errors` what to fix by field."""

    def __init__(self, message, errors=None):
        super().__init__(message)
        self.errors = errors or {"email": message}


def _find_school(given):
    """A school by its sourced id, or by its number; None when neither. A
    School already found (the command line's --school) is taken as it is."""
    if isinstance(given, School):
        return given
    text = clean(str(given), 255).strip()  # PostgreSQL refuses NUL in a query
    school = School.get_or_none(School.sourced_id == text)
    if school is None and record_id(text) is not None:  # PostgreSQL refuses "sch-1" as an id
        school = School.get_or_none(School.id == record_id(text))
    return school


def check_role_and_schools(role, school_ids):
    """(schools, errors by field) for a role and the schools given for it."""
    if role not in codes.ROLES:
        return [], {"role": Message("Choose a role from the list.")}
    schools = [_find_school(sid) for sid in school_ids if str(sid).strip()]
    if any(s is None for s in schools):
        return [], {"schools": Message("Unknown school id.")}
    schools = list({school.id: school for school in schools}.values())  # one school named twice
    if role in ("officer", "front_office") and not schools:
        return [], {"schools": Message("An officer or front office user needs at least one school.")}
    if role == "front_office" and len(schools) > 1:
        return [], {"schools": Message("A front office user belongs to exactly one school.")}
    return ([] if role in ("supervisor", "admin") else schools), {}


def check_email(email, exclude_id=None):
    """Errors by field for an email a new (or renamed) user would take."""
    if "@" not in email or len(email) > 254 or any(ord(c) < 33 for c in email):
        return {"email": Message("Give a valid email address.")}
    taken = User.select().where(User.email == email)
    if exclude_id:
        taken = taken.where(User.id != exclude_id)
    if taken.exists():
        return {"email": Message("A user with this email already exists.")}
    return {}


def context_words(role, schools):
    """What a password of a user of role at schools must not lean on: the
    role's name and the names of the schools and their districts."""
    return [role, codes.ROLES.get(role, ""), *(school.name for school in schools),
            *{getattr(school, "district", "") or "" for school in schools}]


def temporary_password():
    """A random password an administrator hands over, to be changed at first log-in."""
    return "-".join(secrets.token_urlsafe(5) for _ in range(3))


def create_user(email, password, role, name="", school_ids=(), must_change=False):
    """Create a user with a checked password and their schools."""
    email = normalise_email(email)
    errors = check_email(email)
    schools, more = check_role_and_schools(role, school_ids)
    errors.update(more)
    if not errors:
        problem = weakness(password, email, name, context_words(role, schools))
        if problem:
            errors["password"] = problem
    if errors:
        raise UserError(next(iter(errors.values())), errors)
    password_hash = hash_password(password)
    try:
        with database.atomic():
            user = User.create(email=email, name=clean(name, 200) or email.split("@")[0], role=role,
                               password_hash=password_hash, must_change_password=must_change)
            for school in schools:
                UserSchool.create(user=user, school=school)
    except IntegrityError:  # the same user added twice at once: the other request won
        taken = Message("A user with this email already exists.")
        raise UserError(taken, {"email": taken}) from None
    return user
