"""Who works a case: the officer a new case goes to, assigning and
reassigning one case or many, and the queue of cases nobody holds.

Every change of officer is a CaseEvent of kind "assigned" naming the officer
before and after, who made the change and why, so the case's history answers
"who had this case when".
"""
from peewee import JOIN, fn

from fieldapp import policy
from fieldapp.cases import history_text
from fieldapp.cases.text import clean_text, strip_controls
from fieldapp.db import database
from fieldapp.messages import Message, N_
from fieldapp.models import Case, CaseEvent, Referral, School, Student, User, UserSchool, utcnow
from fieldapp.numbers import record_id


class AssignmentError(ValueError):
    """The assignment cannot be made as asked; errors maps field -> message."""

    def __init__(self, errors):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def school_officers(school_id):
    """Active officers serving a school, as [(User, open cases they hold)],
    the least loaded first, then by name."""
    held = fn.COUNT(Case.id)
    rows = (User.select(User, held.alias("open_cases"))
            .join(UserSchool, on=(UserSchool.user == User.id))
            .switch(User).join(Case, JOIN.LEFT_OUTER,
                               on=((Case.officer == User.id) & (Case.status == "open")))
            .where((UserSchool.school == school_id) & (User.role == "officer") & (User.active == True))  # noqa: E712
            .group_by(User.id).order_by(held, User.name, User.id))
    return [(user, user.open_cases) for user in rows]


def default_officer(user, student):
    """The officer a new case of student goes to: the user opening it when
    they are an officer of the student's school, else that school's officer
    (the least loaded when it has several); None when it has none."""
    if policy.may_hold_case(user, student):
        return user
    officers = school_officers(student.school_id)
    return officers[0][0] if officers else None


def parse_officer(value, student, errors, field="officer"):
    """The officer chosen in a form for a case of student: None for "nobody
    yet" (an empty choice), else an officer who may hold the case."""
    value = (value or "").strip()
    if not value:
        return None
    officer = User.get_or_none(User.id == record_id(value)) if record_id(value) else None
    if officer is None or not policy.may_hold_case(officer, student):
        errors[field] = Message("Choose an officer of %(school)s from the list.",
                                school=student.school.name)
        return None
    return officer


def _name(user):
    return user.name if user else ""


class Changed(Exception):
    """The case was not as the assigner saw it (closed, or given to another
    officer meanwhile); `reason` says how it stands now."""

    def __init__(self, reason):
        super().__init__(str(reason))
        self.reason = reason


def assign(by, case, officer, note="", app_said=None):
    """Give case to officer (None: leave it unassigned) and write why to its
    history (note: what a person typed; app_said: what the app says, from
    fieldapp.cases.history_text.said), in one transaction. The caller has checked that officer may hold
    the case. The change is made only if the case is still open and with the
    officer the caller read (case.officer_id): two supervisors assigning it at
    once cannot both write "nobody -> someone", and a case is never moved
    without its history line. Raises Changed, saying how the case stands now,
    when someone changed it first."""
    seen = case.officer_id
    with database.atomic():
        now = utcnow()
        moved = (Case.update(officer=officer, assigned_at=now, assigned_by=by)
                 .where((Case.id == case.id) & (Case.status == "open")
                        & (Case.officer.is_null() if seen is None else Case.officer == seen))
                 .execute())
        if moved:
            CaseEvent.create(case=case, kind="assigned", from_value=_name(case.officer if seen else None),
                             to_value=_name(officer), note=note, by=by, **(app_said or {}))
    if not moved:
        raise Changed(_why_not_moved(case.id, officer))
    case.officer, case.assigned_at, case.assigned_by = officer, now, by
    return case


def _why_not_moved(case_id, officer):
    """Why a case was not where the assigner saw it, as it stands now."""
    now = Case.select(Case, User).join(User, JOIN.LEFT_OUTER, on=(Case.officer == User.id)).where(
        Case.id == case_id).first()
    if now is None or not now.is_open:
        return Message("The case was closed meanwhile.")
    if officer is not None and now.officer_id == officer.id:
        return Message("The case is already with %(name)s.", name=officer.name)
    if now.officer_id is None:
        return Message("Someone else changed it meanwhile: it now has no officer.")
    return Message("Someone else changed it meanwhile: it is now with %(name)s.", name=now.officer.name)


def changed_since_shown(case, form, officer):
    """Why case must not move as the form asks because it changed after the
    form was shown (None when it is as shown): the form carries "seen_<case
    id>", the officer id the page showed (empty for nobody), so a stale tab
    never silently overrides another person's change. One rule for the
    single case form and the assign-many list."""
    seen = record_id(form.get(f"seen_{case.id}") or "")
    return _why_not_moved(case.id, officer) if case.officer_id != seen else None


