"""Undoing an import never takes away what a later import (not undone) made
or changed: a school's calendar a later calendar import replaced or changed
in part, a day's attendance marks a later import replaced. The later state
stays, the undo names it ("changed since by import N, kept"), the run's
page says so before, and undoing the later import then puts back what it
found."""
import datetime
import io
import os

import pytest

from fieldapp import imports
from fieldapp.imports.oneroster import import_oneroster
from fieldapp.imports.undo import CHANGED_SINCE, preview_changed
from fieldapp.models import AttendanceEvent, CalendarDay, ImportRun, School, SchoolCalendar
from fieldapp.rules.settings import RuleSettings

DATA = os.path.join(os.path.dirname(__file__), "..", "data")
D = datetime.date
YEAR = ("schoolId,date,calendarEvent,name\n"
        "255901001,2021-08-23,First day,\n"
        "255901001,2022-05-27,Last day,\n"
        "255901001,2021-11-25,Holiday,Thanksgiving\n")
WEATHER = "schoolId,date,calendarEvent,name\n255901001,2021-12-03,Weather day,Snow\n"
WHOLE = YEAR.replace("2021-11-25,Holiday,Thanksgiving", "2021-12-24,Holiday,Winter break")


@pytest.fixture
def edfi_roster(app):
    report = import_oneroster(os.path.join(DATA, "edfi-oneroster"), "grand-bend")
    assert report.outcome == "applied", report.message or report.problems


def _calendar(text, name):
    run, report = imports.run("calendar", io.BytesIO(text.encode()), name, RuleSettings())
    assert run.outcome == "applied", report.problems
    return ImportRun.get_by_id(run.id)


def _days_off():
    return sorted((d.date, d.name) for d in CalendarDay.select())


@pytest.mark.parametrize("later, off, left, which", [
    (WEATHER, [(D(2021, 11, 25), "Thanksgiving"), (D(2021, 12, 3), "Snow")], [(D(2021, 12, 3), "Snow")],
     "Dec 3, 2021: "),
    (WHOLE, [(D(2021, 12, 24), "Winter break")], [(D(2021, 12, 24), "Winter break")], "")],
    ids=["changed in part", "replaced"])
def test_undoing_a_calendar_import_keeps_the_days_a_later_one_decided(edfi_roster, later, off, left, which):
    """A later part of the year keeps the dates it lists, named each (the first import's other days
    go); a later whole year keeps the calendar, named once."""
    first = _calendar(YEAR, "year.csv")
    second = _calendar(later, "later.csv")
    assert _days_off() == off
    named = f"the calendar of Grand Bend High School, 2021-22: {which}changed since by import {second.id}, kept"
    said = preview_changed(first)
    counts = imports.undo(first, None)
    assert SchoolCalendar.select().count() == 1 and _days_off() == left  # the later import's days stand
    assert said == [named]
    assert counts[CHANGED_SINCE] == 1 and counts["which"][CHANGED_SINCE] == [named]
    assert ImportRun.get_by_id(first.id).undo_counts["which"][CHANGED_SINCE] == [named]
    # the later one, undone, does not put back the calendar it found: the first import's, undone already
    counts = imports.undo(ImportRun.get_by_id(second.id), None)
    assert counts == {"calendars it imported removed": 1, "which": {"calendars it imported removed": [
        f"the calendar of Grand Bend High School, 2021-22: the calendar it found was made by import {first.id}, "
        "undone since, and is not put back"]}}
    assert SchoolCalendar.select().count() == 0 and _days_off() == []


def test_undoing_both_in_the_order_made_puts_back_the_calendar_before_the_first(edfi_roster):
    before = _calendar(YEAR, "before.csv")
    first = _calendar(WHOLE, "first.csv")
    second = _calendar(WEATHER, "weather.csv")
    imports.undo(first, None)  # the days it decided go back, but the one the second decided since
    assert _days_off() == [(D(2021, 11, 25), "Thanksgiving"), (D(2021, 12, 3), "Snow")]
    counts = imports.undo(ImportRun.get_by_id(second.id), None)
    assert counts["calendars put back"] == 1
    assert _days_off() == [(D(2021, 11, 25), "Thanksgiving")]  # as the import before the first left it
    school = School.get(School.identifier == "255901001")
    assert SchoolCalendar.get(SchoolCalendar.school == school).first_day == D(2021, 8, 23)
    # undoing the second before the first was undone still puts back the first's calendar
    first = _calendar(WHOLE, "first again.csv")
    second = _calendar(WEATHER, "weather again.csv")
    assert imports.undo(second, None) == {"calendars put back": 1}
    assert _days_off() == [(D(2021, 12, 24), "Winter break")]
    assert ImportRun.get_by_id(before.id).undone_at is None


