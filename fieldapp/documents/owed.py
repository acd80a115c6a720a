"""A letter a case owes is made once.

What a case owes is one letter of a kind for one cycle: the day the step of
the law asking for it was triggered (a step due again each month is a new
cycle), or "stage" for the letter of the case's stage (district practice,
owed until it or a later letter is made). Every path that makes an owed
letter -- the day's batch (page, job or command line), one letter on a
case's page -- takes the case's row first, checks again that the letter is
still owed, and records an OwedLetter in the transaction that records the
letter; its unique index (migration 0390) refuses a second whatever the
number of app servers and workers. A letter logged by hand as sent (the
contact form, a phone's outbox) takes the case's row the same way, so a
batch that runs beside it finds it and leaves the case out.

Letters left out are said with why (LeftOut, reason), in words a person
reads: already made (by whom, when, in which document), logged as sent by
hand, the case closed, the student moved, the case now owing another letter
or none, or waiting for the next print.
"""
import datetime
from dataclasses import asdict, dataclass

from fieldapp.db import is_postgres
from fieldapp.documents.letter_templates import KINDS
from fieldapp.messages import Message
from fieldapp.rules.ladder import Evidence
from fieldapp.models import Case, Contact, DocumentRecord, Letter, OwedLetter, Student, User
from fieldapp.timefmt import school_zone, to_utc

STAGE = "stage"
# Any letter logged by hand: how a letter left out is explained, whatever its step counts.
ANY_LETTER = Evidence(contacts=(("letter", ()),))
# Letters in the order a case escalates (as letters_due.LADDER).
LADDER = ("first_notice", "conference_invitation", "referral_notice")


@dataclass
class LeftOut:
    """A letter asked for and not made, with why: `why` is made (already made:
    by, at, document_id), logged (a letter logged as sent by hand: by, at),
    closed, moved, other (the case now owes `now_owes`), again (it owes the
    same kind for another step or cycle than shown), none (it owes no
    letter now) or later (beyond what one print makes)."""
    case_id: int
    student: str
    kind: str
    why: str
    by: str = ""
    at: str = ""  # ISO UTC
    document_id: int = None
    now_owes: str = ""
    school_id: int = None

    def as_json(self):
        return asdict(self)


def cycle_of(due):
    """The cycle of a letters_due.DueLetter: its step's triggered day (ISO), or STAGE."""
    return due.step.triggered_on.isoformat() if due.step else STAGE


def parse_cycle(text):
    """A cycle as a form gives it back ("" when it is none)."""
    text = (text or "").strip()
    if text == STAGE:
        return text
    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        return ""


def lock_cases(case_ids):
    """Hold the rows of these cases until the transaction ends. On PostgreSQL
    a second writer waits here for the first to commit, then reads what it
    wrote; SQLite's write transactions take the whole database's lock as
    they begin (fieldapp.db.WritingSqliteDatabase), which does the same."""
    ids = sorted(set(case_ids))
    if ids and is_postgres():
        for start in range(0, len(ids), 500):  # in order: two batches never wait on each other in a ring
            list(Case.select(Case.id).where(Case.id.in_(ids[start:start + 500])).order_by(Case.id)
                 .for_update().tuples())


def _made(letter, case, kind):
    record = letter.document
    return LeftOut(case.id, case.student.full_name, kind, "made", by=letter.generated_by.name,
                   at=letter.generated_at.isoformat(), document_id=record.id, school_id=case.student.school_id)


