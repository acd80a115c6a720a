"""Undoing a calendar import goes back day by day: A imports a school's
year, B two snow days, C changes the first of them to another closure.
Undoing B, the middle one, used to keep all of B's days (the calendar was
changed since by C): the second snow day stayed a day off, and the undo did
not name it. Now that day is a school day again, as A had it, C's day stays
and is named with C; undone in any order, the calendar (and what the
student's page counts) is what the imports still applied made it."""
import io
import itertools
import re

import pytest

from fieldapp import imports
from fieldapp.imports.undo import CHANGED_SINCE, preview_changed
from fieldapp.models import AttendanceEvent, CalendarDay, ImportRun, SchoolCalendar
from fieldapp.rules import stored
from fieldapp.rules.settings import RuleSettings
from fieldapp.rules.standing import standings
from tests import factories
from tests.unit.test_stored_standing import ON_DAY, PAST_DAYS, YEAR

HEADER = "schoolId,date,calendarEvent,name\n"
SNOW, LATER_SNOW = PAST_DAYS[-10], PAST_DAYS[-5]  # two weekdays with school, before today
MISSED = PAST_DAYS[-3:] + [LATER_SNOW]  # the student's unexcused absences


@pytest.fixture
def school_world(app, auth):
    school = factories.gen_school("Lincoln Elementary")
    student = factories.gen_student(school)
    for day in MISSED:
        AttendanceEvent.create(student=student, school=school, date=day, category="unexcused")
    auth.login(factories.gen_user("officer", [school]))
    return school, student


def _files(school):
    code = school.sourced_id
    return {
        "A": HEADER + f"{code},{YEAR.first_day},First day,\n{code},{YEAR.last_day},Last day,\n",
        "B": HEADER + f"{code},{SNOW},Weather day,Snow day\n{code},{LATER_SNOW},Weather day,Snow day\n",
        "C": HEADER + f"{code},{SNOW},Emergency day,Water main break\n",
    }


def _import(name, text):
    run, report = imports.run("calendar", io.BytesIO(text.encode()), f"{name}.csv", RuleSettings())
    assert run.outcome == "applied", report.problems
    return run.id


def _as_made(applied):
    """The days off the imports still applied make, in the order made."""
    days = {}
    if "B" in applied:
        days.update({SNOW: "Snow day", LATER_SNOW: "Snow day"})
    if "C" in applied:
        days[SNOW] = "Water main break"
    return sorted(days.items())


def _stored():
    return sorted((d.date, d.name) for d in CalendarDay.select())


def _page(client, student):
    """(days missed, days enrolled) as the student's page says them."""
    html = client.get(f"/students/{student.id}").get_data(as_text=True)
    found = re.search(r"Days missed</dt><dd>(\d+) <small class=\"nowrap\">of (\d+) ", html)
    assert found, html
    return int(found[1]), int(found[2])


def _lists(student):
    """(days missed, days enrolled) of the stored standing lists read, the same as a recount."""
    rules = RuleSettings(state="CA")
    kept = stored.standings_of(rules, ON_DAY, [student.id])[student.id]
    fresh = standings(rules, ON_DAY, student_ids=[student.id])[student.id]
    assert (kept.days_missed, kept.days_enrolled) == (fresh.days_missed, fresh.days_enrolled)
    return kept.days_missed, kept.days_enrolled


def test_undoing_the_middle_import_puts_back_its_day_no_later_import_changed(school_world, client):
    school, student = school_world
    files = _files(school)
    runs = {"A": _import("A", files["A"])}
    missed, enrolled = _page(client, student)
    listed = _lists(student)
    runs["B"] = _import("B", files["B"])
    assert _page(client, student) == (missed - 1, enrolled - 2)  # the absence on a snow day is not counted
    runs["C"] = _import("C", files["C"])
    line = (f"the calendar of Lincoln Elementary, {YEAR.school_year}: {SNOW:%b %-d, %Y}: "
            f"changed since by import {runs['C']}, kept")
    assert preview_changed(ImportRun.get_by_id(runs["B"])) == [line]
    counts = imports.undo(ImportRun.get_by_id(runs["B"]), None)
    assert _stored() == [(SNOW, "Water main break")]  # C's day stays; B's other day is a school day again
    assert counts["calendars put back"] == 1
    assert counts["which"][CHANGED_SINCE] == [line]
    assert ImportRun.get_by_id(runs["B"]).undo_counts["which"][CHANGED_SINCE] == [line]
    calendar = SchoolCalendar.get(SchoolCalendar.school == school)
    assert (calendar.first_day, calendar.last_day) == (YEAR.first_day, YEAR.last_day)
    assert _page(client, student) == (missed, enrolled - 1)
    assert _lists(student) == (listed[0], listed[1] - 1)


@pytest.mark.parametrize("order", list(itertools.permutations("ABC")), ids="".join)
def test_undone_in_any_order_the_calendar_is_what_the_imports_still_applied_made(school_world, client, order):
    school, student = school_world
    files = _files(school)
    runs = {"A": _import("A", files["A"])}
    missed, enrolled = _page(client, student)
    runs.update({name: _import(name, files[name]) for name in "BC"})
    applied = set("ABC")
    for name in order:
        imports.undo(ImportRun.get_by_id(runs[name]), None)
        applied.discard(name)
        assert _stored() == _as_made(applied), (order, name)
        calendar = SchoolCalendar.get_or_none(SchoolCalendar.school == school)
        if not applied:
            assert calendar is None, (order, name)
        else:
            ends = (YEAR.first_day, YEAR.last_day) if "A" in applied else (None, None)
            assert (calendar.first_day, calendar.last_day) == ends, (order, name)
        off = _as_made(applied)
        assert _page(client, student) == (missed - (LATER_SNOW in dict(off)), enrolled - len(off)), (order, name)
