"""Storing a chunk of new contacts from a phone at once.

Each contact is stored exactly as contacts.log_contact stores one (a test
holds the two to the same fields); the difference is one INSERT for the chunk
and one update for the chunk's cases instead of one per contact, which is what lets a
phone's 1,000 queued contacts land within the time budget. The case's
derived fields are moved on by the new contacts alone (contacts.add_to_cases),
so a chunk costs the same on a case with a long history as on a new one.
"""
from fieldapp.accounts import roles
from fieldapp.cases import contacts
from fieldapp.db import Param, PreparedBySize
from fieldapp.models import Contact, utcnow

# Every column but the id: _row gives each (no default is left to the INSERT).
# (the student's school is the database's to write: migration 0700)
_COLUMNS = tuple(name for name in Contact._meta.sorted_field_names if name not in ("id", "student_school_id"))


def _row(user, case, clean, contact_uuid, received_at, changes=None):
    """changes: the author's role changes (roles.role_changes), read once per
    chunk: a contact takes the role its author held when it happened, not
    at the sync, which may come after a role change."""
    return dict(
        uuid=contact_uuid, case=case.id, student=case.student_id, author=user.id,
        author_role=roles.role_at(user, clean["occurred_at"], changes),
        method=clean["method"], outcome=clean["outcome"],
        reasons=",".join(clean["reasons"]), people_present=",".join(clean["people_present"]),
        notes=clean["notes"], notes_code="", notes_values="", follow_up_on=clean["follow_up_on"],
        interpreter_used=clean["interpreter_used"], language=clean["language"],
        latitude=clean["latitude"], longitude=clean["longitude"],
        occurred_at=clean["occurred_at"], received_at=received_at, amends=None,
        amendment_reason="", household_visit=None)


def store_new(user, items):
    """Store (case, clean, uuid) items whose UUIDs are new; return {uuid: Contact}
    of those stored. A UUID stored meanwhile by another sender is left as it is
    and missing from the answer: the caller applies that entry again on its own.

    One statement stores the chunk and gives back the new ids (RETURNING), so
    the contacts are not read again. Call inside a transaction.
    """
    received_at = utcnow()
    times = [clean["occurred_at"] for _, clean, _ in items if clean["occurred_at"] is not None]
    changes = roles.role_changes(user, min(times) if times else None)
    rows = {uuid: _row(user, case, clean, uuid, received_at, changes) for case, clean, uuid in items}
    values = {name: [row[name] for row in rows.values()] for name in _COLUMNS}
    stored = {}
    for contact_id, contact_uuid in _INSERT.cursor(len(rows), **values):
        stored[contact_uuid] = _stored(contact_id, rows[contact_uuid])
    by_case = {}
    for contact in stored.values():
        by_case.setdefault(contact.case_id, []).append(contact)
    contacts.add_to_cases({case: by_case[case.id] for case in {case.id: case for case, _, _ in items}.values()
                           if case.id in by_case})
    return stored


def _stored(contact_id, row):
    """The Contact a row just stored is, its fields given at once as a select
    gives them (setting them one by one was a tenth of a chunk's request)."""
    contact = Contact(__no_default__=1)
    contact.__data__ = {"id": contact_id, **row}
    return contact


# The SQL of an INSERT of n rows is built once for each n (a phone's chunks
# come in a few sizes); building it was a tenth of a chunk's request.
_INSERT = PreparedBySize(lambda n: Contact.insert_many(
    [{name: Param(name, getattr(Contact, name).db_value, index=i) for name in _COLUMNS} for i in range(n)])
    .on_conflict(conflict_target=[Contact.uuid], action="NOTHING").returning(Contact.id, Contact.uuid).tuples())


# Fields that make a contact what it is; the household visit id and the receipt
# time are bookkeeping, as in log_contact's own comparison.
_BOOKKEEPING = ("received_at", "household_visit")
_FOREIGN = ("case", "student", "author", "amends")


def same_content(existing, user, case, clean):
    """True when storing clean on case now would give exactly the stored contact."""
    row = _row(user, case, clean, existing.uuid, existing.received_at)
    for name, value in row.items():
        if name in _BOOKKEEPING:
            continue
        stored = getattr(existing, name + "_id") if name in _FOREIGN else getattr(existing, name)
        if stored != value:
            return False
    return True
