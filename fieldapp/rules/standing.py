"""Standings read from the database: the facts of many students gathered in
a few queries (one for all their attendance), then computed in Python."""
import datetime
from collections import defaultdict

from fieldapp.db import database
from fieldapp.models import AttendanceEvent, Case, CaseEvent, Contact, Enrollment, Student
from fieldapp.rules.calendar import load_book
from fieldapp.rules.engine import CaseRecord, StudentFacts, evaluate
from fieldapp.timefmt import school_year_of, school_year_start, to_local

CHUNK = 500  # ids per IN list, well under every engine's limit on parameters


class Scope:
    """Which students: everyone, some schools' students, or some students."""

    def __init__(self, school_ids=None, student_ids=None):
        self.school_ids = None if school_ids is None else list(school_ids)
        self.student_ids = None if student_ids is None else list(student_ids)

    def queries(self, query, field):
        """query restricted to the scope on `field` (a student id column):
        one query, or one per chunk of student ids."""
        if self.student_ids is not None:
            return [query.where(field.in_(self.student_ids[i:i + CHUNK]))
                    for i in range(0, len(self.student_ids), CHUNK)]
        if self.school_ids is not None:
            return [query.where(field.in_(Student.select(Student.id)
                                          .where(Student.school.in_(self.school_ids))))]
        return [query]

    def rows(self, query, field):
        """Raw rows (no per-value conversion by the ORM) of query within the scope."""
        return [row for q in self.queries(query, field) for row in database.execute(q).fetchall()]


def _day(value, cache):
    """A date from the driver: PostgreSQL gives dates, SQLite ISO text."""
    if isinstance(value, str):
        day = cache.get(value)
        if day is None:
            day = cache[value] = datetime.date.fromisoformat(value[:10])
        return day
    return value


def _students(scope):
    """{student id: school id} of active students in scope."""
    query = Student.select(Student.id, Student.school).where(Student.active == True)  # noqa: E712
    return dict(scope.rows(query, Student.id))


def _events(scope, start, on_day):
    query = (AttendanceEvent.select(AttendanceEvent.student, AttendanceEvent.date,
                                    AttendanceEvent.category, AttendanceEvent.minutes)
             .where(AttendanceEvent.date.between(start, on_day)))
    events, days = defaultdict(list), {}
    for student_id, day, category, minutes in scope.rows(query, AttendanceEvent.student):
        events[student_id].append((_day(day, days), category, minutes))
    return events


def _case_records(scope, year, start, on_day):
    """CaseRecord per student: flags of the open case, this year's contacts
    up to on_day (corrected ones replaced by their amendment) and the stage
    changes of this year's cases and the open one."""
    cases = scope.rows(Case.select(Case.id, Case.student, Case.status, Case.flags)
                       .where((Case.school_year == year) | (Case.status == "open")), Case.student)
    since = datetime.datetime.combine(start, datetime.time()) - datetime.timedelta(days=1)
    contacts_rows = scope.rows(Contact.select(Contact.id, Contact.student, Contact.occurred_at,
                                              Contact.method, Contact.outcome, Contact.amends)
                               .where(Contact.occurred_at >= since), Contact.student)
    if not cases and not contacts_rows:
        return {}
    by_case = {case_id: student_id for case_id, student_id, *_ in cases}
    flags = {student_id: frozenset(f for f in (case_flags or "").split(",") if f)
             for _, student_id, status, case_flags in cases if status == "open"}
    stages = defaultdict(list)
    for case_id, to_value, at in Scope(student_ids=by_case).rows(
            CaseEvent.select(CaseEvent.case, CaseEvent.to_value, CaseEvent.at)
            .where(CaseEvent.kind.in_(("opened", "stage"))), CaseEvent.case):
        if _local_day(at) <= on_day:
            stages[by_case[case_id]].append((_local_day(at), to_value))
    contacts = defaultdict(list)
    amended = {row[5] for row in contacts_rows if row[5]}
    for contact_id, student_id, occurred_at, method, outcome, _ in contacts_rows:
        if contact_id not in amended and _local_day(occurred_at) <= on_day:
            contacts[student_id].append((_local_day(occurred_at), method, outcome))
    students = set(flags) | set(stages) | set(contacts)
    return {s: CaseRecord(flags.get(s, frozenset()), tuple(contacts.get(s, ())),
                          tuple(stages.get(s, ()))) for s in students}


def _local_day(utc):
    """The district's local date of a stored UTC time (text on SQLite)."""
    if isinstance(utc, str):
        utc = datetime.datetime.fromisoformat(utc)
    return to_local(utc).date()


def gather(on_day, school_ids=None, student_ids=None):
    """StudentFacts of the active students in scope (all when both are None),
    with their school ids, for the school year of on_day."""
    start, scope = school_year_start(on_day), Scope(school_ids, student_ids)
    schools = _students(scope)
    events = _events(scope, start, on_day)
    enrolled = {s: (_day(b, {}) if b else None, _day(e, {}) if e else None) for s, b, e in scope.rows(
        Enrollment.select(Enrollment.student, Enrollment.begin_date, Enrollment.end_date),
        Enrollment.student)}
    records = _case_records(scope, school_year_of(on_day), start, on_day)
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
    start, scope = school_year_start(on_day), Scope(student_ids=[student.id])
    enrollment = Enrollment.get_or_none(Enrollment.student == student)
    facts = StudentFacts(student.id, student.school_id, _events(scope, start, on_day).get(student.id, []),
                         enrollment.begin_date if enrollment else None,
                         enrollment.end_date if enrollment else None,
                         _case_records(scope, school_year_of(on_day), start, on_day).get(student.id))
    calendar = load_book(school_year_of(on_day)).for_school(student.school_id)
    return evaluate(facts, settings.version_on(on_day), calendar, on_day)
