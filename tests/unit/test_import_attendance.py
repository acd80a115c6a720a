"""Attendance files modelled on Ed-Fi StudentSchoolAttendanceEvent."""
import datetime
import io
import os

import pytest

from fieldapp.cases.history_text import note_text
from fieldapp.imports import run
from fieldapp.imports.attendance import import_attendance
from fieldapp.imports.attendance_lookups import category_code
from fieldapp.imports.oneroster import import_oneroster
from fieldapp.models import AttendanceEvent, Case, CaseEvent, ImportRun, Student
from fieldapp.rules.settings import RuleSettings
from tests import factories

DATA = os.path.join(os.path.dirname(__file__), "..", "data")
TODAY = datetime.date(2025, 10, 1)
HEADER = "studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor,minutesAbsent\n"


@pytest.fixture
def roster(app):
    assert import_oneroster(os.path.join(DATA, "oneroster-bulk"), "roster").applied
    return {s.local_id: s for s in Student.select()}


def load(text, skip=False, name="attendance.csv", encoding="utf-8", date_order=""):
    data = text.encode(encoding) if isinstance(text, str) else text
    return import_attendance(io.BytesIO(data), name, skip, TODAY, date_order=date_order)


def marks():
    return sorted((e.student.local_id, e.date.isoformat(), e.category, e.minutes, e.reason)
                  for e in AttendanceEvent.select())


def test_a_real_shaped_file_stores_absences_tardies_and_part_days(roster):
    with open(os.path.join(DATA, "attendance.csv"), "rb") as stream:
        report = import_attendance(stream, "attendance.csv", False, TODAY)
    assert report.outcome == "applied", report.problems
    assert marks() == [
        ("1001", "2025-09-02", "unexcused", 360, "Overslept"),
        ("1001", "2025-09-04", "tardy", 45, "Bus late"),
        ("1001", "2025-09-05", "excused", 360, "Illness"),
        ("1002", "2025-09-02", "unexcused", 360, ""),
        ("1002", "2025-09-03", "early_departure", 90, "Appointment"),  # 0.25 of a 360-minute day
        ("1003", "2025-09-02", "partial", 90, ""),
    ]
    assert report.rows_read == 8 and report.counts["students"] == 3


def test_reimporting_a_day_replaces_its_marks_and_never_doubles_them(roster):
    first = HEADER + "1001,sch-100,2025-09-02,Unexcused Absence,\n1002,sch-200,2025-09-02,Tardy,40\n"
    load(first)
    load(first)
    assert len(marks()) == 2
    # The office corrected 1001 to present; 1002 is not in this file and keeps its mark.
    load(HEADER + "1001,sch-100,2025-09-02,In Attendance,\n")
    assert marks() == [("1002", "2025-09-02", "tardy", 40, "")]


def test_the_oneroster_sourced_id_and_descriptor_uris_are_understood(roster):
    text = ("sourcedId,schoolId,eventDate,attendanceEventCategoryDescriptor\n"
            "stu-1003,sch-100,9/8/2025,http://ed-fi.org/Descriptor/AttendanceEventCategoryDescriptor.xml/Excused Absence\n")
    assert load(text, date_order="month-first").applied
    assert marks() == [("1003", "2025-09-08", "excused", 360, "")]
    assert category_code("uri://ed-fi.org/AttendanceEventCategoryDescriptor#Early departure") == "early_departure"
    assert category_code("Sick") is None


@pytest.mark.parametrize("header, message", [
    ("studentUniqueId,schoolId,eventDate\n", "missing column(s): attendanceEventCategoryDescriptor"),
    ("studentUniqueId,schoolId,evntDate,attendanceEventCategoryDescriptor\n",
     "'evntDate' (did you mean 'eventDate'?)"),
    ("schoolId,eventDate,attendanceEventCategoryDescriptor\n",
     "missing column(s): studentUniqueId, sourcedId or studentSourcedId"),
])
def test_missing_or_misspelled_columns_are_refused_by_name(roster, header, message):
    report = load(header + "1001,sch-100,2025-09-02,Tardy\n")
    assert report.outcome == "refused" and message in report.message


def test_a_byte_order_mark_is_fine_and_utf16_is_refused_clearly(roster):
    text = HEADER + "1001,sch-100,2025-09-02,Tardy,35\n"
    assert load(b"\xef\xbb\xbf" + text.encode()).applied
    report = load(text, encoding="utf-16")
    assert report.outcome == "refused" and "UTF-16" in report.message and "CSV UTF-8" in report.message


