"""Applying a batch of outbox entries from a phone: each exactly once, each on its own.

Every entry gets one answer (DESIGN.md §3):
  created    a new UUID was stored; the receipt names the contact and when it arrived
  duplicate  the UUID is stored with the same content; the same receipt, no new row
  conflict   the UUID is stored with other content; the first stays, the second is
             kept for a supervisor (SyncConflict), once per distinct version
  invalid    field errors; nothing stored, the phone keeps the entry
  wrong_user the entry was logged on the phone by another account; nothing stored

Each entry is read by the schema (schema.py) on its own, so no value in one
entry, however strange, can fail the others or the request.
"""
import contextlib
import hashlib

from peewee import IntegrityError

from fieldapp import policy
from fieldapp.cases import contacts
from fieldapp.db import Params, PreparedBySize, commit_held, database, in_held_transaction, is_postgres
from fieldapp.messages import Message
from fieldapp.models import Case, Contact, SyncConflict, utcnow
from fieldapp.students.records import household_of
from fieldapp.sync import schema, store
from fieldapp.sync.entries import entry_form, iso, parse_instant

MAX_ENTRIES = 1000
CHUNK = 100  # entries per transaction; each entry has its own savepoint


class BatchRefused(ValueError):
    """The request as a whole cannot be applied (not a batch, or too large)."""

    def __init__(self, message, status=400, **extra):
        super().__init__(message)
        self.status = status
        self.extra = extra


def parse_batch(body):
    """The entries list and the device report of a request body (parsed JSON)."""
    if not isinstance(body, dict):
        raise BatchRefused("Send a JSON object with an 'entries' list.")
    try:
        batch = schema.Batch.model_validate(body)
    except schema.ValidationError:
        raise BatchRefused("'entries' must be a list.") from None
    if len(batch.entries) > MAX_ENTRIES:
        raise BatchRefused(f"A batch holds at most {MAX_ENTRIES} entries; send the rest in "
                           "another batch.", status=413, limit=MAX_ENTRIES)
    return batch.entries, batch.device if isinstance(batch.device, dict) else None


def apply_batch(user, entries, device_id="", now=None, also=None):
    """Apply each entry (any JSON value) for user, the officer logged in.

    Returns one result per entry, in order: {"uuid", "status", ...} as the module
    docstring lists. Never raises for what an entry holds. also, if given, is
    called with no argument inside the last transaction (the phone's report), so
    a phone's usual sync of up to CHUNK entries commits once. Inside a request's
    held transaction (db.held_transaction) the chunks run in it, and it is
    committed after each: the request commits once in all for a chunk's sync.
    """
    now = now or utcnow()
    context = _BatchContext(user, device_id, now)
    entries = [schema.read_entry(raw) for raw in entries]
    context.load_cases({e.case_id for e in entries} - {None})
    # Entries of one case go in one chunk, so each case is refreshed once, not per chunk.
    order = sorted(range(len(entries)), key=lambda i: (entries[i].case_id or -1, i))
    results = [None] * len(entries)
    chunks = [order[start:start + CHUNK] for start in range(0, len(order), CHUNK)] or ([[]] if also else [])
    for number, indexes in enumerate(chunks, 1):
        with _transaction():
            answers = _apply_chunk(context, [entries[i] for i in indexes])
            if also is not None and number == len(chunks):
                also()
        if number < len(chunks):
            commit_held()  # a request's held transaction: commit each chunk, as on its own
        for i, answer in zip(indexes, answers):
            results[i] = answer
    return results


class _New:
    """A valid contact with a new UUID, waiting to be stored with the rest of its chunk."""

    def __init__(self, entry, case, clean, contact_uuid):
        self.entry, self.item, self.uuid = entry, (case, clean, contact_uuid), contact_uuid


def _apply_chunk(context, chunk):
    """Answer each entry of a chunk; new plain contacts are stored together at the end."""
    if not chunk:
        return []
    context.known = _stored_contacts(chunk)
    uuids = [e.uuid for e in chunk if e.uuid]
    context.together = len(set(uuids)) == len(uuids)  # no UUID twice in the chunk
    results = [_apply_safely(context, entry) for entry in chunk]
    waiting = [(i, r) for i, r in enumerate(results) if isinstance(r, _New)]
    if not waiting:
        return results
    stored = store.store_new(context.user, [new.item for _, new in waiting])
    raced = [(i, new) for i, new in waiting if new.uuid not in stored]
    for i, new in waiting:
        if new.uuid in stored:
            results[i] = _answer(new.entry, "created", receipt=_receipt(stored[new.uuid]))
    if raced:  # another sender stored these first: each on its own, as a replay
        context.together, context.known = False, {}
        for i, new in raced:
            results[i] = _apply_safely(context, new.entry)
    return results