def answered(items):
    """{case id: LeftOut} of (Case, kind, cycle) whose owed letter is on file
    already: made (an OwedLetter, or a letter of its kind in its cycle) or
    logged as sent by hand since its step was triggered, where the step's
    evidence (`evidence`, a ladder.Evidence or None) counts a letter. items:
    (Case, kind, cycle, evidence). Read after lock_cases, in the same
    transaction: three statements for the whole batch, whose cases' rows
    (and on SQLite the whole database) are held while it runs."""
    ids = sorted({case.id for case, *_ in items})
    claims, letters, logged = {}, {}, {}
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        for case_id, kind, cycle, letter_id in OwedLetter.select(
                OwedLetter.case, OwedLetter.kind, OwedLetter.cycle, OwedLetter.letter).where(
                OwedLetter.case.in_(part)).tuples():
            claims[case_id, kind, cycle] = letter_id
        for row in Letter.select(Letter.id, Letter.case, Letter.kind, Letter.generated_at, Letter.contact).where(
                Letter.case.in_(part)).tuples():
            letters.setdefault(row[1], []).append(row)
        for row in Contact.select(Contact.id, Contact.case, Contact.occurred_at, Contact.author).where(
                Contact.case.in_(part) & (Contact.method == "letter") & Contact.amends.is_null()).tuples():
            logged.setdefault(row[1], []).append(row)
    taken = {}
    for case, kind, cycle, evidence in items:
        made = letters.get(case.id, ())
        letter_id = claims.get((case.id, kind, cycle)) or _made_in_cycle(made, case, kind, cycle)
        if letter_id is not None:
            taken[case.id] = _made(Letter.get_by_id(letter_id), case, kind)
            continue
        if cycle == STAGE or evidence is None or not evidence.found_in(_letter_record(), datetime.date.min):
            continue
        start, theirs = _cycle_start(case, cycle), {row[4] for row in made}
        by_hand = [row for row in logged.get(case.id, ()) if row[0] not in theirs and row[2] >= start]
        if by_hand:
            _, _, at, author_id = max(by_hand, key=lambda row: row[2])
            taken[case.id] = LeftOut(case.id, case.student.full_name, kind, "logged", by=User.get_by_id(author_id).name,
                                     at=at.isoformat(), school_id=case.student.school_id)
    return taken


def _cycle_start(case, cycle):
    """The moment (UTC) a step's cycle began: midnight of its triggered day at the student's school."""
    return to_utc(datetime.datetime.combine(datetime.date.fromisoformat(cycle), datetime.time.min),
                  school_zone(case.student.school_id))


def _made_in_cycle(rows, case, kind, cycle):
    """The id of the latest letter (rows: id, case, kind, generated_at, contact)
    answering the case's letter of kind for cycle, or None."""
    if cycle == STAGE:
        kinds = LADDER[LADDER.index(kind):] if kind in LADDER else (kind,)
        found = [row for row in rows if row[2] in kinds]
    else:
        start = _cycle_start(case, cycle)
        found = [row for row in rows if row[2] == kind and row[3] >= start]
    return max(found, key=lambda row: (row[3], row[0]))[0] if found else None


def since_cycle(case, kind, cycle, evidence=None):
    """A LeftOut saying what on file answers the case's letter of `kind` for
    `cycle`, or None: a letter of the kind (or, for the stage's letter, of a
    later kind) made in the cycle, or a letter logged by hand since the step
    was triggered where its evidence counts one."""
    letters = Letter.select().where(Letter.case == case.id)
    if cycle == STAGE:
        letters = letters.where(Letter.kind.in_(LADDER[LADDER.index(kind):] if kind in LADDER else (kind,)))
    else:
        start = to_utc(datetime.datetime.combine(datetime.date.fromisoformat(cycle), datetime.time.min),
                       school_zone(case.student.school_id))
        letters = letters.where((Letter.kind == kind) & (Letter.generated_at >= start))
    letter = letters.order_by(Letter.generated_at.desc(), Letter.id.desc()).first()
    if letter is not None:
        return _made(letter, case, kind)
    if cycle == STAGE or evidence is None or not evidence.found_in(_letter_record(), datetime.date.min):
        return None
    made_contacts = Letter.select(Letter.contact).where(Letter.case == case.id)
    contact = (Contact.select(Contact, User).join(User, on=(Contact.author == User.id))
               .where((Contact.case == case.id) & (Contact.method == "letter") & (Contact.occurred_at >= start)
                      & Contact.id.not_in(made_contacts) & Contact.amends.is_null())
               .order_by(Contact.occurred_at.desc()).first())
    if contact is None:
        return None
    return LeftOut(case.id, case.student.full_name, kind, "logged", by=contact.author.name,
                   at=contact.occurred_at.isoformat(), school_id=case.student.school_id)


