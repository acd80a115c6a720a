"""Standings read from the database: the facts of many students gathered in
a few queries (one for all their attendance), then computed in Python."""
import datetime
from collections import defaultdict

from peewee import fn

from fieldapp.db import Param, Prepared, database
from fieldapp.models import AttendanceEvent, Case, CaseEvent, Contact, Enrollment, Letter, Student, User
from fieldapp.policy import does_casework
from fieldapp.rules.calendar import load_book
from fieldapp.rules.counting import of_schools_enrolled
from fieldapp.rules.engine import CaseRecord, StudentFacts, evaluate
from fieldapp.rules.ladder import CASEWORK, RECORD
from fieldapp.timefmt import school_year_of, school_year_start, school_zones, to_local

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
    """{student id: (school id, birth date, grade)} of active students in scope."""
    # "active" is checked on the rows found, not in the query: with it there,
    # SQLite without statistics starts from the index on student (active,
    # school_id), every active student of the district, for a chunk of ids.
    query = Student.select(Student.id, Student.school, Student.birth_date, Student.grade, Student.active)
    days = {}
    return {sid: (school, _day(born, days) if born else None, grade or "")
            for sid, school, born, grade, active in scope.rows(query, Student.id) if active}


def _enrolments(scope):
    """{student id: ((school id, begin, end), ...)}: every enrolment span kept."""
    spans, days = defaultdict(list), {}
    for student_id, school_id, begin, end in scope.rows(
            Enrollment.select(Enrollment.student, Enrollment.school, Enrollment.begin_date,
                              Enrollment.end_date), Enrollment.student):
        spans[student_id].append((school_id, _day(begin, days) if begin else None,
                                  _day(end, days) if end else None))
    return {s: tuple(sorted(v, key=lambda span: span[1] or datetime.date.min)) for s, v in spans.items()}


def _facts(student_id, school_id, born, grade, events, spans, record):
    """StudentFacts with the current school's span as enrolled_from/until;
    events: _events' marks, of which those of a school the student was not
    enrolled at that day are left out (rules.counting.of_schools_enrolled)."""
    here = [span for span in spans if span[0] == school_id] or list(spans[-1:])
    begin, end = (here[-1][1], here[-1][2]) if here else (None, None)
    events = of_schools_enrolled(events, school_id, spans)
    return StudentFacts(student_id=student_id, school_id=school_id, events=events, enrolled_from=begin,
                        enrolled_until=end, case=record, birth_date=born, grade=grade, enrolments=spans)


def _events(scope, start, on_day):
    """{student id: [(date, category, minutes, school id)]}: the marks from start to on_day."""
    query = (AttendanceEvent.select(AttendanceEvent.student, AttendanceEvent.date,
                                    AttendanceEvent.category, AttendanceEvent.minutes, AttendanceEvent.school)
             .where(AttendanceEvent.date.between(start, on_day)))
    events, days = defaultdict(list), {}
    for student_id, day, category, minutes, school_id in scope.rows(query, AttendanceEvent.student):
        events[student_id].append((_day(day, days), category, minutes, school_id))
    return events


def student_events(student, start, on_day, spans=None):
    """One student's counted marks from start to on_day ([(date, category,
    minutes)], those of a school they were not enrolled at that day left
    out, as in StudentFacts), with SQL built once: the student page shows
    them on its calendar. spans: the student's enrolment spans ((school id,
    begin, end)) when the caller has read them."""
    days = {}
    marks = [(_day(day, days), category, minutes, school)
             for day, category, minutes, school in _STUDENT_EVENTS.rows(student=student.id, start=start, end=on_day)]
    if spans is None:
        spans = _enrolments(Scope(student_ids=[student.id])).get(student.id, ())
    return of_schools_enrolled(marks, student.school_id, spans)


_STUDENT_EVENTS = Prepared(lambda: AttendanceEvent.select(AttendanceEvent.date, AttendanceEvent.category,
                                                           AttendanceEvent.minutes, AttendanceEvent.school)
                           .where(AttendanceEvent.date.between(Param("start"), Param("end"))
                                  & (AttendanceEvent.student == Param("student"))).tuples())


def marks_text(student, start, end):
    """A column giving a student's marks and enrolment spans as one text
    ("2026-09-14 unexcused 0 3,...|3 2026-08-20 -,..."), for a query that
    reads a student's row anyway to carry them (marks_read reads them back):
    a round trip fewer on every student page. Arguments: what the query
    compares with (values or Params)."""
    from fieldapp.db import is_postgres
    agg = fn.STRING_AGG if is_postgres() else fn.GROUP_CONCAT
    mark = (AttendanceEvent.date.cast("text").concat(" ").concat(AttendanceEvent.category).concat(" ")
            .concat(AttendanceEvent.minutes.cast("text")).concat(" ").concat(AttendanceEvent.school.cast("text")))
    span = (Enrollment.school.cast("text").concat(" ").concat(fn.COALESCE(Enrollment.begin_date.cast("text"), "-"))
            .concat(" ").concat(fn.COALESCE(Enrollment.end_date.cast("text"), "-")))
    marks = AttendanceEvent.select(agg(mark, ",")).where(AttendanceEvent.date.between(start, end)
                                                         & (AttendanceEvent.student == student))
    spans = Enrollment.select(agg(span, ",")).where(Enrollment.student == student)
    return fn.COALESCE(marks, "").concat("|").concat(fn.COALESCE(spans, ""))


