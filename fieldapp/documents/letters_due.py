"""The letters due at a school: one right letter per family, printed as one PDF.

A family gets one letter in a batch: the letter of the furthest step of the
state's rule set it has reached and not yet been sent (a referral notice
once the law allows a referral, not also the first notice that was never
sent). Earlier steps still pending are listed beside it for the officer to
review (was a notice given another way? is the referral premature?), never
printed with it. With no step of the law owed, the district's practice: the
letter of the case's stage, unless it or a later letter was ever made.
"""
import datetime
from dataclasses import dataclass, field

from fieldapp.documents import issue, owed
from fieldapp.documents.letter_grounds import grounds_for
from fieldapp.documents.letter_templates import STAGE_LETTERS
from fieldapp.documents.letters import default_choice, issue_letters
from fieldapp.models import Case, Letter, Student, utcnow
from fieldapp.rules import stored
from fieldapp.timefmt import school_zone, to_local

# Letters made and printed by one request: a stack a printer and an envelope
# run can take, and a PDF made well inside a request's time. The rest wait.
PRINT_AT_ONCE = 100
# Letters in the order a case escalates: once a later one went out, the
# stage's earlier letter would contradict it.
LADDER = ("first_notice", "conference_invitation", "referral_notice")


@dataclass(frozen=True)
class DueLetter:
    """The one letter an open case owes: its kind, and the step of the
    state's rule set that asks for it (an engine.StepResult), or None when it
    is the letter of the stage the case stands at. `earlier` holds the steps
    below it still pending (StepResults), for the officer to review."""
    case: Case
    kind: str
    step: object = None
    earlier: tuple = field(default=())

    @property
    def cycle(self):
        """The cycle of the owed letter this is (fieldapp.documents.owed)."""
        return owed.cycle_of(self)


def _letters_made(school_id, case_id=None):
    """{(case id, kind): the local day the latest letter of that kind was made},
    for the open cases of a school, or for one of them."""
    made, zone_name = {}, school_zone(school_id)
    query = (Letter.select(Letter.case, Letter.kind, Letter.generated_at).join(Case).join(Student)
             .where((Student.school == school_id) & (Case.status == "open")))
    for row in (query if case_id is None else query.where(Case.id == case_id)):
        day = to_local(row.generated_at, zone_name).date()
        made[row.case_id, row.kind] = max(day, made.get((row.case_id, row.kind), day))
    return made


def _owed_steps(case, result, made):
    """Steps with a letter, pending, not held by an exemption or by what must
    come first, with no letter of their kind made since they were triggered."""
    return [step for step in (result.steps if result else ())
            if step.step.letter and step.pending and not step.blocked and not step.missing
            and made.get((case.id, step.step.letter), datetime.date.min) < step.triggered_on]


def due_for(case, result, made):
    """The DueLetter of one case (a rules engine Result), or None."""
    owed = _owed_steps(case, result, made)
    if owed:
        furthest = max(owed, key=lambda step: step.index)
        earlier = tuple(step for step in result.steps
                        if step.index < furthest.index and step.pending and not step.blocked)
        return DueLetter(case, furthest.step.letter, furthest, earlier)
    kind = STAGE_LETTERS.get(case.stage)
    # The stage's letter only where the record shows what it states (a stage
    # set by hand does not make a student truant: letter_grounds).
    if kind and not any((case.id, later) in made for later in LADDER[LADDER.index(kind):]) \
            and grounds_for(kind, result).allowed:
        return DueLetter(case, kind, None)
    return None


def letters_due(settings, school_id, today):
    """The letters the open cases of a school owe on today, one per case at
    most, by student name (a list of DueLetter)."""
    # The students at the school now: scope follows the student's current school.
    cases = list(Case.select(Case, Student).join(Student)
                 .where((Student.school == school_id) & (Case.status == "open"))
                 .order_by(Student.sort_key, Case.id))
    if not cases:
        return []
    # The stored standings, refreshed first where not fresh (fieldapp.rules.stored).
    results = stored.standings_of(settings, today, [case.student_id for case in cases])
    made = _letters_made(school_id)
    due = (due_for(case, results.get(case.student_id), made) for case in cases)
    return [item for item in due if item is not None]


