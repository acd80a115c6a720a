"""A quote left open in a CSV value swallows the lines after it into that
value. Every file the imports read refuses it, naming the line where the
quote opened, and nothing of the file is imported; only a column that may
hold a line break (a contacts file's address) keeps one."""
import os

import pytest

from fieldapp.models import AttendanceEvent, CalendarDay, ImportRun, Student
from tests.unit.test_import_hostile_files import (BULK, HEADER, preview, refused,  # noqa: F401
                                                 roster, roster_zip)

REASON_HEADER = HEADER.replace("\n", ",attendanceEventReason\n")
NEVER_CLOSED = (REASON_HEADER
                + '1001,sch-100,2025-09-02,Unexcused Absence,"Never closed\n'
                + "1002,sch-200,2025-09-03,Unexcused Absence,Overslept\n")
CLOSED_LATER = (REASON_HEADER
                + '1001,sch-100,2025-09-02,Unexcused Absence,"Bus\n'
                + "1002,sch-200,2025-09-03,Unexcused Absence,Overslept\n"
                + '1001,sch-100,2025-09-04,Unexcused Absence,"Sick"\n')


def test_an_attendance_reason_whose_quote_never_closes_refuses_the_file(roster):
    run = refused("attendance", NEVER_CLOSED.encode(), "monday.csv")
    assert run.refusal == (
        "monday.csv: a quote opened on line 2 (column E ('attendanceEventReason')) never closes, "
        "so every line after it would be read into that one value. Close the quote, or remove "
        "it, and import again. Nothing was changed.")
    assert AttendanceEvent.select().count() == 0


def test_an_attendance_reason_running_into_the_next_line_refuses_the_file(roster):
    run = refused("attendance", CLOSED_LATER.encode(), "monday.csv")
    assert run.refusal.startswith(
        "monday.csv: line 2's value in column E ('attendanceEventReason') runs into line 3: "
        "a quote opened on line 2 closes only on line 4")
    assert AttendanceEvent.select().count() == 0


def test_lines_before_the_open_quote_are_counted_as_lines(roster):
    text = (REASON_HEADER + "1001,sch-100,2025-09-02,Unexcused Absence,Overslept\n\n"
            + '1002,sch-200,2025-09-03,"Unexcused Absence,x\n1001,sch-100,2025-09-04,Tardy,\n')
    run = refused("attendance", text.encode(), "monday.csv")
    assert "a quote opened on line 4 (column D ('attendanceEventCategoryDescriptor'))" in run.message


def test_a_calendar_event_name_left_open_refuses_the_file(app):
    text = ('schoolId,date,calendarEvent,name\n,2025-08-18,First day,"First day of school\n'
            ",2026-06-11,Last day,Last day of school\n")
    run = refused("calendar", text.encode(), "calendar.csv")
    assert "a quote opened on line 2 (column D ('name')) never closes" in run.message
    assert CalendarDay.select().count() == 0


def test_a_contacts_phone_left_open_refuses_but_an_address_on_two_lines_is_read(roster):
    text = ('sourcedId,address,phone\nstu-1001,"12 Elm St\nApt 4",(555) 201-3344\n'
            'stu-1002,,"(555) 201-0000\nstu-1003,,(555) 201-1111\n')
    run = refused("contacts", text.encode(), "contacts.csv")
    assert "a quote opened on line 4 (column C ('phone')) never closes" in run.message
    good = 'sourcedId,address,phone\nstu-1001,"12 Elm St\nApt 4",(555) 201-3344\n'
    pending = preview("contacts", good.encode(), "contacts.csv")
    kept = ImportRun.get_by_id(pending.run.id)
    assert kept.outcome == "previewed" and kept.rows_read == 1, (kept.outcome, kept.message)


def _bulk(name):
    with open(os.path.join(BULK, name), encoding="utf-8") as f:
        return f.read()


@pytest.mark.parametrize("member, cell, said", [
    ("orgs.csv", ",Lincoln Elementary,", "a quote opened on line 3 (column D ('name')) never closes"),
    ("users.csv", ",Thanh,", "line 4's value in column I ('givenName') runs into line 5"),
    ("enrollments.csv", ",cls-7m,",
     "a quote opened on line 3 (column D ('classSourcedId')) never closes"),
    ("demographics.csv", ",2012-11-20,",
     "a quote opened on line 3 (column D ('birthDate')) never closes"),
    ("manifest.csv", ",bulk", "never closes"),
])
def test_every_roster_file_refuses_a_quote_left_open(app, member, cell, said):
    text = _bulk(member)
    assert cell in text
    broken = text.replace(cell, cell[:1] + '"' + cell[1:], 1)
    run = refused("oneroster", roster_zip(change={member: broken.encode()}), "roster.zip")
    assert run.refusal.startswith(f"{member}: ") and said in run.refusal, run.refusal
    assert run.refusal.endswith("Nothing was changed.")
    assert Student.select().count() == 0


def test_a_quote_left_open_in_the_header_refuses_the_file(app):
    text = 'schoolId,date,"calendarEvent,name\n,2025-08-18,First day,First day of school\n'
    run = refused("calendar", text.encode(), "calendar.csv")
    assert "a quote opened on line 1 (column C ('calendarEvent,name')) never closes" in run.message
    assert "First day" not in run.message
    assert "never closes" in run.message and CalendarDay.select().count() == 0
