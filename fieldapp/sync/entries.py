"""Turning one outbox entry (JSON from a phone) into the contact form's fields."""
import datetime

from fieldapp.cases.contacts import MULTI_FIELDS
from fieldapp.messages import Message
from fieldapp.numbers import record_id

SCALAR_FIELDS = ("method", "outcome", "notes", "follow_up_on", "interpreter_used", "language",
                 "latitude", "longitude", "occurred_at")


def iso(moment):
    """A stored naive UTC time as ISO 8601 with a Z, for JSON answers."""
    return moment.replace(microsecond=0).isoformat() + "Z" if moment else None


def parse_instant(value):
    """An ISO time with an offset from a phone -> naive UTC, or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)


def _scalar(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


def entry_form(entry):
    """The form dict validate_contact expects, and errors for values of the wrong shape.

    A phone's entry must say when the contact happened, with an offset: the
    server never fills in its own time, so a resend compares equal.
    """
    form, errors = {}, {}
    for field in SCALAR_FIELDS:
        value = _scalar(entry.get(field))
        if value is None:
            errors[field] = Message("This value has the wrong form; edit the entry and save it again.")
            value = ""
        form[field] = value
    for field in MULTI_FIELDS:
        values = entry.get(field) or []
        if not isinstance(values, list) or not all(isinstance(v, (str, int)) for v in values):
            errors[field] = Message("This list has the wrong form; edit the entry and save it again.")
            values = []
        form[field] = [str(v) for v in values]
    if parse_instant(entry.get("occurred_at")) is None:
        errors["occurred_at"] = Message("The time of the contact is missing; give the date and time.")
    return form, errors


def case_id_of(entry):
    """The case an entry names, as an int, or None."""
    value = entry.get("case_id")
    return record_id(value)


def user_id_of(entry):
    return record_id(entry.get("user_id"))