def assign_case(by, case, form):
    """Assign or reassign one open case from a form: officer (an id, or empty
    for unassigned), note (required when the case had an officer) and
    seen_<case id> (see changed_since_shown)."""
    errors = {}
    officer = parse_officer(form.get("officer"), case.student, errors)
    note = clean_text(form.get("note"), 2000, errors, "note", N_("Why"),
                      required=bool(case.officer_id))
    if not case.is_open:
        errors["officer"] = Message("A closed case cannot be assigned.")
    elif "officer" not in errors and (stale := changed_since_shown(case, form, officer)) is not None:
        errors["officer"] = stale
    elif "officer" not in errors and (officer.id if officer else None) == case.officer_id:
        errors["officer"] = Message("The case is already with this officer.")
    if errors:
        raise AssignmentError(errors)
    try:
        return assign(by, case, officer, note)
    except Changed as changed:
        raise AssignmentError({"officer": changed.reason}) from None


def parse_case_ids(values, limit=500):
    """Case ids ticked in a list (at most `limit`), as ints; others ignored."""
    ids = [i for i in map(record_id, values) if i is not None]
    return list(dict.fromkeys(ids))[:limit]


def assign_many(by, case_ids, form, typed=()):
    """Give several open cases to one officer. Returns (assigned, left): the
    cases moved, and [(case, Message)] for each case left as it was, with why:
    closed meanwhile, outside the officer's schools, already with that officer,
    or changed by someone else since the list was shown (form "seen_<id>": the
    officer id the list showed, empty for nobody). Each case moves with its
    history line or not at all. typed: the values ticked as sent, to name those
    that are no case number. Raises AssignmentError when nothing was chosen,
    a ticked value names no case (nothing moves then) or the officer is unknown."""
    errors = {}
    note = clean_text(form.get("note"), 2000, errors, "note", N_("Why"))
    officer = _any_officer(form.get("officer"), errors)
    if not case_ids and not any(value.strip() for value in typed):
        errors["cases"] = Message("Tick the cases to assign.")
    if errors:
        raise AssignmentError(errors)
    # Read in full first: SQLite cannot take the write lock while a read is open.
    cases = list(Case.select(Case, Student, School).join(Student).join(School)
                 .where(Case.id.in_(case_ids)).order_by(Student.sort_key, Case.id))
    found = {case.id for case in cases}
    unknown = [_as_typed(value) for value in typed if value.strip() and record_id(value) not in found]
    unknown += [str(i) for i in case_ids if i not in found and str(i) not in unknown]
    if unknown:
        raise AssignmentError({"cases": Message("No case has the number %(numbers)s: nothing was assigned.",
                                                numbers=", ".join(dict.fromkeys(unknown)))})
    assigned, left = [], []
    with database.atomic():  # all the moves or none: never a list half assigned
        for case in cases:
            problem = _cannot_take(case, officer)
            if problem is None:
                problem = changed_since_shown(case, form, officer)
            if problem is None:
                try:
                    assigned.append(assign(by, case, officer, note))
                except Changed as changed:
                    problem = changed.reason
            if problem is not None:
                left.append((case, problem))
    return assigned, left


def _as_typed(value, limit=20):
    """A ticked value as sent, to name it: control characters out, cut at limit characters."""
    value = strip_controls(value).strip()
    return value if len(value) <= limit else value[:limit] + "…"


def _any_officer(value, errors):
    value = (value or "").strip()
    officer = User.get_or_none((User.id == record_id(value)) & (User.role == "officer")
                               & (User.active == True)) if record_id(value) else None  # noqa: E712
    if officer is None:
        errors["officer"] = Message("Choose an officer from the list.")
    return officer


def _cannot_take(case, officer):
    """Why officer may not take case as read (None when they may)."""
    if not case.is_open:
        return Message("The case was closed meanwhile.")
    if case.officer_id == officer.id:
        return Message("The case is already with %(name)s.", name=officer.name)
    if not policy.may_hold_case(officer, case.student):
        return Message("%(name)s does not serve %(school)s.", name=officer.name,
                       school=case.student.school.name)
    return None


# The value of the hand-over's per-school choice that sends the school's cases to nobody.
TO_QUEUE = "queue"


def held_by_school(officer):
    """What officer holds, counted by the students' current school: open cases
    and waiting referrals, [(School, cases, referrals)] by school name."""
    held = {}
    cases = (Case.select(Case.student_school_id, fn.COUNT(Case.id))
             .where((Case.officer == officer) & (Case.status == "open")).group_by(Case.student_school_id))
    for school_id, count in cases.tuples():
        held[school_id] = [count, 0]
    referrals = (Referral.select(Student.school, fn.COUNT(Referral.id)).join(Student)
                 .where((Referral.officer == officer) & (Referral.status == "waiting")).group_by(Student.school))
    for school_id, count in referrals.tuples():
        held.setdefault(school_id, [0, 0])[1] = count
    schools = School.select().where(School.id.in_(list(held))).order_by(School.name) if held else []
    return [(school, *held[school.id]) for school in schools]


