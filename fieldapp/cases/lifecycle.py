"""Opening and closing cases, stages, and the officer's caseload."""
import operator
from functools import reduce

from peewee import JOIN, Case as SqlCase, IntegrityError, Value, fn

from fieldapp import codes
from fieldapp.cases import assignment, desk_records, history_text, legal_stage
from fieldapp.cases.text import clean_text, pick_many, pick_one
from fieldapp.db import Param, Params, Prepared, PreparedBySize, database, is_postgres
from fieldapp.messages import Message, N_
from fieldapp.models import Case, CaseEvent, FollowUp, School, Student, User, utcnow
from fieldapp.timefmt import on_school_today, school_year_of, today_for_school


class CaseError(ValueError):
    """The case cannot change as asked; errors maps field -> message."""

    def __init__(self, errors):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


class AlreadyOpen(CaseError):
    """The student already has an open case (`case`, or None when it was
    closed again before it could be read): one was opened before, or at the
    same moment by another request or the automatic opening."""

    def __init__(self, case):
        super().__init__({"student": Message("This student already has an open case.")})
        self.case = case


def open_case_of(student):
    return Case.get_or_none((Case.student == student) & (Case.status == "open"))


def no_longer_open(case):
    """What a form about case meets when the case is closed, to say at once
    instead of the form: {"kind": "case_closed", "at": closed_at (UTC),
    "by": the User who closed it (None if unknown), "reason": closure code};
    None while the case is open."""
    if case.is_open:
        return None
    by = User.get_or_none(User.id == case.closed_by_id) if case.closed_by_id else None
    return {"kind": "case_closed", "at": case.closed_at, "by": by, "reason": case.closure_reason}


def already_opened(student):
    """What a form opening a case meets when the student has an open case
    already: {"kind": "case_opened", "at": opened_at (UTC), "by": User who
    opened it, "case": the Case}; None when the student has none open."""
    case = open_case_of(student)
    if case is None:
        return None
    return {"kind": "case_opened", "at": case.opened_at, "by": User.get_or_none(User.id == case.opened_by_id),
            "case": case}


def cases_of(student):
    """(the open case or None, [closed cases, last closed first]) of a student, in one
    query, each with its officer (Case.officer, None when unassigned) and the id of
    the contact that planned its open follow-up (Case.follow_up_planned_by, or None)."""
    cases = _CASES_OF.rows(student=student.id)
    return (next((c for c in cases if c.status == "open"), None),
            [c for c in cases if c.status == "closed"])


def _cases_of():
    planned_by = FollowUp.select(FollowUp.planned_by).where(
        (FollowUp.case == Case.id) & (FollowUp.status == "open")).limit(1)
    return (Case.select(Case, User, planned_by.alias("follow_up_planned_by"))
            .join(User, JOIN.LEFT_OUTER, on=(Case.officer == User.id))
            .where(Case.student == Param("student")).order_by(Case.closed_at.desc(), Case.id.desc()))


_CASES_OF = Prepared(_cases_of)  # on every student page


def open_case(user, student, form, officer=None, app_said=None):
    """Open a case for student; one open case per student at a time.

    The assigned officer is `officer` when given, else the form's "officer"
    (an id, or empty for nobody yet) when the form has one, else the default
    (fieldapp.cases.assignment.default_officer). Raises CaseError, or
    AlreadyOpen when the student has an open case, also one opened between
    the check and the insert (the unique index of migration 0241 refuses the
    second; the insert runs in a savepoint, so a surrounding transaction
    goes on). app_said: what the app says in the history line of the
    opening (history_text.said), the automatic opening's why."""
    errors = {}
    stage = pick_one(form.get("stage") or "monitoring", codes.STAGES, errors, "stage", N_("Stage"))
    flags = pick_many(form.get("flags", []), codes.CASE_FLAGS, errors, "flags", N_("Flags"))
    note = clean_text(form.get("note"), 2000, errors, "note", N_("Note"))
    without_record = legal_stage.check_stage_record(Case(), stage, form, errors)
    if officer is None:
        officer = (assignment.parse_officer(form.get("officer"), student, errors) if "officer" in form
                   else assignment.default_officer(user, student))
    if errors:
        raise CaseError(errors)
    existing = open_case_of(student)
    if existing:
        raise AlreadyOpen(existing)
    try:
        return _create_open_case(user, student, stage, flags, note, officer, without_record,
                                 app_said or _marked(without_record))
    except IntegrityError:  # opened at the same moment elsewhere (the index 0241)
        raise AlreadyOpen(open_case_of(student)) from None


