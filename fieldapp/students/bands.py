"""Chronic-absence bands and legal steps of many students at once, read from
each student's stored standing (fieldapp.rules.stored): the same band,
share and next step the student page and the worklist show, counted by the
database instead of recomputed from attendance.

"Today" is each school's own (fieldapp.timefmt.todays): a school's students
count by their standing on that school's today. Only fresh rows count
(computed for that day under that day's rules, nothing changed since), as on
the worklist. A page first refreshes what is not fresh when that is a
little work (`refresh_if_few`); more than that is handed to a worker at once
(fieldapp.jobs.queue), and the page says how many students its figures leave
out until then.
"""
from flask import current_app
from peewee import Case as SqlCase, fn

from fieldapp import codes
from fieldapp.db import is_postgres
from fieldapp.jobs import queue
from fieldapp.models import Case, School, StandingTally, Student, StudentStanding, open_among_students
from fieldapp.rules import stored
from fieldapp.rules.worklist_pages import TO_TAKE, due_by
from fieldapp.timefmt import on_school_today


def refresh_if_few(settings, school_ids=None, fresh_count=None):
    """Refresh the stored standing of the active students in scope (school
    ids, None for the district) when at most settings.refresh_in_request
    (FIELDAPP_REFRESH_IN_REQUEST) of them lack a fresh row. Returns
    (refreshed, missing): whether it refreshed, and how many still lack a
    fresh row (0 when every student counts). fresh_count: the fresh rows in
    scope, when the caller has already counted them. When more lack one
    than a page may refresh, a worker is asked to refresh them at once
    (fieldapp.jobs.queue.Queue.refresh_standing_soon)."""
    if fresh_count is None:
        fresh_count = fresh_counted(settings, school_ids)
    missing = max(0, stored.active_students(school_ids) - fresh_count)
    if 0 < missing <= settings.refresh_in_request:
        stored.ensure_fresh(settings, None, school_ids=school_ids)
        return True, 0
    if missing:  # too many for a page: a worker starts on them now rather than at the hour
        queue.queue_of(current_app).refresh_standing_soon()
    return False, missing


def fresh(settings, school_ids=None):
    """The stored rows in scope fresh for their school's own today: a query
    of StudentStanding."""
    return stored.fresh_today(settings, school_ids)


def _tallied(settings, school_ids=None):
    """The counts (StandingTally, kept by the database: migration 0260) of
    the stored rows that fresh() gives."""
    return StandingTally.select().where(stored.answering_today(StandingTally, settings, school_ids))


# The bands of a student missing 10% or more of enrolled days: chronically
# absent. A filter "chronic" reads them together.
CHRONIC = ("moderate", "severe")
CHRONIC_CHOICE = "chronic"
BAND_CHOICES = (*codes.BANDS, CHRONIC_CHOICE)  # a students list's band filter: each band, or the chronic ones


def _bands_of(band):
    """The band codes a band filter names: one code, or CHRONIC_CHOICE for CHRONIC."""
    return CHRONIC if band == CHRONIC_CHOICE else (band,)


def fresh_counted(settings, school_ids=None, band=None):
    """How many rows fresh() gives (of one band, or CHRONIC_CHOICE, when given), from the tally."""
    query = _tallied(settings, school_ids)
    if band is not None:
        query = query.where(StandingTally.band.in_(_bands_of(band)))
    return int(query.select(fn.SUM(StandingTally.students)).scalar() or 0)


def _sum_if(condition, weight=1):
    """SQL: the sum of weight over the rows that meet condition (a portable CASE WHEN)."""
    return fn.SUM(SqlCase(None, ((condition, weight),), 0))