def marks_read(text, home_school):
    """The marks a marks_text() column gave, as student_events gives them
    (home_school: the student's school id)."""
    days, marks, spans = {}, [], []
    mark_text, _, span_text = (text or "").partition("|")
    for mark in mark_text.split(","):
        if mark:
            day, category, minutes, school = mark.split(" ")
            marks.append((_day(day, days), category, int(minutes), int(school)))
    for span in span_text.split(","):
        if span:
            school, begin, end = span.split(" ")
            spans.append((int(school), None if begin == "-" else _day(begin, days),
                          None if end == "-" else _day(end, days)))
    return of_schools_enrolled(marks, home_school, spans)


def _case_records(scope, year, start, on_day, zones):
    """CaseRecord per student: flags of the open case, this year's contacts
    up to on_day (corrected ones replaced by their amendment) and the stage
    changes of this year's cases and the open one. A stored time counts on
    its local day in the zone of the student's school (zones: {student id:
    IANA zone})."""
    cases = scope.rows(Case.select(Case.id, Case.student, Case.status, Case.flags)
                       .where((Case.school_year == year) | (Case.status == "open")), Case.student)
    # A day's margin: the earliest zone (UTC+14) starts the year 14 hours before UTC.
    since = datetime.datetime.combine(start, datetime.time()) - datetime.timedelta(days=1)
    contacts_rows = scope.rows(Contact.select(Contact.id, Contact.student, Contact.occurred_at,
                                              Contact.method, Contact.outcome, Contact.amends,
                                              Contact.case, Contact.author_role, User.role)
                               .join(User, on=(Contact.author == User.id))
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
        student_id = by_case[case_id]
        day = _local_day(at, zones.get(student_id))
        if day <= on_day:
            stages[student_id].append((day, to_value))
    contacts = defaultdict(list)
    amended = {row[5] for row in contacts_rows if row[5]}
    for contact_id, student_id, occurred_at, method, outcome, _, case_id, role_then, role_now in contacts_rows:
        if contact_id not in amended:
            day = _local_day(occurred_at, zones.get(student_id))
            if day <= on_day:  # the author's role when they made it (a row without it: their role now)
                contacts[student_id].append((day, method, outcome, _made_by(case_id, role_then or role_now)))
    letters = _letters(by_case, on_day)
    students = set(flags) | set(stages) | set(contacts)
    return {s: CaseRecord(flags.get(s, frozenset()), tuple(contacts.get(s, ())),
                          tuple(stages.get(s, ())), tuple(letters.get(s, ()))) for s in students}


def _made_by(case_id, role):
    """CASEWORK for a contact on a case by a role that does casework, RECORD otherwise."""
    return CASEWORK if case_id is not None and does_casework(role) else RECORD


def _letters(by_case, on_day):
    """(letter date, kind) of the letters of these cases, by student."""
    letters, days = defaultdict(list), {}
    for case_id, day, kind in Scope(student_ids=by_case).rows(
            Letter.select(Letter.case, Letter.letter_date, Letter.kind), Letter.case):
        day = _day(day, days)
        if day <= on_day:
            letters[by_case[case_id]].append((day, kind))
    return letters


def _local_day(utc, zone_name):
    """The local date in zone_name of a stored UTC time (text on SQLite)."""
    if isinstance(utc, str):
        utc = datetime.datetime.fromisoformat(utc)
    return to_local(utc, zone_name).date()


def _zones(students):
    """{student id: zone of the student's school} of {student id: (school id, ...)}."""
    by_school = school_zones({facts[0] for facts in students.values()})
    return {sid: by_school.get(facts[0]) for sid, facts in students.items()}


def gather(on_day, school_ids=None, student_ids=None):
    """StudentFacts of the active students in scope (all when both are None),
    for the school year of on_day: marks, case record, birth date, grade and
    every enrolment span."""
    start, scope = school_year_start(on_day), Scope(school_ids, student_ids)
    students = _students(scope)
    events = _events(scope, start, on_day)
    spans = _enrolments(scope)
    records = _case_records(scope, school_year_of(on_day), start, on_day, _zones(students))
    return [_facts(s, school, born, grade, events.get(s, []), spans.get(s, ()), records.get(s))
            for s, (school, born, grade) in students.items()]


def standings(settings, on_day, school_ids=None, student_ids=None):
    """The Result of every active student in scope on on_day, by student id."""
    version = settings.version_on(on_day)
    book = load_book(school_year_of(on_day))
    return {facts.student_id: evaluate(facts, version, book.for_school(facts.school_id), on_day, book)
            for facts in gather(on_day, school_ids, student_ids)}


def standings_today(settings, student_ids):
    """{student id: Result} of these active students, each on the today of
    their own school's zone (a district may span zones)."""
    from fieldapp.timefmt import todays
    ids, schools = list(student_ids), {}
    for i in range(0, len(ids), CHUNK):
        schools.update(Student.select(Student.id, Student.school)
                       .where(Student.id.in_(ids[i:i + CHUNK])).tuples())
    days, by_day = todays(set(schools.values())), defaultdict(list)
    for sid, school_id in schools.items():
        by_day[days[school_id]].append(sid)
    found = {}
    for day, part in by_day.items():
        found.update(standings(settings, day, student_ids=part))
    return found


def facts_of(student, on_day):
    """One student's StudentFacts on on_day (even when the student is inactive)."""
    start, scope = school_year_start(on_day), Scope(student_ids=[student.id])
    return _facts(student.id, student.school_id, student.birth_date, student.grade or "",
                  _events(scope, start, on_day).get(student.id, []), _enrolments(scope).get(student.id, ()),
                  _case_records(scope, school_year_of(on_day), start, on_day,
                                _zones({student.id: (student.school_id,)})).get(student.id))


def standing_of(settings, student, on_day):
    """One student's Result on on_day (computed even when the student is inactive)."""
    book = load_book(school_year_of(on_day))
    return evaluate(facts_of(student, on_day), settings.version_on(on_day),
                    book.for_school(student.school_id), on_day, book)