def _letter_record():
    """A case record holding one letter logged by hand, to ask a step's evidence whether it counts one."""
    from fieldapp.rules.engine import CaseRecord
    return CaseRecord(contacts=((datetime.date.min, "letter", "letter_issued"),))


def claim(user, items, now):
    """Record the owed letters made: items are (Letter, cycle). Inside the
    transaction that made them; an IntegrityError means another made one first."""
    rows = [{"case": letter.case_id, "kind": letter.kind, "cycle": cycle, "letter": letter.id,
             "made_by": user.id, "made_at": now} for letter, cycle in items if cycle]
    if rows:
        OwedLetter.insert_many(rows).execute()


def explain(case_id, kind, cycle, school_id, due_now, evidence=None):
    """Why a letter ticked on the list (case id, kind, cycle as shown, "" when
    not given) is not made now: a LeftOut. due_now is the DueLetter the case
    owes today at the school, or None."""
    case = Case.select(Case, Student).join(Student).where(Case.id == case_id).first()
    if case is None:
        return LeftOut(case_id, "", kind, "closed")
    left = LeftOut(case.id, case.student.full_name, kind, "", school_id=case.student.school_id)
    found = None
    if case.status != "open":
        left.why = "closed"
    elif case.student.school_id != school_id:
        left.why = "moved"
    elif due_now is None or (due_now.kind, due_now.cycle) != (kind, cycle):
        # What was shown, answered since: made, or logged by hand (said whatever the step's evidence).
        found = since_cycle(case, kind, cycle, evidence or ANY_LETTER) if cycle else (
            _latest_made(case, kind) if due_now is None else None)
    if found is not None:
        return found
    if left.why:
        return left
    if due_now is not None and due_now.kind != kind:
        left.why, left.now_owes = "other", due_now.kind
    elif due_now is not None and cycle and due_now.cycle != cycle:
        left.why = "again"
    elif due_now is not None:
        left.why = "later"
    else:
        left.why = "none"
    return left


def _latest_made(case, kind):
    letter = (Letter.select().where((Letter.case == case.id) & (Letter.kind == kind))
              .order_by(Letter.generated_at.desc(), Letter.id.desc()).first())
    return _made(letter, case, kind) if letter is not None else None


REASONS = {
    "made": "%(letter)s for %(student)s was already made by %(by)s at %(at)s in document %(document)s.",
    "logged": "%(letter)s for %(student)s: a letter was logged as sent by %(by)s at %(at)s.",
    "closed": "%(letter)s for %(student)s: the case is closed.",
    "moved": "%(letter)s for %(student)s: the student has moved to another school.",
    "other": "%(letter)s for %(student)s: the case now owes another letter, %(now_owes)s; it stays on the list to review.",
    "none": "%(letter)s for %(student)s: the record no longer shows this letter owed (the step was taken another way, "
            "or the absences that called for it changed).",
    "again": "%(letter)s for %(student)s: the case now owes this letter for another reason than the one shown; "
             "it stays on the list to review.",
    "later": "%(letter)s for %(student)s: more letters were ticked than one print makes; it stays on the list for the next.",
}


def reason(left, when=None):
    """The sentence saying why a letter was left out (a LeftOut or its
    as_json()), as a Message; when(ISO UTC text, school id) -> text formats
    its time (the default: as stored, UTC)."""
    data = left if isinstance(left, dict) else left.as_json()
    at = data.get("at") or ""
    shown = when(at, data.get("school_id")) if when and at else at.replace("T", " ")[:16] + (" UTC" if at else "")
    return Message(REASONS[data["why"]], letter=(KINDS.get(data["kind"], data["kind"]),),
                   student=data.get("student") or "", by=data.get("by") or "", at=shown,
                   document=str(data.get("document_id") or ""),
                   now_owes=(KINDS.get(data.get("now_owes"), data.get("now_owes") or ""),))


def documents_of(left_outs):
    """The documents holding the letters made already, as {id: DocumentRecord}."""
    ids = {(x if isinstance(x, dict) else x.as_json()).get("document_id") for x in left_outs} - {None}
    return {r.id: r for r in DocumentRecord.select().where(DocumentRecord.id.in_(list(ids)))} if ids else {}

