"""An attendance preview counts what applying will store, never a refused
row: its school days, and the rows a shared studentUniqueId was matched on
(the refused ones said apart). A student's day whose shares add up to more
than one day is left out whole with "skip bad rows", each of its rows named:
keeping the first of them would store an absence that may be the wrong one."""
import datetime

from fieldapp.models import AttendanceEvent
from tests.unit.test_import_district_files import HEADER, edfi_roster, load  # noqa: F401


def test_school_days_count_only_the_days_applying_stores(edfi_roster):
    report = load(HEADER + "604823,255901001,2021-11-09,Unexcused Absence,1,\n"
                           "604823,255901001,2021-11-10,Tardy,,many\n", skip=True)
    assert report.outcome == "applied_with_skips" and report.rows_rejected == 1
    assert report.counts["school days"] == 1 and report.counts["students"] == 1


def test_a_shared_ids_note_counts_the_rows_stored_and_says_the_refused_apart(edfi_roster):
    report = load(HEADER + "604822,255901001,2021-09-07,Unexcused Absence,1,\n"
                           "604822,255901001,2021-09-07,Unexcused Absence,1,\n"
                           "604822,255901001,2021-09-08,Sick,1,\n", skip=True)
    notes = " ".join(report.notes)
    # An exact repeat is read once, never refused: its row was matched as the row it repeats.
    assert "matched by each row's schoolId: 604822 (2 rows)" in notes, notes
    assert ("1 row naming a studentUniqueId held by more than one student was matched by its schoolId, but "
            "is refused for another reason (see the row problems).") in notes


def test_an_over_full_split_day_is_left_out_whole_and_each_row_named(edfi_roster):
    rows = ("604823,255901001,2021-11-09,Excused Absence,0.5,\n"
            "604823,255901001,2021-11-09,Unexcused Absence,0.75,\n"
            "604823,255901001,2021-11-10,Unexcused Absence,1,\n"
            "604823,255901001,2021-11-09,Tardy,,20\n")
    report = load(HEADER + rows, skip=True)
    assert report.outcome == "applied_with_skips"
    assert [(e.date, e.category) for e in AttendanceEvent.select()] == [
        (datetime.date(2021, 11, 10), "unexcused")]
    problems = [(line, str(why)) for _, line, why in report.problems]
    assert [line for line, _ in problems] == [2, 3, 5]
    assert problems[0][1].startswith("left out with row 3: this student's events on 2021-11-09 add up to more "
                                     "than one day, so none of that day's rows is kept")
    assert "add up to 1.25 days" in problems[1][1]
    assert problems[2][1].startswith("left out with row 3")
    assert report.counts["school days"] == 1
    assert not any("absent share" in note for note in report.notes)
