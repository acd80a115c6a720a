"""Numbers of an attendance file written as a spreadsheet or an Ed-Fi decimal writes them: 20.0 minutes,
1.0000 of a day. The same number is read the same however it is written; a real fraction of a minute is
its row's problem, with the whole numbers to write."""
import pytest

from tests.unit.test_import_attendance import load, marks, roster  # noqa: F401 (fixture)

TARDY = "studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor,{column}\n"


@pytest.mark.parametrize("column", ["minutesAbsent", "schoolAttendanceDuration"])
def test_minutes_with_a_zero_fraction_are_whole_minutes(roster, column):
    report = load(TARDY.format(column=column) + "1001,sch-100,2025-09-02,Tardy,20.0\n"
                  "1002,sch-200,2025-09-02,Early departure,45.00\n")
    assert report.outcome == "applied", report.problems
    assert marks() == [("1001", "2025-09-02", "tardy", 20, ""), ("1002", "2025-09-02", "early_departure", 45, "")]


@pytest.mark.parametrize("column", ["minutesAbsent", "schoolAttendanceDuration"])
def test_a_fraction_of_a_minute_is_its_rows_problem_saying_what_to_write(roster, column):
    report = load(TARDY.format(column=column) + "1001,sch-100,2025-09-02,Tardy,20.5\n"
                  "1002,sch-200,2025-09-02,Tardy,40\n", skip=True)
    assert report.problems == [["attendance.csv", 2, f"{column} '20.5' is not a whole number of minutes: "
                                                     "write 20 or 21"]]
    assert marks() == [("1002", "2025-09-02", "tardy", 40, "")]


def test_a_whole_day_written_with_more_zeros_is_a_whole_day_absence(roster):
    report = load(TARDY.format(column="eventDuration") + "1001,sch-100,2025-09-02,Unexcused Absence,1.0000\n"
                  "1002,sch-200,2025-09-02,Excused Absence,01\n")
    assert report.outcome == "applied", report.problems
    assert marks() == [("1001", "2025-09-02", "unexcused", 360, ""), ("1002", "2025-09-02", "excused", 360, "")]