def due_for_case(settings, case, today):
    """(DueLetter or None, the student's standing) of one open case on today:
    the letter the day's list would give it, by the same rules."""
    result = stored.standings_of(settings, today, [case.student_id]).get(case.student_id)
    return due_for(case, result, _letters_made(case.student.school_id, case.id)), result


def owed_now(settings, case, kind, now):
    """(cycle, evidence) of the letter of `kind` the case owes at `now` (UTC)
    by the day's rules (fieldapp.documents.owed), or ("", None) when it owes
    none of that kind: the furthest owed step sending it, else the stage's letter."""
    today = to_local(now, school_zone(case.student.school_id)).date()
    result = stored.standings_of(settings, today, [case.student_id]).get(case.student_id)
    made = _letters_made(case.student.school_id, case.id)
    steps = [step for step in _owed_steps(case, result, made) if step.step.letter == kind]
    if steps:
        step = max(steps, key=lambda step: step.index)
        return step.triggered_on.isoformat(), step.step.evidence
    due = due_for(case, result, made)
    if due is not None and due.step is None and due.kind == kind:
        return owed.STAGE, None
    return "", None


def print_due_letters(user, school, settings, now=None, origin=("", ""), case_ids=None, progress=None,
                      reviewed=None, left_out=None, on_kept=None):
    """Make the letters due today at school as one PDF: those of `case_ids`
    (the ones left ticked) when given, else all; the first PRINT_AT_ONCE by
    name. `reviewed` ({case id: letter kind, or (kind, cycle) as shown}) is
    what the officer saw ticked: a case whose due letter is now of another
    kind (the file changed since the list was shown) is left out and stays
    on the list, so nothing is printed that was not reviewed. Each letter is
    made once (fieldapp.documents.owed): one made meanwhile by another is
    left out. Every ticked letter not made is said, with why, in `left_out`
    (a list the caller gives, given owed.LeftOut). Returns (DocumentRecord,
    [Letter]), or (None, []) when none is made. Plain logic, run by a
    background job (fieldapp.jobs.kinds); progress(done, total, step) hears
    how far it has gone; on_kept(record, letters), in the transaction that
    keeps them (fieldapp.documents.letters.issue_letters)."""
    now = now or utcnow()
    left_out = [] if left_out is None else left_out
    today = to_local(now, school_zone(school.id)).date()
    due = letters_due(settings, school.id, today)
    if reviewed is not None:
        shown = {case_id: (value if isinstance(value, tuple) else (value, "")) for case_id, value in reviewed.items()}
        due_by_case = {item.case.id: item for item in due}
        # The letter shown: its kind, and its cycle when the page gave it (a step, or the stage).
        due = [item for item in due if item.case.id in shown and shown[item.case.id][0] == item.kind
               and shown[item.case.id][1] in ("", item.cycle)]
        left_out.extend(owed.explain(case_id, kind, cycle, school.id, due_by_case.get(case_id))
                        for case_id, (kind, cycle) in sorted(shown.items())
                        if case_id not in {item.case.id for item in due})
    elif case_ids is not None:
        wanted = set(case_ids)
        due = [item for item in due if item.case.id in wanted]
    for item in due[PRINT_AT_ONCE:] if reviewed is not None else ():
        left_out.append(owed.LeftOut(item.case.id, item.case.student.full_name, item.kind, "later",
                                     school_id=school.id))
    due = due[:PRINT_AT_ONCE]
    if not due:
        return None, []
    items = [(item.case, _choice(item, today)) for item in due]

    def title(num):
        return issue.TITLES["letter_batch"] % {"day": today.isoformat(), "school": school.name, "num": num}
    return issue_letters(user, school, items, settings, now, origin, title, progress, left_out=left_out,
                         on_kept=on_kept)


def _choice(item, today):
    choice = default_choice(item.case, item.kind, today)
    choice.owed = item.cycle
    choice.evidence = item.step.step.evidence if item.step else None
    return choice
