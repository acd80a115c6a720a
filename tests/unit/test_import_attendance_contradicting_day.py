"""A student's day whose rows contradict each other (two whole-day marks, a
whole-day absence beside a tardy or early departure, one category twice with
other values) is left out whole with "skip bad rows": every row of it is
named, none of its marks is stored (keeping the first would store the file's
order, not the truth), and the marks already stored for that day stay. Shares
of one category add up: two Excused Absence rows of 0.5 are a whole excused
day."""
import datetime

import pytest

from fieldapp.models import AttendanceEvent
from tests.unit.test_import_district_files import edfi_roster, load  # noqa: F401

HEADER = "studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor,eventDuration\n"
DAY = "604823,255901001,2021-11-16,"
OTHER = "604823,255901001,2021-11-17,Unexcused Absence,1\n"
NOV_16, NOV_17 = datetime.date(2021, 11, 16), datetime.date(2021, 11, 17)


def stored():
    return sorted((e.date, e.category, e.minutes) for e in AttendanceEvent.select())


def problems(report):
    return [(line, str(why)) for _, line, why in report.problems]


@pytest.mark.parametrize("first, second", [
    ("Excused Absence,1", "Unexcused Absence,1"),
    ("Excused Absence,", "Unexcused Absence,"),
    ("In Attendance,", "Unexcused Absence,"),
    ("Unexcused Absence,", "Tardy,"),
    ("Tardy,", "Unexcused Absence,"),
    ("Excused Absence,", "Early departure,"),
    ("Early departure,", "Excused Absence,"),
    ("Tardy,", "Excused Tardy,"),
])
def test_a_day_whose_rows_contradict_is_left_out_whole_and_every_row_named(edfi_roster, first, second):
    report = load(HEADER + DAY + first + "\n" + DAY + second + "\n" + OTHER, skip=True)
    assert report.outcome == "applied_with_skips"
    assert stored() == [(NOV_17, "unexcused", 360)]
    found = problems(report)
    assert [line for line, _ in found] == [2, 3]
    assert found[0][1] == ("left out with row 3: this student's rows on 2021-11-16 contradict each other, so none "
                           "of that day's rows is kept; correct the day in the file and import it again")
    assert found[1][1].startswith("conflicts with an earlier row")
    assert report.rows_rejected == 2


def test_later_rows_of_a_day_left_out_are_named_too_and_its_stored_marks_stay(edfi_roster):
    assert load(HEADER + DAY + "Excused Absence,1\n").applied
    report = load(HEADER + DAY + "Excused Absence,1\n" + DAY + "In Attendance,1\n" + OTHER
                  + DAY + "Tardy,\n" + DAY + "Excused Absence,0.5\n", skip=True)
    assert stored() == [(NOV_16, "excused", 360), (NOV_17, "unexcused", 360)]
    found = problems(report)
    assert [line for line, _ in found] == [2, 3, 5, 6]
    assert all(why.startswith("left out with row 3") for line, why in found if line != 3)


def test_one_category_twice_with_other_values_is_a_contradiction(edfi_roster):
    header = HEADER.replace("eventDuration", "eventDuration,minutesAbsent")
    report = load(header + DAY + "Tardy,,10\n" + DAY + "Tardy,,25\n", skip=True)
    assert stored() == []
    assert [line for line, _ in problems(report)] == [2, 3]
    assert problems(report)[1][1] == ("repeats row 2's student, day and category with other values: which of them "
                                      "is right cannot be told (differs in minutesAbsent: '10' vs '25')")


def notes(report):
    return [str(note) for note in report.notes]


def test_a_row_repeated_exactly_is_kept_once_and_said_in_a_note_not_a_bad_row(edfi_roster):
    # Without skipping bad rows: an exact repeat is harmless, so it refuses nothing.
    report = load(HEADER + DAY + "Unexcused Absence,1\n" + DAY + "Unexcused Absence,\n")
    assert report.outcome == "applied", report.problems
    assert stored() == [(NOV_16, "unexcused", 360)]
    assert problems(report) == [] and report.rows_rejected == 0
    assert "attendance.csv: 1 row repeats an earlier row exactly, and is read once: row 3 repeats row 2." in notes(report)


