"""The shape of what a phone sends to POST /api/sync, checked in one place (pydantic).

This module checks types, ranges and lengths, so that the rest of sync only meets
typed values: an id is a whole number a database column can hold, a text has a
bounded length, a list holds what it should. What the values *mean* (a code from
the lists, a time not in the future, a case the officer may log on) is checked by
the contact rules (fieldapp/cases/contacts.py) and by batch.py.

Any JSON value whatever may arrive as an entry; read_entry never raises.
"""
import datetime
import uuid as uuidlib
from typing import Annotated, Any, Optional

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from fieldapp.messages import Message, N_

ID_MAX = 2 ** 31 - 1  # id columns are 32-bit integers on PostgreSQL
TEXT_MAX = 100_000  # past this a text is refused here; the notes' own limit is the contact rules'
CODE_MAX = 64
LIST_MAX = 50
TIME_MAX = 64

WRONG_FORM = N_("This value has the wrong form; edit the entry and save it again.")
WRONG_LIST = N_("This list has the wrong form; edit the entry and save it again.")
LABELS = {"notes": N_("Notes")}
LISTS = ("reasons", "people_present", "siblings")


def _whole_number(value):
    # JSON true is not an id; a digit string is, if its digits are ASCII (not "²").
    if isinstance(value, bool):
        raise ValueError("a boolean is not an id")
    if isinstance(value, str) and not (value.isascii() and value.isdigit() and len(value) <= 12):
        raise ValueError("not a whole number")
    return value


def _text(value):
    # A lone surrogate ("\ud800") is valid JSON but no database can store it.
    if isinstance(value, str) and not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("a character that cannot be stored") from None
    return "" if value is None else value


def _flag(value):
    if value is None or value == "":
        return False
    if isinstance(value, str):
        return value.strip().lower() in ("1", "on", "true", "yes")
    return value


Id = Annotated[int, BeforeValidator(_whole_number), Field(ge=1, le=ID_MAX)]
Code = Annotated[str, BeforeValidator(_text), Field(max_length=CODE_MAX)]
Codes = Annotated[list[Code], BeforeValidator(lambda v: [] if v is None else v),
                  Field(max_length=LIST_MAX)]
Coordinate = Annotated[Optional[Annotated[float, Field(allow_inf_nan=False)]],
                       BeforeValidator(lambda v: None if v == "" else v)]


class Entry(BaseModel):
    """One outbox entry, typed. Unknown keys are ignored (a newer phone may send more)."""
    model_config = ConfigDict(extra="ignore", frozen=True)

    uuid: uuidlib.UUID
    user_id: Id
    case_id: Id
    method: Code = ""
    outcome: Code = ""
    reasons: Codes = []
    people_present: Codes = []
    notes: Annotated[str, BeforeValidator(_text), Field(max_length=TEXT_MAX)] = ""
    follow_up_on: Annotated[str, BeforeValidator(_text), Field(max_length=TIME_MAX)] = ""
    interpreter_used: Annotated[bool, BeforeValidator(_flag)] = False
    language: Code = ""
    latitude: Coordinate = None
    longitude: Coordinate = None
    siblings: Annotated[list[Id], BeforeValidator(lambda v: [] if v is None else v),
                        Field(max_length=LIST_MAX)] = []
    occurred_at: Annotated[str, BeforeValidator(_text), Field(max_length=TIME_MAX)] = ""

    def as_json(self):
        """The entry as JSON text, keys sorted: what a conflict keeps for a supervisor."""
        return self.model_dump_json()


class Parsed:
    """What read_entry made of one JSON value: the typed entry or the errors, and the
    ids it could read (to answer wrong_user and to group entries by case)."""

    def __init__(self, raw, entry=None, errors=None, user_id=None, case_id=None):
        self.raw, self.entry, self.errors = raw, entry, errors or {}
        self.user_id, self.case_id = user_id, case_id
        uuid = raw.get("uuid") if isinstance(raw, dict) else None
        self.uuid_text = uuid if isinstance(uuid, str) and len(uuid) <= TIME_MAX else None
        self.uuid = entry.uuid if entry else _uuid_or_none(uuid)


def _uuid_or_none(value):
    try:
        return uuidlib.UUID(value) if isinstance(value, str) else None
    except ValueError:
        return None


def read_entry(raw):
    """A Parsed for any JSON value sent as an entry; never raises.

    errors maps a field to a Message saying what to fix (latitude and longitude
    are reported as "location", as the contact form shows them).
    """
    if not isinstance(raw, dict):
        return Parsed(raw, errors={"entry": Message("This entry is not an object.")})
    try:
        entry = Entry.model_validate(raw)
    except ValidationError as error:
        errors = _messages(error, raw)
        return Parsed(raw, errors=errors, user_id=_field(raw, "user_id"),
                      case_id=_field(raw, "case_id"))
    return Parsed(raw, entry=entry, user_id=entry.user_id, case_id=entry.case_id)


def _field(raw, name):
    """One id of an entry that failed elsewhere, if that id itself is fine."""
    try:
        return _IdOnly.model_validate({"value": raw.get(name)}).value
    except ValidationError:
        return None


class _IdOnly(BaseModel):
    value: Id


def _messages(error, raw):
    errors = {}
    for problem in error.errors(include_url=False, include_input=False):
        field = str(problem["loc"][0]) if problem["loc"] else "entry"
        if field in errors:
            continue
        if field == "uuid":
            errors[field] = Message("The entry has no valid id.")
        elif field in ("latitude", "longitude"):
            errors["location"] = Message("The location is not a valid position; clear it or try again.")
        elif field in LABELS and problem["type"] in ("string_too_long", "too_long"):
            text = raw.get(field)
            errors[field] = Message("%(label)s is too long: %(count)s characters; keep it under %(limit)s.",
                                    label=Message(LABELS[field]), count=len(text),
                                    limit=TEXT_MAX)
        else:
            errors[field] = Message(WRONG_LIST if field in LISTS else WRONG_FORM)
    return errors


def instant(value):
    """An ISO 8601 time with a UTC offset (from a phone) -> naive UTC; None when it is
    not one, or lies where the calendar ends (year 1 or 9999 shifted past its edge)."""
    if not isinstance(value, str) or not value.strip() or len(value) > TIME_MAX:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        if moment.tzinfo is None:
            return None
        return moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    except (ValueError, OverflowError):
        return None


def has_offset(value):
    """True when value reads as an ISO 8601 time that carries a UTC offset."""
    try:
        return datetime.datetime.fromisoformat(value.strip().replace("Z", "+00:00")).tzinfo is not None
    except (ValueError, AttributeError):
        return False


class Device(BaseModel):
    """What a phone reports about its outbox beside a batch."""
    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9-]{8,64}$", strict=True)]
    pending: Annotated[int, Field(ge=0, le=1_000_000, strict=True)]
    oldest_at: Any = None


def read_device(raw):
    """(device_id, pending, oldest_pending_at as naive UTC) or None when unusable.

    A report that cannot be read is not kept; it never blocks the entries it came with.
    """
    try:
        device = Device.model_validate(raw)
    except ValidationError:
        return None
    if not device.pending:
        return device.id, 0, None
    oldest = instant(device.oldest_at)
    return (device.id, device.pending, oldest) if oldest else None


class Batch(BaseModel):
    """The body of POST /api/sync: entries (each read on its own) and a device report."""
    model_config = ConfigDict(extra="ignore")
    entries: list[Any] = []
    device: Any = None
