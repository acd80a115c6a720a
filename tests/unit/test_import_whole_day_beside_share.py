"""A whole-day mark beside a share of the same day (eventDuration below 1)
makes more than one day: with "skip bad rows" the student's day is left out
whole, each of its rows named, in whichever order the rows come. A whole-day
absence misses the school day's minutes whether eventDuration says 1 or is
left empty."""
import datetime

from fieldapp.models import AttendanceEvent
from tests.unit.test_import_district_files import HEADER, edfi_roster, load  # noqa: F401

WHOLE = "604823,255901001,2021-11-16,Unexcused Absence,,\n"
HALF = "604823,255901001,2021-11-16,Excused Absence,0.5,\n"
OTHER = "604823,255901001,2021-11-17,Unexcused Absence,1,\n"


def stored():
    return sorted((e.date, e.category, e.minutes) for e in AttendanceEvent.select())


def problems(report):
    return [(line, str(why)) for _, line, why in report.problems]


def test_a_whole_day_then_a_half_day_share_leaves_the_day_out_and_names_both_rows(edfi_roster):
    report = load(HEADER + WHOLE + HALF + OTHER, skip=True)
    assert report.outcome == "applied_with_skips"
    assert stored() == [(datetime.date(2021, 11, 17), "unexcused", 360)]
    found = problems(report)
    assert [line for line, _ in found] == [2, 3]
    assert found[0][1].startswith("left out with row 3: this student's events on 2021-11-16 add up to more "
                                  "than one day")
    assert found[1][1] == ("this student's events on 2021-11-16 add up to 1.5 days (a whole-day mark is one day, "
                           "a share its eventDuration); a day's events add up to 1 at most")


def test_a_half_day_share_then_a_whole_day_leaves_the_day_out_and_names_both_rows(edfi_roster):
    report = load(HEADER + HALF + WHOLE + OTHER + HALF.replace("Excused", "Unexcused"), skip=True)
    assert report.outcome == "applied_with_skips"
    assert stored() == [(datetime.date(2021, 11, 17), "unexcused", 360)]
    found = problems(report)
    assert [line for line, _ in found] == [2, 3, 5]
    assert found[0][1].startswith("left out with row 3")
    assert "add up to 1.5 days" in found[1][1]
    assert found[2][1].startswith("left out with row 3")


def test_a_whole_day_in_attendance_beside_an_absent_share_is_left_out_too(edfi_roster):
    present = "604823,255901001,2021-11-16,In Attendance,,\n"
    report = load(HEADER + present + HALF, skip=True)
    assert stored() == []
    assert [line for line, _ in problems(report)] == [2, 3]


def test_a_whole_day_absence_has_the_days_minutes_with_or_without_eventduration(edfi_roster):
    report = load(HEADER + WHOLE + OTHER)
    assert report.outcome == "applied", report.problems
    assert stored() == [(datetime.date(2021, 11, 16), "unexcused", 360),
                        (datetime.date(2021, 11, 17), "unexcused", 360)]


def test_an_event_duration_with_a_decimal_comma_says_to_write_a_decimal_point(edfi_roster):
    """0,5 read nothing but "a share of a day from 0 to 1": a district exporting from a European-language
    spreadsheet was not told what to change. Decimals read as everywhere in the app: with a point."""
    rows = (HALF.replace("0.5", "\"0,5\"") + "604823,255901001,2021-11-17,Tardy,\"1,0\",\n"
            "604823,255901001,2021-11-18,Excused Absence,\",25\",\n" + OTHER.replace("17", "19").replace(",1,", ",.5,"))
    report = load(HEADER + rows, skip=True)
    assert problems(report) == [(2, "eventDuration '0,5': use a decimal point: 0.5"),
                                (3, "eventDuration '1,0': use a decimal point: 1.0"),
                                (4, "eventDuration ',25': use a decimal point: 0.25")]
    assert stored() == [(datetime.date(2021, 11, 19), "partial", 180)]  # half a day, ".5" as "0.5"