def _stored_contacts(chunk):
    """The contacts already stored under the chunk's UUIDs, in one query."""
    uuids = list({e.uuid for e in chunk if e.uuid})
    if not uuids:
        return {}
    return {c.uuid: c for c in _CONTACTS_BY_UUID.cursor(len(uuids), uuids=uuids)}


# Asked on every sync request, as are the cases of its entries (load_cases).
_CONTACTS_BY_UUID = PreparedBySize(lambda n: Contact.select().where(Contact.uuid.in_(Params("uuids", n))))
# What an entry needs of its case: who may log on it (the copy of its
# student's school, policy.can_on_stored_case), whether it is open, and the
# student a contact on it is about. Not its derived fields: the UPDATE that
# moves them on gives them back (contacts.add_to_cases). A phone's chunk
# of 50 names up to 50 cases, each read again by the next chunk, and each
# read whole (22 columns, each converted) where one batch reads them once.
_CASE_FIELDS = (Case.id, Case.student, Case.student_school_id, Case.status, Case.closed_at)
_CASE_NAMES = tuple(field.name for field in _CASE_FIELDS)
_CASES_BY_ID = PreparedBySize(lambda n: Case.select(*_CASE_FIELDS).where(Case.id.in_(Params("ids", n))).tuples())


def _case_from(row):
    """A Case of a row of _CASE_FIELDS, its fields given at once as a select of
    models gives them (setting them one by one was half of what reading a
    chunk's cases cost); the fields not read are not set (None on reading)."""
    case = Case(__no_default__=1)
    case.__data__ = dict(zip(_CASE_NAMES, row))
    return case


def _transaction():
    if in_held_transaction():  # the request's own: one commit for the count, the session and the chunk
        return contextlib.nullcontext()
    # SQLite: take the write lock first, so two senders queue instead of failing.
    return database.atomic() if is_postgres() else database.atomic("IMMEDIATE")


def _apply_safely(context, entry):
    """One entry, all or nothing (log_contact writes in its own savepoint); a racing
    sender's insert of the same UUID is answered on a retry, as a duplicate."""
    try:
        return _apply(context, entry)
    except IntegrityError:
        context.known = {}
        return _apply(context, entry, fresh=True)


class _BatchContext:
    """What a batch looks up once: the user's scope, the cases it names."""

    def __init__(self, user, device_id, now):
        self.user, self.device_id, self.now = user, device_id, now
        self.may_log = policy.allowed(user, "contact.log")
        self.scope = policy.school_scope(user) if self.may_log else set()
        self.cases = {}
        self.known = {}  # uuid -> Contact stored before this chunk
        self.together = False  # store new contacts of the chunk in one go

    def load_cases(self, case_ids):
        """Fetch the cases a batch names in one query (in slices, for SQLite's limits)."""
        ids = sorted(case_ids)
        for start in range(0, len(ids), 500):
            part = ids[start:start + 500]
            self.cases.update({case_id: None for case_id in part})
            self.cases.update({row[0]: _case_from(row) for row in _CASES_BY_ID.cursor(len(part), ids=part)})

    def case(self, case_id):
        if case_id not in self.cases:
            self.cases[case_id] = Case.get_or_none(Case.id == case_id)
        return self.cases[case_id]

    def may_log_on(self, case):
        # Cases here are read from the database (load_cases, case): their row says the school.
        return self.may_log and policy.can_on_stored_case(self.user, "contact.log", case)


def _answer(parsed, status, **extra):
    return {"uuid": parsed.uuid_text, "status": status, **extra}


def _receipt(contact):
    return {"contact_id": contact.id, "student_id": contact.student_id,
            "received_at": iso(contact.received_at)}


def _apply(context, parsed, fresh=False):
    if "entry" in parsed.errors or parsed.uuid is None:
        return _answer(parsed, "invalid", errors=parsed.errors or {
            "uuid": Message("The entry has no valid id.")})
    if parsed.user_id is not None and parsed.user_id != context.user.id:
        return _answer(parsed, "wrong_user", message=Message(
            "This entry was logged on the phone by another account; it is sent when that "
            "officer logs in."))
    if parsed.entry is None:  # the schema refused it: say every field that is wrong
        return _answer(parsed, "invalid", errors=parsed.errors)
    existing = context.known.get(parsed.uuid)
    if existing is None and fresh:
        existing = Contact.get_or_none(Contact.uuid == parsed.uuid)
    if existing is not None:
        return _replay(context, parsed, existing)
    return _store(context, parsed)


def _checked(context, parsed, now):
    """The case and the clean fields of a typed entry, with every error a new entry
    would get: scope, codes, times, lengths."""
    form, shape_errors = entry_form(parsed.entry)
    case, errors = _case_for(context, parsed)
    clean, field_errors = contacts.validate_contact(form, context.user, now=now)
    return case, form, clean, {**field_errors, **shape_errors, **errors}


