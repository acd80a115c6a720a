"""Standings read from the database: the facts of many students gathered in
a few queries (one for all their attendance), then computed in Python."""
import datetime
from collections import defaultdict

from fieldapp.models import AttendanceEvent, Case, CaseEvent, Contact, Enrollment, Student
from fieldapp.rules.calendar import load_book
from fieldapp.rules.engine import CaseRecord, StudentFacts, evaluate
from fieldapp.timefmt import school_year_of, school_year_start, to_local

CHUNK = 500  # ids per IN list, well under every engine's limit on parameters


def _chunks(ids):
    ids = list(ids)
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def _students(school_ids=None, student_ids=None):
    """{student id: school id} of active students in scope."""
    query = Student.select(Student.id, Student.school).where(Student.active == True)  # noqa: E712
    if school_ids is not None:
        query = query.where(Student.school.in_(list(school_ids)))
    if student_ids is None:
        return dict(query.tuples())
    found = {}
    for chunk in _chunks(student_ids):
        found.update(query.where(Student.id.in_(chunk)).tuples())
    return found


def _rows(query, field, ids, everyone):
    """Rows of query for the students in ids: one query for everyone, else chunks."""
    if everyone:
        return list(query.tuples())
    rows = []
    for chunk in _chunks(ids):
        rows.extend(query.where(field.in_(chunk)).tuples())
    return rows


def _events(ids, start, on_day, everyone):
    query = (AttendanceEvent.select(AttendanceEvent.student, AttendanceEvent.date,
                                    AttendanceEvent.category, AttendanceEvent.minutes)
             .where(AttendanceEvent.date.between(start, on_day),
                    AttendanceEvent.category != "present"))
    events = defaultdict(list)
    for student_id, day, category, minutes in _rows(query, AttendanceEvent.student, ids, everyone):
        events[student_id].append((day, category, minutes))
    return events


def _case_records(ids, year, start, everyone):
    """CaseRecord per student: flags of the open case, this year's contacts
    (corrected ones replaced by their amendment) and stage changes."""
    cases = _rows(Case.select(Case.id, Case.student, Case.status, Case.flags, Case.opened_at)
                  .where(Case.school_year == year), Case.student, ids, everyone)
    if not cases:
        return {}
    by_case = {case_id: student_id for case_id, student_id, *_ in cases}
    flags = {student_id: frozenset(f for f in (case_flags or "").split(",") if f)
             for _, student_id, status, case_flags, _ in cases if status == "open"}
    stages = defaultdict(list)
    for case_id, kind, to_value, at in _rows(
            CaseEvent.select(CaseEvent.case, CaseEvent.kind, CaseEvent.to_value, CaseEvent.at)
            .where(CaseEvent.kind.in_(("opened", "stage"))), CaseEvent.case, by_case, False):
        stages[by_case[case_id]].append((to_local(at).date(), to_value))
    since = datetime.datetime.combine(start, datetime.time()) - datetime.timedelta(days=1)
    contacts = defaultdict(list)
    rows = _rows(Contact.select(Contact.id, Contact.student, Contact.occurred_at, Contact.method,
                                Contact.outcome, Contact.amends)
                 .where(Contact.occurred_at >= since), Contact.student, ids, everyone)
    amended = {row[5] for row in rows if row[5]}
    for contact_id, student_id, occurred_at, method, outcome, _ in rows:
        if contact_id not in amended:
            contacts[student_id].append((to_local(occurred_at).date(), method, outcome))
    students = set(flags) | set(stages) | set(contacts)
    return {s: CaseRecord(flags.get(s, frozenset()), tuple(contacts.get(s, ())),
                          tuple(stages.get(s, ()))) for s in students}


def gather(on_day, school_ids=None, student_ids=None):
    """StudentFacts of the active students in scope (all when both are None),
    with their school ids, for the school year of on_day."""
    start = school_year_start(on_day)
    schools = _students(school_ids, student_ids)
    everyone = school_ids is None and student_ids is None
    events = _events(schools, start, on_day, everyone)
    enrolled = {s: (b, e) for s, b, e in _rows(
        Enrollment.select(Enrollment.student, Enrollment.begin_date, Enrollment.end_date),
        Enrollment.student, schools, everyone)}
    records = _case_records(schools, school_year_of(on_day), start, everyone)
    return [StudentFacts(student_id=s, school_id=school, events=events.get(s, []),
                         enrolled_from=enrolled.get(s, (None, None))[0],
                         enrolled_until=enrolled.get(s, (None, None))[1], case=records.get(s))
            for s, school in schools.items()]


def standings(settings, on_day, school_ids=None, student_ids=None):
    """The Result of every active student in scope on on_day, by student id."""
    version = settings.version_on(on_day)
    book = load_book(school_year_of(on_day))
    return {facts.student_id: evaluate(facts, version, book.for_school(facts.school_id), on_day)
            for facts in gather(on_day, school_ids, student_ids)}


def standing_of(settings, student, on_day):
    """One student's Result on on_day (computed even when the student is inactive)."""
    version = settings.version_on(on_day)
    start = school_year_start(on_day)
    events = _events([student.id], start, on_day, False).get(student.id, [])
    enrollment = Enrollment.get_or_none(Enrollment.student == student)
    record = _case_records([student.id], school_year_of(on_day), start, False).get(student.id)
    facts = StudentFacts(student.id, student.school_id, events,
                         enrollment.begin_date if enrollment else None,
                         enrollment.end_date if enrollment else None, record)
    calendar = load_book(school_year_of(on_day)).for_school(student.school_id)
    return evaluate(facts, version, calendar, on_day)
