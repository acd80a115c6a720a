"""The audit trail of log-ins and administrative actions: who did what, to
whom, when, from where, and what changed (before and after, as JSON)."""
import json
import re

from fieldapp.models import AuditEvent, User

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean(text, limit):
    """text without control characters (PostgreSQL refuses NUL), cut to limit."""
    return _CONTROL.sub("", text or "")[:limit]


def record(actor, action, target=None, ip="", detail="", before=None, after=None):
    """Write one AuditEvent. actor and target are Users (or None); before and
    after are dicts of the fields an administrative change touched."""
    return AuditEvent.create(
        user=actor, action=action,
        object_type="user" if target is not None else "",
        object_id=str(target.id) if target is not None else "",
        detail=clean(detail, 2000), ip=clean(ip, 64),
        before=json.dumps(before, sort_keys=True, ensure_ascii=False) if before is not None else "",
        after=json.dumps(after, sort_keys=True, ensure_ascii=False) if after is not None else "")


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