def test_undoing_calendar_imports_newest_first_removes_both(edfi_roster):
    first = _calendar(YEAR, "year.csv")
    second = _calendar(WEATHER, "weather.csv")
    assert imports.undo(second, None) == {"calendars put back": 1}
    assert preview_changed(ImportRun.get_by_id(first.id)) == []
    assert imports.undo(ImportRun.get_by_id(first.id), None) == {"calendars it imported removed": 1}
    assert SchoolCalendar.select().count() == 0


HEADER = "studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor,minutesAbsent\n"


def test_undoing_attendance_names_the_marks_a_later_import_replaced(app):
    imports.run("oneroster", os.path.join(DATA, "oneroster-bulk"), "bulk", RuleSettings())
    first, _ = imports.run("attendance", io.BytesIO((HEADER + "1001,sch-100,2025-09-02,Unexcused Absence,\n"
                                                      "1002,sch-200,2025-09-02,Tardy,20\n").encode()),
                           "first.csv", RuleSettings())
    second, _ = imports.run("attendance", io.BytesIO((HEADER + "1001,sch-100,2025-09-02,Excused Absence,\n")
                                                     .encode()), "second.csv", RuleSettings())
    named = f"María García (stu-1001), 2025-09-02: its marks: changed since by import {second.id}, kept"
    first = ImportRun.get_by_id(first.id)
    said = preview_changed(first)
    counts = imports.undo(first, None)
    assert counts["attendance marks it stored removed"] == 1
    assert counts["which"][CHANGED_SINCE] == [named] and said == [named]
    assert [m.category for m in AttendanceEvent.select()] == ["excused"]


def test_undoing_attendance_imports_in_the_order_made_leaves_the_days_as_before_the_first(app):
    """Undo the first import (a later one decided the day, so its mark is
    kept), then the later one: the day is as it was before the first, not
    back to the first import's mark, which counted as a truancy it had undone.
    A day of which the first import had replaced a mark gets that mark back."""
    imports.run("oneroster", os.path.join(DATA, "oneroster-bulk"), "bulk", RuleSettings())
    imports.run("attendance", io.BytesIO((HEADER + "1002,sch-200,2025-09-03,Tardy,20\n").encode()),
                "before.csv", RuleSettings())
    first, _ = imports.run("attendance", io.BytesIO((HEADER + "1001,sch-100,2025-09-02,Unexcused Absence,\n"
                                                      "1002,sch-200,2025-09-03,Unexcused Absence,\n").encode()),
                           "first.csv", RuleSettings())
    second, _ = imports.run("attendance", io.BytesIO((HEADER + "1001,sch-100,2025-09-02,Excused Absence,\n"
                                                       "1002,sch-200,2025-09-03,Excused Absence,\n").encode()),
                            "second.csv", RuleSettings())
    imports.undo(ImportRun.get_by_id(first.id), None)
    assert sorted(m.category for m in AttendanceEvent.select()) == ["excused", "excused"]
    imports.undo(ImportRun.get_by_id(second.id), None)
    assert [(m.student.sourced_id, m.date, m.category) for m in AttendanceEvent.select()] == \
        [("stu-1002", D(2025, 9, 3), "tardy")]


def test_a_day_a_later_import_marked_present_stays_present_when_earlier_imports_are_undone(app):
    """Tardy before; A unexcused, B excused, C "In Attendance" (which clears
    the day and stores nothing). Undoing B, then A, leaves C's word: present,
    not the tardy from before A. Undoing C then puts the tardy back."""
    imports.run("oneroster", os.path.join(DATA, "oneroster-bulk"), "bulk", RuleSettings())

    def day(category, name):
        run, _ = imports.run("attendance", io.BytesIO((HEADER + f"1001,sch-100,2025-09-02,{category},\n").encode()),
                             name, RuleSettings())
        return run.id

    day("Tardy", "before.csv")
    a, b, c = day("Unexcused Absence", "a.csv"), day("Excused Absence", "b.csv"), day("In Attendance", "c.csv")
    assert AttendanceEvent.select().count() == 0
    for run_id in (b, a):
        imports.undo(ImportRun.get_by_id(run_id), None)
        assert AttendanceEvent.select().count() == 0  # present, as C said
    imports.undo(ImportRun.get_by_id(c), None)
    assert [m.category for m in AttendanceEvent.select()] == ["tardy"]
