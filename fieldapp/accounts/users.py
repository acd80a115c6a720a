"""Creating users."""
from fieldapp import codes
from fieldapp.accounts.login import normalise_email
from fieldapp.accounts.passwords import hash_password, weakness
from fieldapp.db import database
from fieldapp.models import School, User, UserSchool
from fieldapp.numbers import record_id


class UserError(ValueError):
    """The user cannot be created as asked; the message says why."""


def _find_school(given):
    """A school by its sourced id, or by its number; None when neither."""
    text = str(given).strip()
    school = School.get_or_none(School.sourced_id == text)
    if school is None and record_id(text) is not None:  # PostgreSQL refuses "sch-1" as an id
        school = School.get_or_none(School.id == record_id(text))
    return school


def create_user(email, password, role, name="", school_ids=()):
    """Create a user with a checked password and their schools."""
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise UserError("Give a valid email address.")
    if role not in codes.ROLES:
        raise UserError(f"Role must be one of: {', '.join(codes.ROLES)}.")
    problem = weakness(password, email)
    if problem:
        raise UserError(problem)
    schools = [_find_school(sid) for sid in school_ids]
    if any(s is None for s in schools):
        raise UserError("Unknown school id.")
    if role in ("officer", "front_office") and not schools:
        raise UserError("An officer or front office user needs at least one school (--school).")
    if role == "front_office" and len(schools) > 1:
        raise UserError("A front office user belongs to exactly one school.")
    if User.select().where(User.email == email).exists():
        raise UserError("A user with this email already exists.")
    with database.atomic():
        user = User.create(email=email, name=name or email.split("@")[0],
                           role=role, password_hash=hash_password(password))
        for school in schools:
            UserSchool.create(user=user, school=school)
    return user
