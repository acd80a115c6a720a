"""A row saying something else of what an earlier row of the file said names
that row and the columns that differ, as a roster's repeated sourcedId does:
an attendance row repeating a student's day and category with another reason
or other minutes, a contacts row repeating a sourcedId with another phone."""
import datetime
import io
import os

import pytest

from fieldapp import imports
from fieldapp.rules.settings import RuleSettings

BULK = os.path.join(os.path.dirname(__file__), "..", "data", "oneroster-bulk")
ATTENDANCE = ("studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor,minutesAbsent,"
              "attendanceEventReason\n")
CONTACTS = "sourcedId,address,phone,altPhone,email,preferredLanguage\n"


@pytest.fixture
def roster(app):
    imports.run("oneroster", BULK, "b", RuleSettings(), today=datetime.date(2025, 8, 18))


def _problems(kind, text):
    run, report = imports.run(kind, io.BytesIO(text.encode()), f"{kind}.csv", RuleSettings(),
                              today=datetime.date(2026, 2, 2))
    assert run.outcome == "refused"
    return {line: str(why) for _, line, why in report.problems}


def test_an_attendance_row_repeating_a_day_and_category_names_the_row_and_the_columns(roster):
    found = _problems("attendance", ATTENDANCE + "1001,sch-100,2025-11-04,Tardy,10,Bus late\n"
                      "1002,sch-200,2025-11-04,Tardy,10,\n"
                      "1001,sch-100,2025-11-04,Tardy,25,Doctor\n"
                      "1002,sch-200,2025-11-05,Unexcused Absence,,\n"
                      "1002,sch-200,2025-11-05,Unexcused Absence,,Sick\n")
    assert found[4] == ("repeats row 2's student, day and category with other values: which of them is right cannot "
                        "be told (differs in minutesAbsent: '10' vs '25', attendanceEventReason: 'Bus late' vs "
                        "'Doctor')")
    assert found[6] == ("repeats row 5's student, day and category with other values: which of them is right cannot "
                        "be told (differs in attendanceEventReason: '' vs 'Sick')")


def test_a_contacts_row_repeating_a_sourced_id_names_the_column_that_differs(roster):
    found = _problems("contacts", CONTACTS + "stu-1001,,(555) 201-0000,,,\nstu-1001,,(555) 201-0001,,,\n")
    assert found == {3: "sourcedId 'stu-1001' is also on row 2, with other values: keep one of the two rows "
                        "(differs in phone: '(555) 201-0000' vs '(555) 201-0001')"}


def test_a_contacts_address_over_two_lines_is_read_again_as_one_cell(roster):
    found = _problems("contacts", CONTACTS + 'stu-1001,"12 Elm St\nApt 4",(555) 201-0000,,,\n'
                      'stu-1001,"12 Elm St\nApt 5",(555) 201-0000,,,\n')
    assert list(found.values()) == ["sourcedId 'stu-1001' is also on row 2, with other values: keep one of the two "
                                    "rows (differs in address: '12 Elm St\nApt 4' vs '12 Elm St\nApt 5')"]
