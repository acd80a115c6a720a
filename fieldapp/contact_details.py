"""How a family can reach the school and the officer: the address and phone
printed on every letter. Schools get them from the district's OneRoster
export where it carries them, or from an administrator (who sets each
school's time zone on the same page); each user types their own work phone."""
import re

from fieldapp import timefmt
from fieldapp.cases.text import clean_text, strip_controls
from fieldapp.db import database
from fieldapp.messages import Message
from fieldapp.models import AuditEvent

ADDRESS_LIMIT = 300
PHONE_LIMIT = 40
SCHOOL_FIELDS = ("address", "phone", "time_zone")
# Digits with the marks people write phones with, and an extension.
_PHONE = re.compile(r"^\+?[0-9 ().\-/]+((x|ext\.?)\s*[0-9]{1,6})?$", re.IGNORECASE)


class DetailsError(ValueError):
    """The details cannot be saved as given; errors maps field -> message."""

    def __init__(self, errors):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def parse_phone(value, errors, field="phone", required=False):
    """A phone as typed, checked: 7 to 15 digits, the usual marks, an extension."""
    phone = " ".join(clean_text(value, PHONE_LIMIT, errors, field, "Phone", required=required).split())
    if phone and field not in errors and not is_phone(phone):
        errors[field] = Message("Give a phone number of 7 to 15 digits, like (555) 201-3344 or +1 555 201 3344 x12.")
    return phone


def is_phone(phone):
    """Is phone (its spaces collapsed) one the app takes: 7 to 15 digits, the usual marks, an extension?"""
    digits = len(re.sub(r"(x|ext\.?)\s*[0-9]+$", "", phone, flags=re.IGNORECASE).translate(
        {ord(c): None for c in " ().-/+"}))
    return bool(_PHONE.match(phone)) and 7 <= digits <= 15


def imported_phone(raw, column):
    """(phone, None) of a district file's phone cell, kept as the district wrote it as a phone typed on a
    page is kept (spaces collapsed), or (None, why) when a page would refuse it. A phone is never
    reformatted: a number an officer marked wrong is known again by its text (students.phones)."""
    phone = " ".join(strip_controls(raw).split())
    if len(phone) <= PHONE_LIMIT and is_phone(phone):
        return phone, None
    return None, Message("%(column)s '%(raw)s' is not a phone number: give 7 to 15 digits, like (555) 201-3344 or "
                         "+1 555 201 3344 x12", column=column, raw=raw)


def tel_uri(phone):
    """The tel: link of a phone as typed (RFC 3966): its digits, a leading +
    kept, and an extension as ";ext=". "(555) 201-3344 x12" gives
    "tel:5552013344;ext=12". Empty when the text holds no digit."""
    text = (phone or "").strip()
    extension = re.search(r"(?:x|ext\.?)\s*([0-9]{1,6})\s*$", text, flags=re.IGNORECASE)
    if extension:
        text = text[:extension.start()]
    digits = re.sub(r"[^0-9]", "", text)
    if not digits:
        return ""
    plus = "+" if text.lstrip().startswith("+") else ""
    return f"tel:{plus}{digits}" + (f";ext={extension.group(1)}" if extension else "")


def save_school_details(user, school, form):
    """Set what an administrator keeps for a school from a form: address and
    phone (printed on letters; empty clears) and time_zone (an IANA name such
    as "America/New_York", fieldapp.timefmt; empty: the installation's
    FIELDAPP_TIME_ZONE). A field the form lacks is left as it is; a form with
    none of them is refused. Raises DetailsError (field -> message). Audited."""
    errors, fields = {}, [key for key in SCHOOL_FIELDS if key in form]
    if not fields:
        errors["phone"] = Message("Type the address and phone (an empty box clears one).")
    values = {"address": clean_text(form.get("address"), ADDRESS_LIMIT, errors, "address", "Address"),
              "phone": parse_phone(form.get("phone"), errors),
              "time_zone": _time_zone(form.get("time_zone"), errors)}
    if errors:
        raise DetailsError(errors)
    with database.atomic():
        for key in fields:
            setattr(school, key, values[key])
        school.save(only=fields)
        AuditEvent.create(user=user, action="school.details", object_type="school", object_id=str(school.id),
                          detail=" | ".join(f"{key}: {values[key]}" for key in fields)[:1000])
    return school


def _time_zone(value, errors):
    typed = (value or "").strip()[:64]
    if typed and not timefmt.valid_zone(typed):
        errors["time_zone"] = Message("Choose an IANA time zone such as America/New_York.")
    return typed


def save_own_phone(user, form):
    """Set the user's own work phone (printed on letters); empty clears."""
    errors = {}
    if "phone" not in form:
        errors["phone"] = Message("Type your phone (an empty box clears it).")
    phone = parse_phone(form.get("phone"), errors)
    if errors:
        raise DetailsError(errors)
    user.phone = phone
    user.save(only=["phone"])
    return user
