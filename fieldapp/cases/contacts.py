"""Validating and logging contacts; amendments; household visits.

A contact is never edited or deleted. Logging is idempotent on the contact's
UUID (made by the form or the phone): the same UUID with the same content
returns the stored contact; with different content it is a conflict.
"""
import datetime
import functools
import uuid as uuidlib

from peewee import IntegrityError

from fieldapp import codes, policy
from fieldapp.accounts.roles import role_at
from fieldapp.cases import followups
from fieldapp.cases.text import clean_text, pick_many, pick_one
from fieldapp.db import Param, Prepared, database, is_postgres
from fieldapp.messages import Message, N_
from fieldapp.models import Case, Contact, User, open_among_students, utcnow
from fieldapp.timefmt import to_local, to_utc

MULTI_FIELDS = ("reasons", "people_present", "siblings")
NOTES_LIMIT = 5000
CLOCK_SKEW = datetime.timedelta(minutes=10)
OLDEST = datetime.timedelta(days=366)
FOLLOW_UP_HORIZON = datetime.timedelta(days=366)
TRUE_WORDS = ("1", "on", "true", "yes")
IN_FUTURE = Message("This is in the future; give the time the contact happened.")
TOO_OLD = Message("This is more than a year ago; check the year.")


class ContactConflict(Exception):
    """The UUID is already stored with different content."""

    def __init__(self, existing):
        super().__init__(f"contact {existing.uuid} already stored with other content")
        self.existing = existing


class AlreadyCorrected(Exception):
    """The contact being corrected has a correction already, saved by someone
    else first; `correction` is the latest one of its chain, the one on the
    record, to be corrected in turn if it still needs it."""

    def __init__(self, correction):
        super().__init__(f"contact {correction.amends_id} already corrected by {correction.id}")
        self.correction = correction


def _parse_when(value, errors, now, zone_name=None):
    text = (value or "").strip()
    if not text:
        return now
    try:
        parsed = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        errors["occurred_at"] = Message("Give the date and time as YYYY-MM-DD HH:MM.")
        return None
    try:
        if parsed.tzinfo is not None:  # from a phone: an exact instant
            parsed = parsed.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        else:  # typed in a form: the local time of the student's school
            parsed = to_utc(parsed, zone_name)
    except OverflowError:  # year 1 or 9999 shifted past the calendar's ends
        errors["occurred_at"] = IN_FUTURE if parsed.year > now.year else TOO_OLD
        return None
    if parsed > now + CLOCK_SKEW:
        errors["occurred_at"] = IN_FUTURE
        return None  # nothing is reckoned from a refused time (9999-12-31 + a year overflows)
    if parsed < now - OLDEST:
        errors["occurred_at"] = TOO_OLD
        return None
    return parsed.replace(microsecond=0)


def _parse_follow_up(value, errors, occurred, zone_name=None):
    text = (value or "").strip()
    if not text:
        return None
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        errors["follow_up_on"] = Message("Give the follow-up date as YYYY-MM-DD.")
        return None
    if occurred is not None:
        occurred_day = to_local(occurred, zone_name).date()
        if day < occurred_day:
            errors["follow_up_on"] = Message("The follow-up date must be on or after the contact.")
        elif day > occurred_day + FOLLOW_UP_HORIZON:
            errors["follow_up_on"] = Message("The follow-up date must be within a year.")
    return day


def _parse_coordinate(value, low, high, errors, field):
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is None or not (low <= number <= high):
        errors["location"] = Message("The location is not a valid position; clear it or try again.")
        return None
    return number


def validate_contact(form, user, now=None, zone_name=None):
    """Check a contact form (a dict; multi-valued fields as lists). A time
    typed without a zone is read in zone_name (the IANA zone of the student's
    school; None: the installation's).

    Returns (clean, errors): clean holds typed values, errors maps each field
    to a message saying what to fix.
    """
    now = now or utcnow()
    errors = {}
    clean = {
        "method": pick_one(form.get("method"), policy.methods_for(user), errors, "method",
                           N_("Method")),
        "outcome": pick_one(form.get("outcome"), codes.OUTCOMES, errors, "outcome", N_("Outcome")),
        "reasons": pick_many(form.get("reasons"), codes.REASONS, errors, "reasons", N_("Reasons")),
        "people_present": pick_many(form.get("people_present"), codes.PEOPLE, errors,
                                    "people_present", N_("People present")),
        "notes": clean_text(form.get("notes"), NOTES_LIMIT, errors, "notes", N_("Notes")),
        "interpreter_used": str(form.get("interpreter_used") or "").lower() in TRUE_WORDS,
        "language": pick_one(form.get("language"), codes.LANGUAGES, errors, "language",
                             N_("Language"), required=False) or "",
        "latitude": _parse_coordinate(form.get("latitude"), -90, 90, errors, "latitude"),
        "longitude": _parse_coordinate(form.get("longitude"), -180, 180, errors, "longitude"),
    }
    clean["occurred_at"] = _parse_when(form.get("occurred_at"), errors, now, zone_name)
    clean["follow_up_on"] = _parse_follow_up(form.get("follow_up_on"), errors, clean["occurred_at"],
                                             zone_name)
    _check_outcome_fits_method(clean, errors)
    if clean["interpreter_used"] and not clean["language"]:
        errors["language"] = Message("Say which language the interpreter used.")
    return clean, errors