def test_every_row_problem_has_its_line_and_a_bad_file_changes_nothing(roster):
    load(HEADER + "1001,sch-100,2025-09-02,Unexcused Absence,\n")
    report = load(HEADER +
                  "1001,sch-100,2025-09-02,In Attendance,\n"  # 2: fine, but the file is refused
                  "9999,sch-100,2025-09-02,Tardy,10\n"  # 3
                  "1002,sch-200,2025-02-30,Tardy,10\n"  # 4
                  "1002,sch-200,2025-09-03,Sick,\n"  # 5
                  "1002,sch-200,2025-09-03,Tardy,20\n"  # 6
                  "1002,sch-200,2025-09-03,Tardy,25\n"  # 7: contradicts 6
                  "1003,sch-100,2025-09-03,Excused Absence,\n"  # 8
                  "1003,sch-100,2025-09-03,Unexcused Absence,\n"  # 9: conflicts with 8
                  "1003,sch-999,2025-09-04,Tardy,5\n"  # 10
                  "1003,sch-100,2025-10-02,Tardy,5\n"  # 11: after today
                  "1003,sch-100,2025-09-05,Tardy,lots\n"  # 12
                  "1003,sch-100\n")  # 13
    assert report.outcome == "refused"
    lines = {line: reason for _, line, reason in report.problems}
    assert sorted(lines) == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]
    assert "unknown student '9999'" in lines[3]
    assert "eventDate '2025-02-30' is not a day of the calendar" in lines[4]
    assert "unknown category 'Sick'" in lines[5]
    assert lines[6].startswith("left out with row 7: this student's rows on 2025-09-03 contradict each other")
    assert str(lines[7]) == ("repeats row 6's student, day and category with other values: which of them is right "
                             "cannot be told (differs in minutesAbsent: '20' vs '25')")
    assert lines[8].startswith("left out with row 9")
    assert "conflicts" in lines[9]
    assert "unknown school 'sch-999'" in lines[10]
    assert "after today" in lines[11]
    assert "minutesAbsent 'lots'" in lines[12]
    assert "has 2 cells" in lines[13]
    assert marks() == [("1001", "2025-09-02", "unexcused", 360, "")]  # nothing lost


def test_skip_bad_rows_applies_the_good_rows_and_says_which_were_left_out(roster):
    report = load(HEADER + "1001,sch-100,2025-09-02,Unexcused Absence,\n9999,sch-100,2025-09-02,Tardy,10\n",
                  skip=True)
    assert report.outcome == "applied_with_skips" and report.rows_rejected == 1
    assert marks() == [("1001", "2025-09-02", "unexcused", 360, "")]


def test_the_import_history_keeps_who_when_what_and_the_problems(roster):
    admin = factories.gen_user("admin")
    bad = io.BytesIO((HEADER + "9999,sch-100,2025-09-02,Tardy,10\n").encode())
    run_, _ = run("attendance", bad, "monday.csv", RuleSettings(), user=admin, via="upload", today=TODAY)
    stored = ImportRun.get_by_id(run_.id)
    assert (stored.kind, stored.filename, stored.user_id, stored.source) == ("attendance", "monday.csv",
                                                                             admin.id, "upload")
    assert stored.outcome == "refused" and stored.problems == [["monday.csv", 2, "unknown student '9999'"]]


def test_crossing_the_first_threshold_opens_a_case_for_the_schools_officer(roster):
    maria = roster["1001"]
    officer = factories.gen_user("officer", [maria.school])
    rows = "".join(f"1001,sch-100,2025-09-{d:02d},Unexcused Absence,\n" for d in (2, 9, 16))
    rows += "1002,sch-200,2025-09-02,Unexcused Absence,\n"
    settings = RuleSettings(state="CA", auto_open=True)
    _, report = run("attendance", io.BytesIO((HEADER + rows).encode()), "sept.csv", settings, today=TODAY)
    assert report.counts["cases opened"] == 1
    case = Case.get(Case.student == maria)
    assert case.officer_id == officer.id and case.is_open
    note = note_text(CaseEvent.get(CaseEvent.case == case))
    assert "First truancy notification" in note and "CA-2025-07-01" in note
    _, again = run("attendance", io.BytesIO((HEADER + rows).encode()), "sept.csv", settings, today=TODAY)
    assert "cases opened" not in again.counts and Case.select().count() == 1


def test_a_reason_longer_than_a_mark_keeps_is_a_row_problem_not_cut_short(roster):
    long = "Family travel abroad; " * 12  # 264 characters
    fits = ("Medical appointment with a specialist at the county hospital; " * 4).strip()  # 251: kept whole
    report = load(HEADER.rstrip("\n") + ",attendanceEventReason\n"
                  f"1001,sch-100,2025-09-02,Unexcused Absence,,{long}\n"
                  f"1002,sch-200,2025-09-02,Unexcused Absence,,{fits}\n", skip=True)
    assert [(line, reason) for _, line, reason in report.problems] == \
        [(2, "attendanceEventReason: longer than 255 characters")]
    assert marks() == [("1002", "2025-09-02", "unexcused", 360, fits)]