def _create_open_case(user, student, stage, flags, note, officer, without_record, app_said):
    # Read before the transaction: on SQLite a transaction that reads first and
    # writes second fails at once ("database is locked") when another writer
    # committed in between, where one that writes first waits its turn.
    school_year = school_year_of(today_for_school(student.school_id))
    with database.atomic():
        case = Case.create(
            student=student, school=student.school_id, school_year=school_year,
            stage=stage, officer=officer, opened_by=user, flags=",".join(flags),
            assigned_at=utcnow() if officer else None, assigned_by=user if officer else None,
            stage_without_record=without_record)
        CaseEvent.create(case=case, kind="opened", to_value=stage, note=note, by=user, **app_said)
        if officer is not None and officer.id != user.id:  # an officer opening their own case says enough
            CaseEvent.create(case=case, kind="assigned", to_value=officer.name, by=user)
        desk_records.accept_waiting(user, case)
    return case


def _marked(without_record):
    """The history line's words for a stage recorded without its letter on file."""
    return history_text.said("without_record") if without_record else {}


def close_case(user, case, form, settings=None, today=None):
    """Close an open case with a reason from the list. With the state's rule
    settings, a case the law still has overdue steps on (or a habitual
    truant's) closes only when the form confirms it and says why; the history
    keeps what was outstanding."""
    errors = {}
    reason = pick_one(form.get("closure_reason"), codes.CLOSURE_REASONS, errors,
                      "closure_reason", N_("Closure reason"))
    note = clean_text(form.get("closure_note"), 2000, errors, "closure_note", N_("Note"),
                      required=(reason == "other"))
    if not case.is_open:
        errors["closure_reason"] = Message("This case is already closed.")
    today = today or today_for_school(case.school_id)
    outstanding = legal_stage.check_closing(settings, case, form, errors, today) if case.is_open else []
    if errors:
        raise CaseError(errors)
    # what the law still asked, kept in the history line as steps (said in the reader's language)
    outstanding_said = history_text.said("closed_outstanding", steps=outstanding) if outstanding else {}
    with database.atomic():
        held = hold_case(case.id)
        if not held.is_open:  # closed by someone else since the form was read
            raise CaseError({"closure_reason": _closed_meanwhile(held)})
        fields = dict(status="closed", closure_reason=reason, closure_note=note, closed_at=utcnow(),
                      closed_by=user)
        Case.update(**fields).where(Case.id == case.id).execute()
        CaseEvent.create(case=case, kind="closed", from_value=held.stage, to_value=reason,
                         note=note, by=user, **outstanding_said)
    for name, value in fields.items():
        setattr(case, name, value)
    return case


def hold_case(case_id):
    """The case as committed now, its row held until the transaction ends: a
    second person changing the case waits here for the first to commit and
    then reads what they wrote, so a check made on the returned row and the
    write after it are one step. PostgreSQL: SELECT ... FOR UPDATE; SQLite's
    write transactions take the database's lock as they begin
    (fieldapp.db.WritingSqliteDatabase). Call inside database.atomic()."""
    query = Case.select().where(Case.id == case_id)
    return (query.for_update() if is_postgres() else query).get()


def _closed_meanwhile(case):
    return Message("%(name)s closed this case meanwhile (%(reason)s); nothing was changed. "
                   "Your note is kept below.", name=case.closed_by.name if case.closed_by_id else "",
                   reason=(codes.label("closure", case.closure_reason),))