def _replay(context, parsed, existing):
    """The UUID is known: the same content is a duplicate; another version that passes
    every check a new entry must pass is a conflict; one that does not is invalid."""
    # Validate as of the first arrival, so a late resend is judged as the original was;
    # the stored one's own resend is a duplicate even if the officer's scope changed since.
    case, form, clean, errors = _checked(context, parsed, existing.received_at)
    if parsed.case_id == existing.case_id and not (errors.keys() - {"case_id"}) and \
            store.same_content(existing, context.user, context.case(existing.case_id), clean):
        return _answer(parsed, "duplicate", receipt=_receipt(existing))
    if case is not None and not errors:  # siblings out of reach, as for a new entry
        _sibling_cases(context, case, form, clean, errors)
    if errors:
        return _answer(parsed, "invalid", errors=errors)
    return _conflict(context, parsed, existing)


def _store(context, parsed):
    """A new UUID: check the case and the fields, then store the contact (and siblings')."""
    entry, contact_uuid = parsed, parsed.uuid
    case, form, clean, errors = _checked(context, parsed, context.now)
    if case is not None and not errors:
        _check_closed(case, clean, errors)
    siblings = _sibling_cases(context, case, form, clean, errors) if case and not errors else []
    if errors:
        return _answer(entry, "invalid", errors=errors)
    # A letter logged by hand holds its case's row as it is stored (contacts.log_contact).
    if context.together and not siblings and clean["method"] != "letter":
        return _New(entry, case, clean, contact_uuid)
    created = True
    try:
        if siblings:
            contact = contacts.log_household_visit(context.user, case, clean, siblings,
                                                   contact_uuid)[0]
        else:
            contact, created = contacts.log_contact(context.user, case, clean, contact_uuid)
    except contacts.ContactConflict as conflict:
        return _conflict(context, entry, conflict.existing)
    context.known[contact_uuid] = contact  # the same UUID later in this batch is a replay
    return _answer(entry, "created" if created else "duplicate", receipt=_receipt(contact))


def _case_for(context, parsed):
    case_id = parsed.case_id
    case = context.case(case_id) if case_id is not None else None
    if case is None:
        return None, {"case_id": Message("There is no such case; it may have been removed.")}
    if not context.may_log_on(case):
        return None, {"case_id": Message("Your account may not log contacts on this case.")}
    return case, {}


def _check_closed(case, clean, errors):
    # A visit made while the case was open belongs on its record, even if the
    # case was closed before the phone found a signal.
    if not case.is_open and clean["occurred_at"] >= case.closed_at:
        errors["case_id"] = Message("This case was closed before the contact; ask a supervisor.")


def _sibling_cases(context, case, form, clean, errors):
    wanted = {s for s in form.get("siblings", []) if s}
    if not wanted:
        return []
    if clean.get("method") != "home_visit":
        errors["siblings"] = Message("Only a home visit can be logged for siblings at once.")
        return []
    household = household_of(case.student, context.scope)
    open_cases = contacts.open_cases_of(household)
    chosen = [open_cases[s.id] for s in household if str(s.id) in wanted and s.id in open_cases]
    if len(chosen) != len(wanted):
        errors["siblings"] = Message(
            "A sibling chosen has no open case now; untick them and save again.")
    return chosen


def _conflict(context, parsed, existing):
    """Keep the second version (as the schema typed it) for a supervisor, once per
    distinct version."""
    payload = parsed.entry.as_json()
    digest = hashlib.sha256(payload.encode()).hexdigest()
    conflict = SyncConflict.get_or_none((SyncConflict.contact_uuid == existing.uuid)
                                        & (SyncConflict.payload_hash == digest))
    if conflict is None:
        with database.atomic():  # a racing sender's same conflict: retried by the caller
            conflict = SyncConflict.create(
                contact_uuid=existing.uuid, contact=existing, sender=context.user,
                payload=payload, payload_hash=digest, errors="",
                device_id=context.device_id[:64], received_at=context.now)
    return _answer(parsed, "conflict", conflict={"id": conflict.id,
                                                 "received_at": iso(conflict.received_at)},
                   message=Message("Another version of this entry is already on the record. "
                                   "Both are kept; a supervisor will review them."))


def count_by_status(results):
    """How many results of each status, for the response and the benchmark."""
    counts = {}
    for result in results:
        counts[result["status"]] = counts.get(result["status"], 0) + 1
    return counts


__all__ = ["BatchRefused", "MAX_ENTRIES", "apply_batch", "count_by_status", "parse_batch",
           "parse_instant"]
