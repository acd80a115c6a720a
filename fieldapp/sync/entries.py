"""Turning one typed outbox entry (schema.Entry) into the contact form's fields."""
from fieldapp.messages import Message
from fieldapp.sync.schema import has_offset, instant

SCALAR_FIELDS = ("method", "outcome", "notes", "follow_up_on", "language", "occurred_at")
LIST_FIELDS = ("reasons", "people_present")


def iso(moment):
    """A stored naive UTC time as ISO 8601 with a Z, for JSON answers."""
    return moment.replace(microsecond=0).isoformat() + "Z" if moment else None


def parse_instant(value):
    """An ISO time with an offset from a phone -> naive UTC, or None (see schema.instant)."""
    return instant(value)


def _number(value):
    return "" if value is None else repr(value)


def entry_form(entry):
    """The form dict validate_contact expects from a schema.Entry, and errors of its own.

    A phone's entry must say when the contact happened, with an offset: the
    server never fills in its own time, so a resend compares equal. A time past
    the calendar's ends is the contact rules' to answer (in the future, too old).
    """
    form = {field: getattr(entry, field) for field in SCALAR_FIELDS}
    form.update({field: list(getattr(entry, field)) for field in LIST_FIELDS})
    form["siblings"] = [str(s) for s in entry.siblings]
    form["interpreter_used"] = "1" if entry.interpreter_used else ""
    form["latitude"], form["longitude"] = _number(entry.latitude), _number(entry.longitude)
    errors = {}
    if not has_offset(entry.occurred_at):
        errors["occurred_at"] = Message("The time of the contact is missing; give the date and time.")
    return form, errors