def change_stage(user, case, form, now=None):
    """Move an open case to another stage, saying why (form: stage, note,
    without_record); `now` (UTC) the time of the change, by default now.
    Raises CaseError (field -> message)."""
    errors = {}
    stage = pick_one(form.get("stage"), codes.STAGES, errors, "stage", N_("Stage"))
    note = clean_text(form.get("note"), 2000, errors, "note", N_("Why"), required=True)
    if not case.is_open:
        errors["stage"] = Message("A closed case cannot change stage.")
    elif stage == case.stage:
        errors["stage"] = Message("The case is already at this stage.")
    without_record = legal_stage.check_stage_record(case, stage, form, errors)
    if errors:
        raise CaseError(errors)
    return _change_held(user, case, "stage", stage, note, lambda held: Message(
        "Someone moved this case to “%(stage)s” meanwhile; check that stage, then change it if still needed.",
        stage=(codes.label("stage", held.stage),)), now, _marked(without_record),
        stage_without_record=without_record)


def _change_held(user, case, column, value, note, meanwhile, at=None, app_said=None, **more):
    """Set an open case's column ("stage" or "flags", the CaseEvent's kind
    "stage" or "circumstances") to value with its history line (from the
    value before, with note, by user, at a UTC time, by default now), in one
    step with the check that nobody changed the case since it was read: its
    row is held (hold_case), and a case closed meanwhile, or whose column no
    longer holds what case read, raises CaseError on the column's field
    (meanwhile(held): how it stands now). app_said: what the app says in
    the line (history_text.said). more: other columns set with it."""
    with database.atomic():
        held = hold_case(case.id)
        if not held.is_open:
            raise CaseError({column: _closed_meanwhile(held)})
        if getattr(held, column) != getattr(case, column):  # changed since the form was read
            raise CaseError({column: meanwhile(held)})
        CaseEvent.create(case=case, kind=HISTORY_KINDS[column], from_value=getattr(held, column),
                         to_value=value, note=note, by=user, at=at or utcnow(), **(app_said or {}))
        Case.update({getattr(Case, column): value, **{getattr(Case, k): v for k, v in more.items()}}).where(
            Case.id == case.id).execute()
    for name, changed in {column: value, **more}.items():
        setattr(case, name, changed)
    return case


HISTORY_KINDS = {"stage": "stage", "flags": "circumstances"}  # a column _change_held sets -> its CaseEvent kind


def _caseload_query(officer):
    from fieldapp.policy import school_scope
    scope = school_scope(officer)  # a student who left the officer's schools leaves the caseload
    query = (Case.select(Case, Student, School).join(Student).switch(Case).join(School)
             .where((Case.officer == officer) & (Case.status == "open")))
    if scope is not None:
        query = query.where(Student.school.in_(list(scope)))
    return query


def caseload(officer, today=None, limit=500, offset=0):
    """The officer's open cases: those handed to them by someone else and not
    worked since first (Case.is_new_to_officer), then overdue follow-ups, due
    today, the rest, and those with none (follow-up days in order)."""
    new_first = SqlCase(None, (
        ((Case.assigned_by != officer) & (Case.assigned_at.is_null(False))
         & (Case.last_contact_at.is_null() | (Case.last_contact_at < Case.assigned_at)), 0),), 1)
    return list(_caseload_query(officer)
                .order_by(new_first, Case.next_follow_up.asc(nulls="LAST"), Student.sort_key, Case.id)
                .limit(limit).offset(offset))


class CaseCard:
    """What a card of the caseload page shows of one open case, read as plain
    columns: building whole Case, Student and School rows for fifty cards
    cost a fifth of the page."""
    __slots__ = ("id", "student_id", "school_id", "stage", "stage_without_record", "contact_count",
                 "next_follow_up", "assigned_at", "is_new_to_officer", "first_name", "last_name", "grade",
                 "school_name")

    def __init__(self, row):
        (self.id, self.student_id, self.school_id, self.stage, self.stage_without_record, self.contact_count,
         self.next_follow_up, self.assigned_at, officer_id, assigned_by_id, last_contact_at,
         self.first_name, self.last_name, self.grade, self.school_name) = row
        # as Case.is_new_to_officer says it
        self.is_new_to_officer = bool(self.assigned_at and officer_id and assigned_by_id != officer_id
                                      and (last_contact_at is None or last_contact_at < self.assigned_at))


