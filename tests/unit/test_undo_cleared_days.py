"""Undoing attendance imports in any order leaves each day as the imports
still applied left it: a day an "In Attendance" import cleared, then a later
import marked, gets the first import's mark back once both are undone (the
clearing import stored nothing, so the day's walk back must know it decided
the day). What the student page counts (its tardies) is checked after each
undo, against the same imports applied without the undone ones."""
import datetime
import io
import itertools
import os

import pytest

from fieldapp import imports
from fieldapp.imports.undo import undo
from fieldapp.models import AttendanceEvent, ImportRun, Student
from fieldapp.rules.settings import RuleSettings
from fieldapp.rules.yearview import student_year
from fieldapp.students import attendance
from tests.conftest import _empty_all_tables

D = datetime.date
BULK = os.path.join(os.path.dirname(__file__), "..", "data", "oneroster-bulk")
TODAY = D(2026, 2, 2)
H = "studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor,minutesAbsent\n"
FILES = {"A": H + "1001,sch-100,2025-11-04,Tardy,10\n",  # a 10-minute tardy
         "C": H + "1001,sch-100,2025-11-04,In Attendance,\n",  # the day present: A's tardy cleared
         "D": H + "1001,sch-100,2025-11-04,Tardy,25\n"}  # a 25-minute tardy on a day without marks
ORDERS = [order for size in (1, 2, 3) for order in itertools.permutations("ACD", size)]


def _import(name):
    run, report = imports.run("attendance", io.BytesIO(FILES[name].encode()), f"{name}.csv", RuleSettings(),
                              today=TODAY)
    assert run.outcome == "applied", report.problems
    return run.id


def _page():
    """What the student's page counts, and the minutes of the day's tardy."""
    student = Student.get(Student.sourced_id == "stu-1001")
    summary = attendance.summary_of(student_year(RuleSettings(), student, TODAY)["standing"])
    return summary["tardy"] if isinstance(summary, dict) else summary.tardy, sorted(
        mark.minutes for mark in AttendanceEvent.select().where(AttendanceEvent.date == D(2025, 11, 4)))


def _as_if(applied):
    """The page had only the imports applied been imported."""
    _empty_all_tables()
    imports.run("oneroster", BULK, "b", RuleSettings(), today=D(2025, 8, 18))
    for name in applied:
        _import(name)
    return _page()


@pytest.mark.parametrize("order", ORDERS, ids=["-".join(order) for order in ORDERS])
def test_undoing_imports_in_any_order_leaves_the_day_as_those_still_applied_say(app, order):
    imports.run("oneroster", BULK, "b", RuleSettings(), today=D(2025, 8, 18))
    runs = {name: _import(name) for name in "ACD"}
    seen = []
    for name in order:
        undo(ImportRun.get_by_id(runs[name]), None)
        seen.append(_page())
    expected = [_as_if([n for n in "ACD" if n not in order[:i + 1]]) for i in range(len(order))]
    assert seen == expected, order


def test_undoing_the_clearing_import_then_the_later_one_gives_the_first_tardy_back(app):
    """The case as a clerk meets it: A's 10-minute tardy, cleared by C, a 25-minute one from D."""
    imports.run("oneroster", BULK, "b", RuleSettings(), today=D(2025, 8, 18))
    runs = {name: _import(name) for name in "ACD"}
    assert _page() == (1, [25])
    undo(ImportRun.get_by_id(runs["C"]), None)
    assert _page() == (1, [25])  # D's word on the day stands
    undo(ImportRun.get_by_id(runs["D"]), None)
    assert _page() == (1, [10])  # A's tardy, the only import left


def test_a_later_in_attendance_day_without_marks_stands_when_an_earlier_import_is_undone(app):
    """C clears A's tardy; E says In Attendance again on the day now without marks: undoing C keeps
    the day present, as E (still applied) said, rather than putting A's tardy back."""
    imports.run("oneroster", BULK, "b", RuleSettings(), today=D(2025, 8, 18))
    FILES["E"] = FILES["C"]
    runs = {name: _import(name) for name in "ACE"}
    undo(ImportRun.get_by_id(runs["C"]), None)
    assert _page() == (0, [])
