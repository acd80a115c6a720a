"""Who works a case: the officer a new case goes to, assigning and
reassigning one case or many, and the queue of cases nobody holds.

Every change of officer is a CaseEvent of kind "assigned" naming the officer
before and after, who made the change and why, so the case's history answers
"who had this case when".
"""
from peewee import JOIN, fn

from fieldapp import policy
from fieldapp.cases.text import clean_text
from fieldapp.db import database
from fieldapp.messages import Message, N_
from fieldapp.models import Case, CaseEvent, School, Student, User, UserSchool, utcnow
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


def assign(by, case, officer, note=""):
    """Give case to officer (None: leave it unassigned) and write why to its
    history. The caller has checked that officer may hold the case."""
    with database.atomic():
        CaseEvent.create(case=case, kind="assigned", from_value=_name(case.officer if case.officer_id else None),
                         to_value=_name(officer), note=note, by=by)
        case.officer, case.assigned_at, case.assigned_by = officer, utcnow(), by
        case.save(only=[Case.officer, Case.assigned_at, Case.assigned_by])
    return case


def assign_case(by, case, form):
    """Assign or reassign one open case from a form: officer (an id, or empty
    for unassigned) and note (required when the case had an officer)."""
    errors = {}
    officer = parse_officer(form.get("officer"), case.student, errors)
    note = clean_text(form.get("note"), 2000, errors, "note", N_("Reason"),
                      required=bool(case.officer_id))
    if not case.is_open:
        errors["officer"] = Message("A closed case cannot be assigned.")
    elif "officer" not in errors and (officer.id if officer else None) == case.officer_id:
        errors["officer"] = Message("The case is already with this officer.")
    if errors:
        raise AssignmentError(errors)
    return assign(by, case, officer, note)


def parse_case_ids(values, limit=500):
    """Case ids ticked in a list (at most `limit`), as ints; others ignored."""
    ids = [i for i in map(record_id, values) if i is not None]
    return list(dict.fromkeys(ids))[:limit]


def assign_many(by, case_ids, form):
    """Give several open cases to one officer. Returns (assigned, skipped):
    the cases moved, and [(case, Message)] for those the officer may not hold
    (another school) or that are closed. Raises AssignmentError when nothing
    was chosen or the officer is unknown."""
    errors = {}
    note = clean_text(form.get("note"), 2000, errors, "note", N_("Reason"))
    officer = _any_officer(form.get("officer"), errors)
    if not case_ids:
        errors["cases"] = Message("Tick the cases to assign.")
    if errors:
        raise AssignmentError(errors)
    cases = (Case.select(Case, Student, School).join(Student).join(School)
             .where(Case.id.in_(case_ids)).order_by(Student.sort_key, Case.id))
    assigned, skipped = [], []
    with database.atomic():
        for case in cases:
            problem = _cannot_take(case, officer)
            if problem:
                skipped.append((case, problem))
            elif case.officer_id != officer.id:
                assigned.append(assign(by, case, officer, note))
    return assigned, skipped


def _any_officer(value, errors):
    value = (value or "").strip()
    officer = User.get_or_none((User.id == record_id(value)) & (User.role == "officer")
                               & (User.active == True)) if record_id(value) else None  # noqa: E712
    if officer is None:
        errors["officer"] = Message("Choose an officer from the list.")
    return officer


def _cannot_take(case, officer):
    if not case.is_open:
        return Message("The case is closed.")
    if not policy.may_hold_case(officer, case.student):
        return Message("%(name)s does not serve %(school)s.", name=officer.name,
                       school=case.student.school.name)
    return None


def held_by_school(officer):
    """The open cases officer holds, counted by the students' current school:
    [(School, count)] by school name."""
    count = fn.COUNT(Case.id)
    rows = (School.select(School, count.alias("cases")).join(Student).join(Case)
            .where((Case.officer == officer) & (Case.status == "open"))
            .group_by(School.id).order_by(School.name))
    return [(school, school.cases) for school in rows]


def hand_over(by, officer, targets, note):
    """Move every open case officer holds to other officers, school by school
    (an officer who left, split among those who stay). targets maps a school
    id to the officer id (a string from the form) taking that school's cases;
    a school left out keeps its cases where they are. Returns the number of
    cases moved. Raises AssignmentError naming the schools to fix."""
    errors, plan = {}, {}
    note = clean_text(note, 2000, errors, "note", N_("Reason"), required=True)
    for school, _ in held_by_school(officer):
        value = (targets.get(str(school.id)) or "").strip()
        if not value:
            continue
        target = User.get_or_none(User.id == record_id(value)) if record_id(value) else None
        if target is None or target.id == officer.id or not _serves(target, school.id):
            errors[f"school_{school.id}"] = Message("Choose an officer of %(school)s from the list.",
                                                    school=school.name)
        else:
            plan[school.id] = target
    if not plan and not errors:
        errors["schools"] = Message("Choose who takes the cases of at least one school.")
    if errors:
        raise AssignmentError(errors)
    moved = 0
    with database.atomic():
        for case in (Case.select(Case, Student).join(Student)
                     .where((Case.officer == officer) & (Case.status == "open")
                            & (Student.school.in_(list(plan))))):
            assign(by, case, plan[case.student.school_id], note)
            moved += 1
    return moved


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