def _cards(scoped):
    """The caseload's order (caseload) over only the columns a card shows,
    the officer, page size and offset given at each run; scoped: the student
    must be in one of the officer's schools (policy.school_scope)."""
    officer = Param("officer")
    query = (Case.select(Case.id, Case.student, Case.school, Case.stage, Case.stage_without_record,
                         Case.contact_count, Case.next_follow_up, Case.assigned_at, Case.officer,
                         Case.assigned_by, Case.last_contact_at, Student.first_name, Student.last_name,
                         Student.grade, School.name)
             .join(Student).switch(Case).join(School)
             .where((Case.officer == officer) & (Case.status == "open")))
    if scoped:
        from fieldapp.models import UserSchool
        query = query.where(Student.school.in_(
            UserSchool.select(UserSchool.school).where(UserSchool.user == officer)))
    return (query.order_by(new_to_officer_first(officer), Case.next_follow_up.asc(nulls="LAST"), Student.sort_key,
                           Case.id)
            .limit(Param("limit")).offset(Param("offset")).tuples())


def new_to_officer_first(officer):
    """The caseload's first order: cases handed to the officer by someone else
    and not worked since (Case.is_new_to_officer) before the others."""
    return SqlCase(None, (
        ((Case.assigned_by != officer) & (Case.assigned_at.is_null(False))
         & (Case.last_contact_at.is_null() | (Case.last_contact_at < Case.assigned_at)), 0),), 1)


_CARDS = {True: Prepared(lambda: _cards(True)), False: Prepared(lambda: _cards(False))}


def caseload_cards(officer, limit=500, offset=0):
    """The cases of caseload(officer, limit=limit, offset=offset), in its
    order, as CaseCards."""
    from fieldapp.policy import school_scope
    scoped = school_scope(officer) is not None  # the officer's own schools (User.school_ids)
    return [CaseCard(row) for row in _CARDS[scoped].rows(officer=officer.id, limit=limit, offset=offset)]


def caseload_size(officer):
    """How many open cases the officer's caseload lists."""
    return _caseload_query(officer).count()


def all_on_caseload(officer, student_ids):
    """Whether every one of student_ids has an open case assigned to officer (one query)."""
    wanted = set(student_ids)
    found = (Case.select(Case.student).where((Case.officer == officer) & (Case.status == "open")
                                             & Case.student.in_(list(wanted))).distinct().count())
    return found == len(wanted)


def follow_up_counts(officer, today=None):
    """(overdue, due today): follow-ups of the officer's whole caseload, every page of
    it, counted in one query. today: a date for every case, or None for the
    today of each student's school (an officer's schools may span zones)."""
    def count(test):
        condition = on_school_today(Student.school, test, today)
        return fn.COALESCE(fn.SUM(SqlCase(None, ((condition, 1),), 0)), 0)
    overdue, due = (_caseload_query(officer)
                    .select(count(lambda day: Case.next_follow_up < day),
                            count(lambda day: Case.next_follow_up == day))
                    .tuples().get())
    return int(overdue), int(due)


