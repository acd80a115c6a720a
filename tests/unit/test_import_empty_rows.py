"""A row of only commas or spaces -- what a spreadsheet leaves of its empty
rows when saved as CSV, often at the end of a sheet -- is skipped in every
file an import reads (the roster's files, attendance, calendars, contacts)
and said in one note per file naming the rows: it refused the whole file as
a row with no sourcedId, no student id or the date ''."""
import datetime
import io
import os
import shutil

import pytest

from fieldapp.imports.attendance import import_attendance
from fieldapp.imports.calendar import import_calendar
from fieldapp.imports.contacts import import_contacts
from fieldapp.imports.oneroster import import_oneroster
from fieldapp.models import AttendanceEvent, CalendarDay, Student

BULK = os.path.join(os.path.dirname(__file__), "..", "data", "oneroster-bulk")


def _with_empty_rows(text, width):
    """text with a row of separators in the middle, and a few more at its end (rows numbered as a
    spreadsheet shows them)."""
    lines = text.strip("\n").split("\n")
    row = "," * (width - 1)
    return "\n".join(lines[:2] + [row] + lines[2:] + [row, " ,  " + "," * (width - 2), "   "]) + "\n", \
        [3, len(lines) + 2, len(lines) + 3, len(lines) + 4]


def _said(name, rows):
    return (f"{name}: {len(rows)} empty rows (only commas or spaces) are skipped: rows "
            f"{', '.join(map(str, rows))}.")


@pytest.mark.parametrize("name", ["users.csv", "orgs.csv", "demographics.csv", "enrollments.csv"])
def test_empty_rows_of_a_roster_file_are_skipped_and_said(app, tmp_path, name):
    folder = tmp_path / "export"
    shutil.copytree(BULK, folder)
    text = (folder / name).read_text(encoding="utf-8")
    written, rows = _with_empty_rows(text, len(text.split("\n")[0].split(",")))
    (folder / name).write_text(written, encoding="utf-8")
    report = import_oneroster(str(folder), "export")
    assert report.outcome == "applied", report.problems
    assert _said(name, rows) in report.notes
    assert Student.select().count() == 3


@pytest.fixture
def roster(app):
    assert import_oneroster(BULK, "roster").applied


def test_empty_rows_of_an_attendance_file_are_skipped_and_said(roster):
    text = ("sourcedId,schoolId,eventDate,attendanceEventCategoryDescriptor\n"
            "stu-1001,sch-100,2025-09-02,Unexcused Absence\n"
            "stu-1001,sch-100,2025-09-03,Unexcused Absence\n")
    written, rows = _with_empty_rows(text, 4)
    report = import_attendance(io.BytesIO(written.encode()), "attendance.csv", False, datetime.date(2025, 10, 1))
    assert report.outcome == "applied", report.problems
    assert AttendanceEvent.select().count() == 2 and report.rows_read == 2
    assert _said("attendance.csv", rows) in report.notes
    # fewer separators than the header's columns: skipped too, not "2 cells, the header has 4"
    short = text + ",\n"
    report = import_attendance(io.BytesIO(short.encode()), "attendance.csv", False, datetime.date(2025, 10, 1))
    assert report.outcome == "applied", report.problems
    assert "attendance.csv: 1 empty row (only commas or spaces) is skipped: row 4." in report.notes


def test_empty_rows_of_a_calendar_file_are_skipped_and_said(roster):
    text = ("schoolId,date,calendarEvent,name\n"
            "sch-100,2025-11-27,Holiday,Thanksgiving\n"
            "sch-100,2025-11-28,Holiday,\n")
    written, rows = _with_empty_rows(text, 4)
    report = import_calendar(io.BytesIO(written.encode()), "calendar.csv")
    assert report.outcome == "applied", report.problems
    assert CalendarDay.select().count() == 2
    assert _said("calendar.csv", rows) in report.notes


def test_empty_rows_of_a_contacts_file_are_skipped_and_said(roster):
    text = ("sourcedId,address,phone,preferredLanguage\n"
            "stu-1001,12 Elm St,(555) 201-0001,Spanish\n"
            "par-1,,(555) 201-3344,English\n")
    written, rows = _with_empty_rows(text, 4)
    report = import_contacts(io.BytesIO(written.encode()), "contacts.csv")
    assert report.outcome == "applied", report.problems
    assert _said("contacts.csv", rows) in report.notes
