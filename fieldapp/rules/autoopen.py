"""Opening a case when a student crosses the first threshold of the state's
ladder (when the installation turns it on), assigned to the school's officer."""
from collections import namedtuple

from fieldapp.cases import history_text
from fieldapp.cases.lifecycle import AlreadyOpen, open_case
from fieldapp.models import Case, CaseEvent, Student, User, UserSchool
from fieldapp.rules.standing import standings, standings_today
from fieldapp.timefmt import school_year_of


Opened = namedtuple("Opened", "opened already")  # cases opened; students found with an open case on opening


def _events(case):
    return CaseEvent.select().where(CaseEvent.case == case).count()


def school_officers():
    """{school id: the officer who works it} (the longest-serving one when several)."""
    officers = {}
    for link in (UserSchool.select(UserSchool, User).join(User)
                 .where((User.role == "officer") & (User.active == True))  # noqa: E712
                 .order_by(User.id)):
        officers.setdefault(link.school_id, link.user)
    return officers


def _opener(by_user, officer):
    """Who the case is opened by: the person who ran the import, else the
    officer, else a supervisor (Case.opened_by names a person)."""
    if by_user is not None:
        return by_user
    if officer is not None:
        return officer
    return User.select().where((User.role == "supervisor") & (User.active == True)).first()  # noqa: E712


def open_cases_at_first_threshold(settings, on_day, student_ids, by_user=None, journal=None):
    """Open a case for each of these students who has crossed the first
    threshold and has neither an open case nor one this school year (a case
    closed this year stays closed). on_day: a date for every student, or
    None for each one's own school's today. Each case opened is journalled
    as created (with its events so far) when a journal is given, so that
    undoing the import closes it. A student given an open case since the
    check (an officer opening one at that moment) is skipped: their case
    stands and the rest go on. Returns Opened(opened, already): how many
    cases were opened, and how many students were skipped so."""
    if not student_ids:
        return Opened(0, 0)
    results = standings(settings, on_day, student_ids=student_ids) if on_day is not None \
        else standings_today(settings, student_ids)
    # Only a threshold the law applies to this student (age, grade) opens a case.
    crossed = [r for r in results.values() if any(s.triggered and s.applies for s in r.steps)]
    if not crossed:
        return Opened(0, 0)
    ids, has_case = [r.student_id for r in crossed], set()
    years = {school_year_of(r.on_day) for r in crossed}
    for start in range(0, len(ids), 500):
        has_case.update(s for (s,) in Case.select(Case.student).where(
            (Case.school_year.in_(list(years))) | (Case.status == "open"),
            Case.student.in_(ids[start:start + 500])).tuples())
    officers, opened, already = {}, 0, 0
    for result in crossed:
        if result.student_id in has_case:
            continue
        student = Student.get_by_id(result.student_id)
        officers = officers or school_officers()
        officer = officers.get(student.school_id)
        opener = _opener(by_user, officer)
        if opener is None:
            continue
        first = min((s for s in result.steps if s.triggered and s.applies), key=lambda s: s.first_triggered_on)
        why = history_text.said("opened_automatically", step=first.step.label, statute=first.step.statute,
                                day=first.first_triggered_on, version=result.version.version_id)
        try:
            case = open_case(opener, student, {"stage": "monitoring"}, officer=officer, app_said=why)
        except AlreadyOpen:
            already += 1
            continue
        if journal is not None:
            journal.created("case", case.id, {"status": "open", "events": _events(case)})
        opened += 1
    return Opened(opened, already)