def _check_outcome_fits_method(clean, errors):
    method, outcome = clean["method"], clean["outcome"]
    if method and outcome and outcome not in codes.METHOD_OUTCOMES.get(method, ()):
        errors["outcome"] = Message(
            "“%(outcome)s” is not an outcome of “%(method)s”: choose what happened.",
            outcome=(codes.label("outcome", outcome),), method=(codes.label("method", method),))


def parse_uuid(value):
    """A UUID from a form or phone, or None when it is not one."""
    try:
        return uuidlib.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return None


def _content(clean, case_id, amends_id):
    keys = ("method", "outcome", "reasons", "people_present", "notes", "follow_up_on",
            "interpreter_used", "language", "occurred_at", "latitude", "longitude")
    return {**{k: clean.get(k) for k in keys}, "case": case_id, "amends": amends_id}


def _stored_content(contact):
    return {
        "method": contact.method, "outcome": contact.outcome,
        "reasons": contact.reason_list, "people_present": contact.people_list,
        "notes": contact.notes, "follow_up_on": contact.follow_up_on,
        "interpreter_used": contact.interpreter_used, "language": contact.language,
        "occurred_at": contact.occurred_at, "latitude": contact.latitude,
        "longitude": contact.longitude, "case": contact.case_id, "amends": contact.amends_id,
    }


def _role_of_act(user, amends, occurred_at=None):
    """The role a contact is recorded with: its author's when it happened
    (fieldapp.accounts.roles.role_at: a visit typed a day late, after the
    author's role changed, keeps the role they held at the visit); a
    correction records the same act, so it keeps the role of the contact it
    corrects (a front-office call corrected by an officer is still a
    front-office call)."""
    if amends is not None and amends.author_role:
        return amends.author_role
    return role_at(user, occurred_at)


def log_contact(user, case, clean, contact_uuid=None, amends=None, amendment_reason="",
                household_visit=None, student=None, typed=True):
    """Store one contact on case and update the case; idempotent on contact_uuid.
    With case None, a contact about `student` that belongs to no case (a call
    the front office takes for a student without an open case): stored the
    same way, amended the same way, counted on no case.

    A letter logged by hand (typed: not one made by fieldapp.documents.letters)
    holds the case's row first, as a batch making the case's owed letter
    does: whichever comes second finds the other (fieldapp.documents.owed).

    Returns (contact, created). Raises ContactConflict when the UUID is known
    with other content, and AlreadyCorrected when `amends` has a correction
    already (one correction per contact: the check and the insert are one
    step under a lock on `amends`, and a unique index, migration 0420, backs it).
    """
    contact_uuid = contact_uuid or uuidlib.uuid4()
    try:
        return _store_contact(user, case, clean, contact_uuid, amends, amendment_reason,
                              household_visit, student, typed)
    except IntegrityError:
        # Stored at the same moment by another request (the unique UUID, or the
        # index of migration 0420 on `amends`): answer as if it had come first.
        existing = _answer_known(clean, case, contact_uuid, amends)
        if existing is None:
            raise
        return existing, False


def _answer_known(clean, case, contact_uuid, amends):
    """Raise what a contact stored first means for this one (ContactConflict or
    AlreadyCorrected), or return the stored one unchanged: the caller re-raises."""
    case_id = case.id if case is not None else None
    existing = Contact.get_or_none(Contact.uuid == contact_uuid)
    if existing is not None:
        if _stored_content(existing) == _content(clean, case_id, amends.id if amends else None):
            return existing
        raise ContactConflict(existing)
    if amends is not None:
        winner = latest_correction(amends)
        if winner is not None:
            raise AlreadyCorrected(winner)
    return None


