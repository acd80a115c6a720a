"""Sync conflicts as a supervisor sees and resolves them."""
import json
import uuid as uuidlib

from fieldapp import policy
from fieldapp.cases import contacts
from fieldapp.cases.text import clean_text
from fieldapp.db import database
from fieldapp.messages import Message, N_
from fieldapp.models import Case, Contact, School, Student, SyncConflict, User, utcnow
from fieldapp.sync import schema
from fieldapp.sync.entries import entry_form, parse_instant

RESOLUTIONS = {
    "keep_first": N_("Keep the first version only"),
    "add_second": N_("Add the second version as its own contact"),
}
# Adding a second version is idempotent on this namespace: a double click adds one contact.
ADDED_NAMESPACE = uuidlib.UUID("8d0f5a52-3c61-4c2e-9a7e-5b1f6f3f2a10")


class ResolveError(ValueError):
    """The conflict cannot be resolved as asked; errors maps field -> message."""

    def __init__(self, errors):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def open_conflicts(limit=200):
    """Unresolved conflicts, oldest first, with the stored contact, its student (and
    school) and author, and the sender of the second version."""
    author, sender = User.alias(), User.alias()
    return list(SyncConflict.select(SyncConflict, Contact, Student, School, author, sender)
                .join(Contact, on=(SyncConflict.contact == Contact.id))
                .join(Student, on=(Contact.student == Student.id))
                .join(School, on=(Student.school == School.id)).switch(Contact)
                .join(author, on=(Contact.author == author.id)).switch(SyncConflict)
                .join(sender, on=(SyncConflict.sender == sender.id))
                .where(SyncConflict.resolved_at.is_null())
                .order_by(SyncConflict.received_at, SyncConflict.id).limit(limit))


def second_versions(conflicts):
    """{conflict id: the phone's version as a dict} for showing beside the first.

    Each dict holds the entry's fields, `_occurred` (its time as stored times are,
    naive UTC, or None) and `_case` (the case it names, with student and school, or None).
    """
    versions = {c.id: second_version(c) for c in conflicts}
    case_ids = {v["case_id"] for v in versions.values() if isinstance(v.get("case_id"), int)}
    cases = {}
    if case_ids:
        cases = {c.id: c for c in Case.select(Case, Student, School).join(Student)
                 .join(School, on=(Student.school == School.id))
                 .where(Case.id.in_(sorted(case_ids)))}
    for version in versions.values():
        version["_case"] = cases.get(version.get("case_id"))
    return versions


def second_version(conflict):
    """The phone's version as a dict of its fields, with `_occurred` (naive UTC or None)."""
    parsed = schema.read_entry(_payload(conflict))
    entry = parsed.entry.model_dump(mode="json") if parsed.entry else {}
    return {**entry, "_occurred": parse_instant(entry.get("occurred_at"))}


def _payload(conflict):
    try:
        return json.loads(conflict.payload)
    except (ValueError, RecursionError):
        return None


def resolve(supervisor, conflict, form):
    """Resolve a conflict: keep the first, or add the second as a new contact by its sender.

    Adding re-checks the second version as a new entry is checked now: the sender may
    still log on that case, and its fields pass the contact rules. Raises ResolveError.
    """
    errors = {}
    resolution = (form.get("resolution") or "").strip()
    note = clean_text(form.get("note"), 2000, errors, "note", N_("Note"))
    if resolution not in RESOLUTIONS:
        errors["resolution"] = Message("Choose what to do with the second version.")
    if conflict.resolved_at is not None:
        errors["resolution"] = Message("This conflict was already resolved.")
    if errors:
        raise ResolveError(errors)
    with database.atomic():
        # Resolved only while still open, decided in the UPDATE itself: a second
        # supervisor at that moment waits here, finds it resolved, adds nothing.
        resolved = dict(resolution=resolution, resolution_note=note, resolved_at=utcnow(),
                        resolved_by=supervisor)
        if not (SyncConflict.update(**resolved)
                .where((SyncConflict.id == conflict.id) & SyncConflict.resolved_at.is_null()).execute()):
            first = SyncConflict.get_by_id(conflict.id)
            raise ResolveError({"resolution": Message(
                "%(name)s resolved this conflict meanwhile (%(resolution)s); nothing was changed.",
                name=first.resolved_by.name if first.resolved_by_id else "",
                resolution=(RESOLUTIONS.get(first.resolution, first.resolution),))})
        added = _add_second(conflict) if resolution == "add_second" else None
        if added is not None:
            SyncConflict.update(added_contact=added).where(SyncConflict.id == conflict.id).execute()
    for name, value in resolved.items():
        setattr(conflict, name, value)
    conflict.added_contact = added
    return conflict


def _add_second(conflict):
    parsed = schema.read_entry(_payload(conflict))
    sender = User.get_by_id(conflict.sender_id)
    case = Case.get_or_none(Case.id == parsed.case_id) if parsed.case_id else None
    if parsed.entry is None or case is None:
        raise ResolveError({"resolution": Message("The second version names no case that exists.")})
    if not (policy.allowed(sender, "contact.log") and sender.is_active
            and policy.in_scope(sender, case.student.school_id)):
        raise ResolveError({"resolution": Message(
            "The second version cannot be added: its sender may not log contacts on that "
            "student's record.")})
    form, errors = entry_form(parsed.entry)
    clean, field_errors = contacts.validate_contact(form, sender, now=conflict.received_at)
    errors.update(field_errors)
    if errors:
        raise ResolveError({"resolution": Message("The second version cannot be added: %(why)s",
                                                  why=tuple(errors.values()))})
    new_uuid = uuidlib.uuid5(ADDED_NAMESPACE, str(conflict.id))
    contact, _ = contacts.log_contact(sender, case, clean, new_uuid)
    return contact
