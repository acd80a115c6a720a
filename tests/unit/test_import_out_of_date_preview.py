"""Applying a preview after another import changed the same records since
is refused, naming that import: the older file overwrote the later one's
values without a word. A later import of other records leaves it be."""
import datetime
import io
import os

import pytest

from fieldapp import imports
from fieldapp.imports.oneroster import import_oneroster
from fieldapp.models import AttendanceEvent, CalendarDay, Student
from fieldapp.rules.settings import RuleSettings

BULK = os.path.join(os.path.dirname(__file__), "..", "data", "oneroster-bulk")
TODAY = datetime.date(2025, 10, 1)


@pytest.fixture
def roster(app):
    assert import_oneroster(BULK, "roster").applied


def _preview(kind, text, name):
    return imports.preview(kind, io.BytesIO(text.encode()), name, RuleSettings(), today=TODAY)


def _run(kind, text, name):
    run, report = imports.run(kind, io.BytesIO(text.encode()), name, RuleSettings(), today=TODAY)
    assert report.applied, report.problems
    return run


def _said(count, run, name):
    thing = "record this import would change; applying it would overwrite that change" if count == 1 else \
        "records this import would change; applying it would overwrite those changes"
    return (f"Since this preview, import #{run.id} ({name}) changed {count} {thing}. Nothing was changed: import "
            "the file again to preview it as the records are now.")


def test_a_contacts_preview_older_than_an_import_of_the_same_student_is_refused(roster):
    older = _preview("contacts", "sourcedId,phone\nstu-1001,(555) 201-0001\n", "old.csv")
    later = _run("contacts", "sourcedId,phone\nstu-1001,(555) 201-0002\n", "new.csv")
    run, report = imports.apply(older)
    assert run.outcome == "refused" and not report.applied
    assert str(report.message) == _said(1, later, "new.csv")
    assert Student.get(Student.sourced_id == "stu-1001").phone == "(555) 201-0002"


def test_a_later_import_of_other_records_leaves_the_preview_to_apply(roster):
    older = _preview("contacts", "sourcedId,phone\nstu-1001,(555) 201-0001\n", "old.csv")
    _run("contacts", "sourcedId,phone\nstu-1002,(555) 201-0002\n", "other.csv")
    run, report = imports.apply(older)
    assert report.applied, report.message
    assert Student.get(Student.sourced_id == "stu-1001").phone == "(555) 201-0001"


def test_an_attendance_preview_whose_marks_a_later_import_replaced_is_refused(roster):
    header = "sourcedId,schoolId,eventDate,attendanceEventCategoryDescriptor\n"
    _run("attendance", header + "stu-1001,sch-100,2025-09-02,Unexcused Absence\n", "first.csv")
    older = _preview("attendance", header + "stu-1001,sch-100,2025-09-02,Excused Absence\n", "old.csv")
    later = _run("attendance", header + "stu-1001,sch-100,2025-09-02,Tardy\n", "new.csv")
    run, report = imports.apply(older)
    assert str(report.message) == _said(1, later, "new.csv")
    assert [e.category for e in AttendanceEvent.select()] == ["tardy"]


def test_a_calendar_preview_older_than_a_later_calendar_of_the_school_is_refused(roster):
    header = "schoolId,date,calendarEvent,name\n"
    older = _preview("calendar", header + "sch-100,2025-11-27,Holiday,Thanksgiving\n", "old.csv")
    later = _run("calendar", header + "sch-100,2025-11-28,Holiday,Day after\n", "new.csv")
    run, report = imports.apply(older)
    assert str(report.message) == _said(1, later, "new.csv")
    assert [d.name for d in CalendarDay.select()] == ["Day after"]