def _store_contact(user, case, clean, contact_uuid, amends, amendment_reason, household_visit,
                   student, typed):
    with database.atomic():
        if typed and case is not None and clean.get("method") == "letter":
            from fieldapp.documents.owed import lock_cases
            lock_cases([case.id])
        if amends is not None:
            # Two people correcting one contact: the second waits here for the
            # first to commit, then finds its correction (SQLite: BEGIN IMMEDIATE).
            lock_contact(amends)
        existing = _answer_known(clean, case, contact_uuid, amends)
        if existing is not None:
            return existing, False
        contact = Contact.create(
            uuid=contact_uuid, case=case, student=case.student_id if case is not None else student.id,
            author=user, author_role=_role_of_act(user, amends, clean["occurred_at"]),
            method=clean["method"], outcome=clean["outcome"],
            reasons=",".join(clean["reasons"]), people_present=",".join(clean["people_present"]),
            notes=clean["notes"], notes_code=clean.get("notes_code", ""),
            notes_values=clean.get("notes_values", ""), follow_up_on=clean["follow_up_on"],
            interpreter_used=clean["interpreter_used"], language=clean["language"],
            latitude=clean["latitude"], longitude=clean["longitude"],
            occurred_at=clean["occurred_at"], amends=amends,
            amendment_reason=amendment_reason, household_visit=household_visit)
        if case is None:
            pass
        elif amends is None:
            add_to_case(case, [contact])
        else:  # a correction replaces a contact: derive the case again
            refresh_case(case)
    return contact, True


# A call logged for a student with no open case: a phone call, and only what
# a call can record (no place, no one present but the caller's side).
CALL_METHODS = ("phone",)


def validate_call(form, user, now=None, zone_name=None):
    """Check the form of a phone call about a student without an open case:
    validate_contact's fields, the method a phone call (CALL_METHODS).
    Returns (clean, errors)."""
    clean, errors = validate_contact(form, user, now, zone_name)
    if clean.get("method") and clean["method"] not in CALL_METHODS:
        errors["method"] = Message("Only a phone call is logged without a case; open a case for other contacts.")
    clean["latitude"] = clean["longitude"] = None
    errors.pop("location", None)
    return clean, errors


def validate_amendment(form, original):
    """The reason for an amendment; errors when missing or the original is itself superseded."""
    errors = {}
    reason = clean_text(form.get("amendment_reason"), 1000, errors, "amendment_reason",
                        N_("The reason for the correction"), required=True)
    if Contact.select().where(Contact.amends == original).exists():
        errors["amendment_reason"] = ALREADY_CORRECTED
    return reason, errors


ALREADY_CORRECTED = Message("This contact was already corrected; amend the latest correction.")


def lock_contact(contact):
    """Hold a contact's row until the transaction ends, so that the check that
    it has no correction yet and the correction's insert are one step. On
    PostgreSQL a second corrector waits here for the first to commit; SQLite's
    write transactions take the database's lock as they begin
    (fieldapp.db.WritingSqliteDatabase), which does the same."""
    if is_postgres():
        list(Contact.select(Contact.id).where(Contact.id == contact.id).for_update().tuples())


def latest_correction(contact):
    """The last correction in the chain that starts at contact (each corrects
    the one before: one correction per contact, migration 0420), or None when
    nobody corrected it. The contact on the record in its place."""
    latest = None
    following = Contact.get_or_none(Contact.amends == contact.id)
    while following is not None:
        latest = following
        following = Contact.get_or_none(Contact.amends == following.id)
    return latest


def effective_contacts(case):
    """Contacts of a case that no later amendment supersedes, newest first."""
    amended = Contact.select(Contact.amends).where(
        (Contact.case == case) & Contact.amends.is_null(False))
    return (Contact.select().where((Contact.case == case) & ~(Contact.id.in_(amended)))
            .order_by(Contact.occurred_at.desc(), Contact.id.desc()))


def refresh_case(case):
    """Derive the case's counts and last contact from its contacts, and keep its
    follow-up (a task: see followups.align) in line with them."""
    # Three columns as plain tuples: a long case holds hundreds of contacts.
    current = list(effective_contacts(case).select(Contact.id, Contact.occurred_at,
                                                   Contact.follow_up_on).tuples())
    case.contact_count = len(current)
    case.last_contact_at = current[0][1] if current else None
    task = followups.align(case, current)
    case.next_follow_up = task.due_on if task else None
    case.save(only=[Case.contact_count, Case.last_contact_at, Case.next_follow_up])


def add_to_case(case, new_contacts):
    """Move the case's derived fields on by contacts just stored on it that
    amend nothing, without reading its history: the count grows by their
    number, and the newest of them (by time, then id, as effective_contacts
    orders) becomes the last contact if it is not older than the one there.
    Equal to refresh_case for such contacts (tests/unit/test_contacts.py)."""
    add_to_cases({case: new_contacts})