def caseload_counts(officer, today=None):
    """(open cases, overdue follow-ups, follow-ups due today) of the officer's
    whole caseload (caseload_size and follow_up_counts), in one query.
    today: a date for every case, or None for the today of each student's
    school (an officer's schools may span zones)."""
    from fieldapp.policy import school_scope
    from fieldapp.timefmt import schools_by_today
    scope = school_scope(officer)
    if scope is not None and not scope:
        return 0, 0, 0  # no school: no case of theirs is in reach
    scope = None if scope is None else sorted(scope)
    if today is not None:
        days = [(today, None)]
    else:
        groups = schools_by_today()
        days = [(next(iter(groups)), None)] if len(groups) == 1 else sorted(groups.items())
    values = {"officer": officer.id, "scope": scope}
    for i, (day, schools) in enumerate(days):
        values[f"day{i}"], values[f"schools{i}"] = day, schools
    shape = (None if scope is None else len(scope),
             tuple(None if schools is None else len(schools) for _, schools in days))
    total, overdue, due = _COUNTS.first(shape, **values)
    return int(total), int(overdue or 0), int(due or 0)


def _counts(shape):
    """caseload_counts' query for shape (how many schools the officer is
    scoped to, None for any; how many schools share each today, None for
    every school), its values given at each run: the caseload asks it on
    every view, and building its SQL cost more than running it."""
    scope, days = shape

    def count(test):
        parts = [test(Param(f"day{i}")) if schools is None
                 else Student.school.in_(Params(f"schools{i}", schools)) & test(Param(f"day{i}"))
                 for i, schools in enumerate(days)]
        condition = reduce(operator.or_, parts) if parts else Value(False)
        return fn.COALESCE(fn.SUM(SqlCase(None, ((condition, 1),), 0)), 0)
    query = (Case.select(fn.COUNT(Case.id), count(lambda day: Case.next_follow_up < day),
                         count(lambda day: Case.next_follow_up == day))
             .join(Student).switch(Case).join(School)
             .where((Case.officer == Param("officer")) & (Case.status == "open")))
    if scope is not None:
        query = query.where(Student.school.in_(Params("scope", scope)))
    return query.tuples()


_COUNTS = PreparedBySize(_counts)


def school_open_cases(school_ids, limit=500):
    """Open cases of some schools, follow-ups soonest first (front office list)."""
    return list(Case.select(Case, Student, School, User).join(Student).join(School).switch(Case)
                .join(User, on=(Case.officer == User.id), join_type=JOIN.LEFT_OUTER)
                .where((Case.status == "open") & (Student.school.in_(list(school_ids))))
                .order_by(Case.next_follow_up.asc(nulls="LAST"), Student.sort_key, Case.id)
                .limit(limit))


def history(case):
    """The case's events (opened, stages, assignments, closing), oldest first, each with who."""
    return _HISTORY.rows(case=case.id)


_HISTORY = Prepared(lambda: CaseEvent.select(CaseEvent, User).join(User, on=(CaseEvent.by == User.id))
                    .where(CaseEvent.case == Param("case")).order_by(CaseEvent.at, CaseEvent.id))  # student page


def change_circumstances(user, case, form):
    """Set an open case's circumstances (codes.CASE_FLAGS: homelessness, foster
    care, pregnancy, main earner, special education/504, severe illness), saying
    why. They change what the law allows (for example Texas Ed Code
    25.0915(a-3)), so each change is kept in the case's history with who, when,
    what was added and removed. form: {"flags": [codes], "note": str}.
    Raises CaseError (field -> message) when nothing changes, a code is unknown,
    the reason is missing or the case is closed."""
    errors = {}
    flags = pick_many(form.get("flags", []), codes.CASE_FLAGS, errors, "flags", N_("Circumstances"))
    note = clean_text(form.get("note"), 2000, errors, "note", N_("Why"), required=True)
    before = case.flag_list
    if not case.is_open:
        errors["flags"] = Message("A closed case cannot change.")
    elif not errors and set(flags) == set(before):
        errors["flags"] = Message("These are the circumstances already recorded; change one or cancel.")
    if errors:
        raise CaseError(errors)
    ordered = ",".join(code for code in codes.CASE_FLAGS if code in flags)
    return _change_held(user, case, "flags", ordered, note, lambda held: Message(
        "Someone changed the circumstances meanwhile; they are now: %(flags)s. Check your choice below and "
        "save again.", flags=tuple(codes.label("flag", f) for f in held.flag_list) or (N_("none"),)))
