"""A page of an officer's caseload in one read: its cards, the counts of the
whole caseload (open cases, follow-ups overdue and due today) and each card's
stored standing.

Counted, listed and their standings read one statement at a time, a page
took six round trips to the database besides its session and access log;
on PostgreSQL each is a wait on the server, and the caseload is the page an
officer opens most. On SQLite, where a statement is no round trip, the
page is still read so.
"""
import operator
from collections import namedtuple
from functools import reduce

from peewee import JOIN, Case as SqlCase, Value, fn

from fieldapp.cases.lifecycle import CaseCard, caseload_cards, caseload_counts, new_to_officer_first
from fieldapp.db import Param, Params, PreparedBySize, is_postgres
from fieldapp.models import Case, SchoolCalendar, School, Student, StudentStanding, UserSchool
from fieldapp.paging import clamp
from fieldapp.rules import stored
from fieldapp.rules.calendar import calendar_revision, calendars_fingerprint
from fieldapp.timefmt import school_year_of, schools_by_today, todays

CaseloadPage = namedtuple("CaseloadPage", "cards standing total overdue due_today page past_end")


def caseload_page(officer, settings, number, per_page):
    """Page `number` of the officer's caseload (lifecycle.caseload's order and
    counts, stored.card_standings' standings): one statement, unless the page
    asked for is past the end or some card's standing is not fresh."""
    from fieldapp.policy import school_scope
    scope = school_scope(officer)
    if scope is not None and not scope:
        return CaseloadPage([], {}, 0, 0, 0, 1, number > 1)
    groups = schools_by_today()
    days = [(next(iter(groups)), None)] if len(groups) == 1 else sorted(groups.items())
    years = {school_year_of(day) for day, _ in days}
    rows = []
    # On SQLite a statement is no round trip, and the one statement took twice
    # as long as the ones it replaces; so also a district across the first day
    # of a year, as below.
    if len(years) == 1 and is_postgres():
        values = {"officer": officer.id, "limit": per_page, "offset": (number - 1) * per_page,
                  "year": years.pop()}
        for i, (day, schools) in enumerate(days):
            values[f"day{i}"], values[f"schools{i}"] = day, schools
        shape = (scope is not None, tuple(None if schools is None else len(schools) for _, schools in days))
        rows = _rows(_PAGE.rows(shape, **values))
    if not rows:  # an empty caseload, a page past the end: counted, then the page shown
        total, overdue, due_today = caseload_counts(officer)
        page, past_end = clamp(number, total, per_page)
        cards = caseload_cards(officer, limit=per_page, offset=(page - 1) * per_page)
        return CaseloadPage(cards, stored.card_standings(settings, [c.student_id for c in cards]),
                            total, overdue, due_today, page, past_end)
    total, overdue, due_today = (int(n or 0) for n in rows[0][_COUNTS:_COUNTS + 3])
    cards = [CaseCard(row[:_COUNTS]) for row in rows]
    read = {row[1]: row[_STUDENT:] for row in rows}  # student id -> school, active, stored standing
    fingerprint = calendars_fingerprint(rows[0][_COUNTS + 3:_STUDENT])
    standing = stored.card_standings_read(settings, read, fingerprint, todays({row[_STUDENT] for row in rows}))
    return CaseloadPage(cards, standing, total, overdue, due_today, number, False)


_CARD_COLUMNS = 15  # CaseCard's
_COUNTS = _CARD_COLUMNS  # then the caseload's three counts, the year's calendars (how many, the newest, revision)
_STUDENT = _COUNTS + 6  # then the student's school, active flag and stored standing


# The columns a page reads of each of its cases (CaseCard's and the
# student's), by name; School.name and the stored standing are read for the
# page's cards only, outside the subquery that orders and counts them all.
_CASE_COLUMNS = (Case.id, Case.student, Case.school, Case.stage, Case.stage_without_record, Case.contact_count,
                 Case.next_follow_up, Case.assigned_at, Case.officer, Case.assigned_by, Case.last_contact_at,
                 Student.first_name, Student.last_name, Student.grade)
_STUDENT_COLUMNS = (Student.school.alias("student_school"), Student.active)


def _page(shape):
    """caseload_page's query for shape (whether the officer is scoped to their
    schools; how many schools share each today, None for every school)."""
    scoped, days = shape
    officer = Param("officer")

    def count(test):
        parts = [test(Param(f"day{i}")) if schools is None
                 else Student.school.in_(Params(f"schools{i}", schools)) & test(Param(f"day{i}"))
                 for i, schools in enumerate(days)]
        condition = reduce(operator.or_, parts) if parts else Value(False)
        return fn.COALESCE(fn.SUM(SqlCase(None, ((condition, 1),), 0)).over(), 0)

    order = [new_to_officer_first(officer), Case.next_follow_up.asc(nulls="LAST"), Student.sort_key, Case.id]
    cases = (Case.select(*_CASE_COLUMNS, *_STUDENT_COLUMNS, fn.COUNT(Case.id).over().alias("total"),
                         count(lambda day: Case.next_follow_up < day).alias("overdue"),
                         count(lambda day: Case.next_follow_up == day).alias("due_today"),
                         fn.ROW_NUMBER().over(order_by=order).alias("place"))
             .join(Student).where((Case.officer == officer) & (Case.status == "open")))
    if scoped:
        cases = cases.where(Student.school.in_(UserSchool.select(UserSchool.school).where(UserSchool.user == officer)))
    page = cases.order_by(*order).limit(Param("limit")).offset(Param("offset")).alias("page")
    year = SchoolCalendar.school_year == Param("year")
    return (page.select_from(*(page.c[_name(c)] for c in _CASE_COLUMNS), School.name,
                             page.c.total, page.c.overdue, page.c.due_today,
                             SchoolCalendar.select(fn.COUNT(SchoolCalendar.id)).where(year),
                             SchoolCalendar.select(fn.MAX(SchoolCalendar.id)).where(year), calendar_revision(),
                             page.c.student_school, page.c.active, *stored.CARD_READ)
            .join(School, on=(School.id == page.c.school_id))
            .join(StudentStanding, JOIN.LEFT_OUTER, on=(StudentStanding.student == page.c.student_id))
            .order_by(page.c.place).tuples())


def _name(field):
    return field.column_name


# What turns each column read through the subquery into the Python value its
# field gives (SQLite answers dates and times as text).
_READ = [c.python_value for c in _CASE_COLUMNS] + [None] * 7 + [
    Student.school.python_value, Student.active.python_value, *(c.python_value for c in stored.CARD_READ)]


def _rows(rows):
    return [tuple(read(value) if read and value is not None else value for read, value in zip(_READ, row))
            for row in rows]


_PAGE = PreparedBySize(_page)