def add_to_cases(new_by_case):
    """add_to_case for many cases at once ({Case: [contacts just stored on
    it]}): one UPDATE and one read for all of them, so a phone's chunk costs
    a few statements whatever the number of cases it touches."""
    if not new_by_case:
        return
    moved = sorted((case.id, len(new), max(c.occurred_at for c in new)) for case, new in new_by_case.items())
    convert = Case.last_contact_at.db_value
    cursor = database.execute_sql(_moving_on(len(moved), database.param),
                                  [value for case_id, added, newest in moved
                                   for value in (case_id, added, convert(newest))])
    last, follow_up = Case.last_contact_at.python_value, Case.next_follow_up.python_value
    fresh = {case_id: (count, last(at), follow_up(due)) for case_id, count, at, due in cursor.fetchall()}
    for case in new_by_case:
        case.contact_count, case.last_contact_at, case.next_follow_up = fresh[case.id]
    # A follow-up is a task: only a contact that plans one can change it (followups.align).
    for case, new_contacts in new_by_case.items():
        if any(c.follow_up_on for c in new_contacts):
            current = list(effective_contacts(case).select(Contact.id, Contact.occurred_at,
                                                           Contact.follow_up_on).tuples())
            task = followups.align(case, current)
            case.next_follow_up = task.due_on if task else None
            Case.update(next_follow_up=case.next_follow_up).where(Case.id == case.id).execute()


@functools.lru_cache(maxsize=64)
def _moving_on(count, param):
    """The UPDATE of add_to_cases for `count` cases, given (id, added, newest)
    for each in id order: each case's count goes up by its `added` contacts,
    its last contact becomes its `newest` if later. The values are a table of
    their own joined on the case (UPDATE ... FROM, SQLite and PostgreSQL
    alike): a phone's chunk moves on up to 50 cases, and one CASE of every
    case's value for each column, looked through for each row, was three
    values a case to send and most of what the UPDATE cost the server. Built
    once for each number of cases (a phone's chunks come in a few sizes)."""
    rows = ", ".join([f"({param}, {param}, {param})"] * count)
    # Decided in the UPDATE itself, so two officers logging at once cannot
    # leave an older contact as the last one. The UPDATE gives back the rows
    # as it left them (RETURNING): no second read.
    return (f'WITH moved (id, added, newest) AS (VALUES {rows}) '
            f'UPDATE "case" SET contact_count = "case".contact_count + moved.added, '
            f'last_contact_at = CASE WHEN "case".last_contact_at IS NULL OR "case".last_contact_at <= moved.newest '
            f'THEN moved.newest ELSE "case".last_contact_at END '
            f'FROM moved WHERE "case".id = moved.id '
            f'RETURNING "case".id, "case".contact_count, "case".last_contact_at, "case".next_follow_up')


def timeline(student):
    """Every contact of a student, newest first, with authors and amendments."""
    return _TIMELINE.rows(student=student.id)


_TIMELINE = Prepared(lambda: Contact.select(Contact, User).join(User).where(Contact.student == Param("student"))
                     .order_by(Contact.occurred_at.desc(), Contact.id.desc()))  # on every student page


def corrections_placed(contacts):
    """Where each corrected contact's correction sits in a list of contacts:
    {original id: "above" | "below"}. The timeline orders by when a contact
    happened, so a correction of a time can sit on either side."""
    position = {c.id: index for index, c in enumerate(contacts)}
    return {c.amends_id: "above" if position[c.id] < position.get(c.amends_id, -1) else "below"
            for c in contacts if c.amends_id}


def log_household_visit(user, case, clean, sibling_cases, visit_uuid=None):
    """Log one home visit on case and on each sibling's open case, sharing one visit id.

    Returns the contacts stored on this call's cases, in order.
    """
    visit = visit_uuid or uuidlib.uuid4()
    stored = []
    with database.atomic():
        for index, each in enumerate([case] + list(sibling_cases)):
            # Stable per-sibling UUIDs make a resubmitted visit idempotent.
            contact_uuid = uuidlib.uuid5(visit, str(each.student_id)) if index else visit
            contact, _ = log_contact(user, each, clean, contact_uuid, household_visit=visit)
            stored.append(contact)
    return stored


def open_cases_of(students):
    ids = [s.id for s in students]
    if not ids:
        return {}
    return {c.student_id: c for c in Case.select().where(
        (Case.student.in_(ids)) & open_among_students())}



# Who is on the line when a guardian of each relationship answers (codes.PEOPLE).
CALLED_PERSON = {"mother": "parent", "father": "parent", "parent": "parent", "guardian": "parent",
                 "foster_parent": "parent"}


def call_defaults(guardian, relationship, number):
    """What a phone contact begun by tapping a guardian's number starts with.

    guardian: a Guardian; relationship: a codes.RELATIONSHIPS code; number: the
    number as shown. Returns the form's fields: method "phone", people_present
    (codes.PEOPLE codes) and notes naming whom and which number was called (a
    Message, said in the reader's language). The time is when the form opens."""
    return {"method": "phone", "people_present": [CALLED_PERSON.get(relationship, "other_adult")],
            "notes": Message("Called %(name)s (%(relationship)s) at %(phone)s.", name=guardian.full_name,
                             relationship=(codes.label("relationship", relationship),), phone=number)}
