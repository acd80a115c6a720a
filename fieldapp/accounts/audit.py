"""The audit trail of log-ins and administrative actions: who did what, to
whom, when, from where, and what changed (before and after, as JSON)."""
import json
import re

from fieldapp.messages import N_, NP_, Message, plural_message
from fieldapp.models import AuditEvent, User

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean(text, limit):
    """text without control characters (PostgreSQL refuses NUL), cut to limit."""
    return _CONTROL.sub("", text or "")[:limit]


# AuditEvent.detail_code -> what the app says of the line, in the reader's
# language; its values are detail_values' (num: a count; a list: labels, each
# said in the reader's words; "then": [code, values] of a second part).
DETAILS = {"sessions_ended": NP_("%(num)d session ended", "%(num)d sessions ended"),
           "other_sessions_ended": NP_("%(num)d other session ended", "%(num)d other sessions ended"),
           "letter_sent": N_("%(how)s, %(when)s"),
           "letter_sent_batch": N_("%(how)s, %(when)s (with its batch)"),
           "plan_edited": N_("version %(version)s: %(fields)s"),
           "plan_translation_checked": N_("version %(version)s: translation checked"),
           "translation_current": N_("translation %(language)s by %(by)s (%(translator)s), current"),
           "translation_of_version": N_("translation %(language)s by %(by)s (%(translator)s), of version "
                                        "%(version)s")}


def sessions_ended(count, others=False):
    """The detail of a line that ended count sessions (others: the user's
    other sessions, theirs kept): {"detail_code", "detail_values"} for record()."""
    return {"detail_code": "other_sessions_ended" if others else "sessions_ended",
            "detail_values": {"num": count}}


def record(actor, action, target=None, ip="", detail="", before=None, after=None, detail_code="",
           detail_values=None):
    """Write one AuditEvent. actor and target are Users (or None); before and
    after are dicts of the fields an administrative change touched; detail:
    text from outside, kept as it is; detail_code (a key of DETAILS) and
    detail_values (a dict): what the app says of the line (see sessions_ended)."""
    if detail_code and detail_code not in DETAILS:
        raise KeyError(detail_code)
    return AuditEvent.create(
        user=actor, action=action,
        object_type="user" if target is not None else "",
        object_id=str(target.id) if target is not None else "",
        detail=clean(detail, 2000), ip=clean(ip, 64), detail_code=detail_code,
        detail_values=json.dumps(detail_values, sort_keys=True) if detail_values else "",
        before=json.dumps(before, sort_keys=True, ensure_ascii=False) if before is not None else "",
        after=json.dumps(after, sort_keys=True, ensure_ascii=False) if after is not None else "")


def detail(code, **values):
    """The fields of an AuditEvent whose detail the app says: code a key of
    DETAILS, values text, numbers, lists of labels (English, said in the
    reader's words), and then=(code, values) for a second part."""
    if code not in DETAILS:
        raise KeyError(code)
    return {"detail_code": code, "detail_values": json.dumps(values, sort_keys=True) if values else ""}


def detail_said(event):
    """The Message of what the app said of an AuditEvent (its detail_code), or None."""
    if (event.detail_code or "") not in DETAILS:
        return None
    return _said(event.detail_code, json.loads(event.detail_values or "{}"))


def _said(code, values):
    said = DETAILS[code]
    then = values.pop("then", None)
    values = {key: tuple(value) if isinstance(value, list) else value for key, value in values.items()}
    message = plural_message(*said, values.get("num", 0), **values) if isinstance(said, tuple) \
        else Message(said, **values)
    if then and then[0] in DETAILS:
        return Message("%(said)s; %(then)s", said=message, then=_said(then[0], dict(then[1])))
    return message


def user_snapshot(user):
    """The fields of a user an administrator changes, for before/after."""
    return {"email": user.email, "name": user.name, "role": user.role, "active": user.active,
            "schools": sorted(user.school_ids())}


def decoded(event):
    """(before, after) of an AuditEvent as dicts (empty when not recorded)."""
    return (json.loads(event.before) if event.before else {},
            json.loads(event.after) if event.after else {})


# The fields of user_snapshot, in the order a reader meets them on the user's page.
SNAPSHOT_FIELDS = ("name", "email", "role", "active", "schools")


def changes(event):
    """[(field, before, after)] for each field an event changed, the user's
    fields first (SNAPSHOT_FIELDS order), then any other by name; a field
    absent on one side is None there."""
    before, after = decoded(event)
    keys = [k for k in SNAPSHOT_FIELDS if k in before or k in after]
    keys += sorted((set(before) | set(after)) - set(SNAPSHOT_FIELDS))
    return [(key, before.get(key), after.get(key)) for key in keys if before.get(key) != after.get(key)]


def target_of(event):
    """The User an event was about, or None."""
    if event.object_type != "user" or not event.object_id.isdigit():
        return None
    return User.get_or_none(User.id == int(event.object_id))