def _step_sums(table):
    """SQL sums over stored rows (table StudentStanding) or their tally
    (StandingTally): (students whose legal step is overdue, students whose
    step is still to take and due by due_by of their school's today)."""
    if table is StandingTally:  # the due date as YYYY-MM-DD, '' for none
        weight = StandingTally.students
        due = lambda day: (table.due != "") & (table.due <= due_by(day).isoformat())  # noqa: E731
    else:
        weight = 1
        due = lambda day: table.next_due_on <= due_by(day)  # noqa: E731
    overdue = table.section == "overdue"
    this_week = on_school_today(table.school_id, lambda day: table.section.in_(TO_TAKE) & due(day))
    return _sum_if(overdue, weight), _sum_if(this_week & ~overdue, weight)


def _by_school(settings):
    overdue, this_week = _step_sums(StandingTally)
    query = (_tallied(settings)
             .select(StandingTally.band, StandingTally.school_id, fn.SUM(StandingTally.students),
                     overdue, this_week)
             .group_by(StandingTally.band, StandingTally.school_id))
    figures = {}
    for band, school_id, students, late, soon in query.tuples():
        row = figures.setdefault(school_id, {"bands": {}, "steps_overdue": 0, "steps_this_week": 0})
        row["bands"][band] = int(students)
        row["steps_overdue"] += int(late or 0)
        row["steps_this_week"] += int(soon or 0)
    return figures


def figures_by_school(settings):
    """({school id: {"bands": {band code: students}, "steps_overdue": students
    with a legal step past its deadline, "steps_this_week": students with one
    due from their school's today to six days after it}}, students not
    counted), from the tally of the fresh stored rows (refreshed first when
    few are not: see refresh_if_few), by the school each row was computed at
    (a transfer makes a row stale)."""
    figures = _by_school(settings)
    counted = sum(n for row in figures.values() for n in row["bands"].values())
    refreshed, missing = refresh_if_few(settings, fresh_count=counted)
    return (_by_school(settings) if refreshed else figures), missing


def students_in_band(settings, band):
    """A subquery of the ids of students whose fresh stored band is `band`."""
    return fresh(settings).select(StudentStanding.student).where(StudentStanding.band == band)


def students(settings, school_id=None, band=None):
    """(rows, how many): students with a fresh stored standing, of one school
    and one band (or CHRONIC_CHOICE: the chronic bands together) when given, by name: StudentStanding rows with .student
    (and its .school): days_missed, days_enrolled, percent_missed, band;
    counted from the index of fresh rows alone."""
    scope = [school_id] if school_id is not None else None
    rows = fresh(settings, scope)
    if band is not None:
        rows = rows.where(StudentStanding.band.in_(_bands_of(band)))
    total = fresh_counted(settings, scope, band)
    # in name order by the standing's copy of the student's key (migration
    # 0530): a page is read from the index of a band's fresh rows in that
    # order, not from every student in name order (PostgreSQL) nor from every
    # standing of the band sorted whole (SQLite)
    return (rows.select(StudentStanding, Student, School)
            .join(Student, on=(StudentStanding.student == Student.id)).join(School)
            .order_by(StudentStanding.student_sort_key, StudentStanding.student)), total


def legal_steps_by_officer(settings):
    """{officer id: (overdue, due this week)}: the students of each officer's
    open cases, counted as figures_by_school counts them."""
    overdue, this_week = _step_sums(StudentStanding)
    # SQLite, from the index of the fresh rows with a section to each one's
    # cases: given "status = open" it started from the open cases instead,
    # and read each one's whole stored row (130 ms of the dashboard on the
    # bench district of 100,000 students, against 20 ms this way).
    # PostgreSQL joins the two indexes by hashing, and would misjudge the rows
    # that the test written for SQLite keeps.
    is_open = (Case.status == "open") if is_postgres() else open_among_students()
    query = (fresh(settings).select(Case.officer, overdue, this_week)
             .join(Case, on=((Case.student == StudentStanding.student) & is_open))
             .where(StudentStanding.section.is_null(False) & Case.officer.is_null(False))
             .group_by(Case.officer))
    return {officer_id: (late or 0, soon or 0) for officer_id, late, soon in query.tuples()}
