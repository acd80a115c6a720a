"""Chronic-absence bands of many students at once, counted in SQL.

The rules engine (fieldapp.rules.engine.evaluate) gives one student's band
from their whole record; lists and the supervisor's figures need the band of
every student of the district, so here the same share is counted in the
database: days with an excused or unexcused absence this school year, over
the school days of the student's school up to the day asked. Unlike the
engine, a student enrolled after the first day of school is counted from the
first day (their share reads lower, never higher).
"""
from peewee import JOIN, fn

from fieldapp.models import AttendanceEvent, School, Student
from fieldapp.rules.bands import CHRONIC_ABSENCE, percent
from fieldapp.rules.calendar import load_book
from fieldapp.timefmt import latest_today, school_year_of, school_year_start, todays

MISSED = ("excused", "unexcused")


def enrolled_days(on_day=None):
    """{school id: school days from the first day of school to on_day}; on_day
    None: to each school's own today, in its time zone."""
    school_days = {school_id: on_day for (school_id,) in School.select(School.id).tuples()} \
        if on_day is not None else todays()
    days = {}
    for school_id, day in school_days.items():
        calendar = load_book(school_year_of(day)).for_school(school_id)
        days[school_id] = calendar.count(calendar.first_day, min(day, calendar.last_day))
    return days


def _marks_through(on_day):
    """The last day whose marks count: on_day, else the latest school's today
    (no school holds marks after its own today)."""
    return on_day or latest_today()


def missed_days(on_day):
    """A subquery: (student_id, missed) for students with an absence this
    school year up to on_day, missed counting days (not marks)."""
    return (AttendanceEvent
            .select(AttendanceEvent.student.alias("student_id"),
                    fn.COUNT(AttendanceEvent.date.distinct()).alias("missed"))
            .where(AttendanceEvent.category.in_(MISSED)
                   & AttendanceEvent.date.between(school_year_start(on_day), on_day))
            .group_by(AttendanceEvent.student))


def band_counts(on_day=None, school_ids=None):
    """{school id: {band code: active students}} on on_day (today when None),
    every school with students listed, every band present (0 when none)."""
    days = enrolled_days(on_day)
    missed = missed_days(_marks_through(on_day)).alias("m")
    taken = fn.COALESCE(missed.c.missed, 0)
    rows = (Student.select(Student.school, taken, fn.COUNT(Student.id))
            .join(missed, JOIN.LEFT_OUTER, on=(missed.c.student_id == Student.id))
            .where(Student.active == True)  # noqa: E712
            .group_by(Student.school, taken))
    if school_ids is not None:
        rows = rows.where(Student.school.in_(list(school_ids)))
    counts = {}
    for school_id, days_missed, students in rows.tuples():
        per_school = counts.setdefault(school_id, dict.fromkeys(band for _, band in reversed(CHRONIC_ABSENCE.bands)))
        band = CHRONIC_ABSENCE.band_for(percent(days_missed, days.get(school_id, 0)))
        per_school[band] = (per_school[band] or 0) + students
    return {school: {band: n or 0 for band, n in bands.items()} for school, bands in counts.items()}


def _least_missed(floor, enrolled):
    """The fewest days missed whose share (cut to one decimal) reaches floor percent."""
    if not enrolled:  # no school day yet: every share is 0%
        return 0 if floor == 0 else 10 ** 9
    return -(-floor * enrolled // 100)


def _band_condition(band, taken, days):
    """SQL: the days missed `taken` fall in band at the school of each student."""
    floors = {b: f for f, b in CHRONIC_ABSENCE.bands}
    ordered = [b for _, b in CHRONIC_ABSENCE.bands]  # highest first
    above = ordered[ordered.index(band) - 1] if ordered.index(band) > 0 else None
    condition = None
    for school_id, enrolled in days.items():
        here = (Student.school == school_id) & (taken >= _least_missed(floors[band], enrolled))
        if above is not None:
            here &= taken < _least_missed(floors[above], enrolled)
        condition = here if condition is None else (condition | here)
    return condition if condition is not None else (Student.id < 0)


def students_in_band(band, on_day=None):
    """A subquery of the ids of active students in band on on_day."""
    missed = missed_days(_marks_through(on_day)).alias("m")
    taken = fn.COALESCE(missed.c.missed, 0)
    return (Student.select(Student.id)
            .join(missed, JOIN.LEFT_OUTER, on=(missed.c.student_id == Student.id))
            .where((Student.active == True) & _band_condition(band, taken, enrolled_days(on_day))))  # noqa: E712


def students(school_id=None, band=None, on_day=None):
    """Active students with their school and days missed (attribute `missed`),
    of one school and one band when given, by name; and {school id: school
    days so far} to give each a share."""
    days = enrolled_days(on_day)
    missed = missed_days(_marks_through(on_day)).alias("m")
    taken = fn.COALESCE(missed.c.missed, 0)
    rows = (Student.select(Student, School, taken.alias("missed")).join(School).switch(Student)
            .join(missed, JOIN.LEFT_OUTER, on=(missed.c.student_id == Student.id))
            .where(Student.active == True))  # noqa: E712
    if school_id is not None:
        rows = rows.where(Student.school == school_id)
    if band is not None:
        rows = rows.where(_band_condition(band, taken, days))
    return rows.order_by(Student.sort_key, Student.id), days