def hand_over(by, officer, targets, note):
    """Move every open case and waiting referral officer holds to other
    officers, school by school (an officer who left, split among those who
    stay). targets maps a school id to the officer id (a string from the form)
    taking that school's work, or TO_QUEUE for the unassigned queue; a school
    left out keeps its work where it is. Each case moves only if it is still
    open and officer's (see assign), with its history line; all in one
transaction, so the hand-over is done whole or not at all. Returns (cases
    moved, referrals moved, [(case, Message)] for each case left, with why).
    Raises AssignmentError naming the schools to fix, or saying the work was
    moved meanwhile when every school chosen no longer has any of officer's."""
    errors, plan = {}, {}
    note = clean_text(note, 2000, errors, "note", N_("Why"), required=True)
    held = held_by_school(officer)
    for school, _, _ in held:
        value = (targets.get(str(school.id)) or "").strip()
        if not value:
            continue
        if value == TO_QUEUE:
            plan[school.id] = None
            continue
        target = User.get_or_none(User.id == record_id(value)) if record_id(value) else None
        if target is None or target.id == officer.id or not _serves(target, school.id):
            errors[f"school_{school.id}"] = Message("Choose an officer of %(school)s from the list.",
                                                    school=school.name)
        else:
            plan[school.id] = target
    if not plan and not errors:
        errors["schools"] = _nothing_chosen(officer, targets, {school.id for school, _, _ in held})
    if errors:
        raise AssignmentError(errors)
    moved, left = 0, []
    # One transaction: pages read meanwhile see the work before or after, never
    # half moved, and a failure (a server stopped part way) moves nothing.
    with database.atomic():
        for case in list(Case.select(Case, Student, School).join(Student).join(School)
                         .where((Case.officer == officer) & (Case.status == "open")
                                & (Student.school.in_(list(plan))))
                         .order_by(School.name, Student.sort_key, Case.id)):
            try:
                assign(by, case, plan[case.student.school_id], note)
                moved += 1
            except Changed as changed:
                left.append((case, changed.reason))
        referrals = sum(_move_referrals(officer, [school_id], target) for school_id, target in plan.items())
    return moved, referrals, left


def _nothing_chosen(officer, targets, held):
    """Why a hand-over moved nothing: the schools chosen no longer have any of
    officer's work (moved meanwhile, from another tab), or no school was chosen."""
    chosen = [record_id(key) for key, value in targets.items() if (value or "").strip()]
    gone = [i for i in chosen if i is not None and i not in held]
    if gone:
        names = [name for (name,) in School.select(School.name).where(School.id.in_(gone))
                 .order_by(School.name).tuples()]
        return Message("Nothing was handed over: %(name)s no longer holds open cases or waiting referrals "
                       "at %(schools)s; someone moved them meanwhile.", name=officer.name,
                       schools=", ".join(names))
    return Message("Choose who takes the cases of at least one school.")


def _move_referrals(officer, school_ids, target):
    """Give officer's waiting referrals of students now at school_ids to
    target (None: the unassigned queue). Returns how many moved."""
    at_schools = Student.select(Student.id).where(Student.school.in_(list(school_ids)))
    return (Referral.update(officer=target)
            .where((Referral.officer == officer) & (Referral.status == "waiting")
                   & Referral.student.in_(at_schools)).execute())


def release_unheld(by, officer, why):
    """Send to the unassigned queue the open cases and waiting referrals
    officer may no longer hold: all of them when the account is no longer an
    active officer, else those of students at schools officer no longer
    serves. Each case gets its history line (by: who made the change; why:
    a code of fieldapp.cases.history_text.NOTES). Called whenever an account's role, schools or active flag change,
    so no work sits with someone who cannot see it. Returns (cases, referrals)
    sent to the queue."""
    keeps = set(officer.school_ids()) if officer.role == "officer" and officer.active else set()
    held = [school.id for school, _, _ in held_by_school(officer) if school.id not in keeps]
    if not held:
        return 0, 0
    moved = 0
    with database.atomic():  # all of it or nothing (see hand_over)
        for case in list(Case.select().where((Case.officer == officer) & (Case.status == "open")
                                             & Case.student_school_id.in_(held))):
            try:
                assign(by, case, None, app_said=history_text.said(why))
                moved += 1
            except Changed:
                pass  # moved by someone else meanwhile: no longer this officer's
        referrals = _move_referrals(officer, held, None)
    return moved, referrals


def _serves(user, school_id):
    return user.role == "officer" and user.active and school_id in set(user.school_ids())


def officers_with_schools():
    """Every active officer with the ids of the schools they serve, by name:
    [(User, {school id})], for the choices of the assignment forms."""
    links = {}
    for user_id, school_id in UserSchool.select(UserSchool.user, UserSchool.school).tuples():
        links.setdefault(user_id, set()).add(school_id)
    officers = User.select().where((User.role == "officer") & (User.active == True)).order_by(User.name)  # noqa: E712
    return [(officer, links.get(officer.id, set())) for officer in officers]