def test_repeats_are_counted_and_the_first_rows_named(edfi_roster):
    rows = "".join(f"604823,255901001,2021-11-{day:02},Tardy,\n" * 2 for day in (8, 9, 10, 11, 12, 15, 16))
    report = load(HEADER + rows)
    assert report.outcome == "applied", report.problems
    assert ("attendance.csv: 7 rows repeat earlier rows exactly; each is read once: row 3 repeats row 2, row 5 "
            "repeats row 4, row 7 repeats row 6, row 9 repeats row 8, row 11 repeats row 10, ….") in notes(report)


def test_a_repeat_names_the_row_it_repeats_however_far_above(edfi_roster):
    report = load(HEADER + DAY + "Tardy,\n" + "604823,255901001,2021-11-17,Tardy,\n" + DAY + "Tardy,\n")
    assert report.outcome == "applied", report.problems
    assert "attendance.csv: 1 row repeats an earlier row exactly, and is read once: row 4 repeats row 2." \
        in notes(report)


@pytest.mark.parametrize("first, later", [
    ("Excused Absence,1", "Unexcused Absence,1"),
    ("In Attendance,", "Unexcused Absence,"),
    ("Tardy,", "Excused Absence,"),
    ("Excused Absence,1", "In Attendance,0.5"),  # a share beside a whole day: more than one day
])
def test_a_repeat_of_a_row_whose_day_a_later_row_contradicts_is_left_out_with_it(edfi_roster, first, later):
    report = load(HEADER + DAY + first + "\n" + DAY + first + "\n" + DAY + later + "\n" + OTHER, skip=True)
    assert stored() == [(NOV_17, "unexcused", 360)]
    found = problems(report)
    assert [line for line, _ in found] == [2, 3, 4]
    # The repeat is not "kept": the day it repeats is left out whole.
    assert found[0][1].startswith("left out with row 4: this student's")
    assert found[1][1] == found[0][1]
    assert not found[2][1].startswith("left out") and "duplicate" not in found[2][1]
    assert not any("repeat" in note for note in notes(report))


def test_two_excused_halves_are_a_whole_excused_day(edfi_roster):
    report = load(HEADER + DAY + "Excused Absence,0.5\n" + DAY + "Excused Absence,0.5\n" + OTHER)
    assert report.outcome == "applied", report.problems
    assert stored() == [(NOV_16, "excused", 360), (NOV_17, "unexcused", 360)]


def test_two_excused_quarters_are_one_excused_part_of_the_day(edfi_roster):
    report = load(HEADER + DAY + "Excused Absence,0.25\n" + DAY + "Excused Absence,0.25\n")
    assert report.outcome == "applied", report.problems
    assert stored() == [(NOV_16, "excused_partial", 180)]


def test_a_whole_day_with_eventduration_1_or_empty_says_the_same_and_is_kept_once(edfi_roster):
    report = load(HEADER + DAY + "Excused Absence,1\n" + DAY + "Excused Absence,\n"
                  + "604823,255901001,2021-11-17,In Attendance,\n604823,255901001,2021-11-17,In Attendance,1\n",
                  skip=True)
    assert stored() == [(NOV_16, "excused", 360)]
    assert problems(report) == []
    assert ("attendance.csv: 2 rows repeat earlier rows exactly; each is read once: row 3 repeats row 2, row 5 "
            "repeats row 4.") in notes(report)


def test_an_empty_category_says_it_is_empty_and_what_to_give(edfi_roster):
    report = load(HEADER + DAY + ",\n", skip=True)
    assert problems(report) == [(2, "attendanceEventCategoryDescriptor is empty: give an Ed-Fi "
                                    "AttendanceEventCategoryDescriptor or one of: In Attendance, Excused Absence, "
                                    "Unexcused Absence, Tardy, Early departure, Partial, Excused Tardy, Excused "
                                    "Early departure, Excused Partial")]
