"""A date whose year no school record has (a typo such as 0206-11-02, or a
placeholder 0001-01-01) is a row problem naming its column and value in every
import, never a crash of the job and never a span stored from year 206."""
import datetime
import io

from fieldapp.imports import run
from fieldapp.imports.calendar import import_calendar
from fieldapp.imports.dates import parse_date, why_not_a_date
from fieldapp.imports.oneroster import import_oneroster
from fieldapp.models import AttendanceEvent, Enrollment, ImportRun, Student
from fieldapp.rules.calendar import assumed_calendar
from fieldapp.rules.settings import RuleSettings
from tests.unit.test_import_district_files import edfi_roster  # noqa: F401
from tests.unit.test_import_oneroster import BULK, copy_of, rewrite

ATTENDANCE = "schoolId,studentUniqueId,eventDate,attendanceEventCategoryDescriptor\n"


def test_a_year_outside_1900_to_2100_is_not_a_date_and_says_so():
    for raw in ("0206-11-02", "0001-01-01", "0999-09-01", "1899-12-31", "2101-01-01", "09/01/0999"):
        assert parse_date(raw, "month-first") is None, raw
        year = raw[:4] if "-" in raw else raw[-4:]
        assert str(why_not_a_date(raw, "eventDate", "month-first")) == \
            f"eventDate '{raw}' has the year {year}: a date's year must be from 1900 to 2100"
    assert parse_date("1900-01-01") == datetime.date(1900, 1, 1)
    assert parse_date("2100-12-31") == datetime.date(2100, 12, 31)


def test_a_slash_date_or_a_long_year_outside_1900_to_2100_says_the_year_is_what_to_fix():
    """03/04/1850 was called ambiguous (fixing its order would not have helped) and 10000-01-01 not a date."""
    for raw, year in (("03/04/1850", "1850"), ("3/4/2150", "2150"), ("13/04/1850", "1850"),
                      ("10000-01-01", "10000"), ("10000-01-01T00:00:00", "10000"), ("1/2/20250", "20250")):
        for order in ("", "month-first", "day-first"):
            assert parse_date(raw, order) is None, raw
            assert str(why_not_a_date(raw, "eventDate", order)) == \
                f"eventDate '{raw}' has the year {year}: a date's year must be from 1900 to 2100", (raw, order)
    assert "could be" in str(why_not_a_date("03/04/2021", "eventDate"))
    assert str(why_not_a_date("2021-13-45", "eventDate")) == \
        "eventDate '2021-13-45' is not a day of the calendar: 13 is not a month (1 to 12)"
    assert str(why_not_a_date("99999-99-99", "eventDate")) == "bad eventDate '99999-99-99' (use YYYY-MM-DD)"


def test_the_assumed_year_of_a_school_year_written_with_a_short_year_does_not_crash():
    assert assumed_calendar("206-07").first_day == datetime.date(206, 8, 15) + datetime.timedelta(
        days=(7 - datetime.date(206, 8, 15).weekday()) % 7)
    assert assumed_calendar("0-1").first_day.year == 1


def test_an_attendance_date_in_year_206_is_a_row_problem_and_the_import_is_kept_in_history(edfi_roster):
    text = ATTENDANCE + "255901001,604823,0206-11-02,Tardy\n255901001,604823,2021-11-02,Tardy\n"
    imported, report = run("attendance", io.BytesIO(text.encode()), "attendance.csv", RuleSettings())
    assert imported.outcome == "refused"
    assert [(line, str(why)) for _, line, why in report.problems] == [
        (2, "eventDate '0206-11-02' has the year 0206: a date's year must be from 1900 to 2100")]
    imported, report = run("attendance", io.BytesIO(text.encode()), "attendance.csv", RuleSettings(),
                           skip_bad_rows=True)
    assert imported.outcome == "applied_with_skips"
    assert [e.date for e in AttendanceEvent.select()] == [datetime.date(2021, 11, 2)]
    assert ImportRun.select().count() == 2


def test_a_calendar_date_in_year_1_is_a_row_problem(edfi_roster):
    text = ("schoolId,date,calendarEvent\n"
            "255901001,0001-01-01,Holiday\n"
            "255901001,2021-11-25,Holiday\n")
    report = import_calendar(io.BytesIO(text.encode()), "calendar.csv", skip_bad_rows=True)
    assert report.outcome == "applied_with_skips", report.problems
    assert [(line, str(why)) for _, line, why in report.problems] == [
        (2, "date '0001-01-01' has the year 0001: a date's year must be from 1900 to 2100")]


def test_a_roster_begin_date_or_birth_date_before_1900_is_a_row_problem(app, tmp_path):
    folder = copy_of(BULK, tmp_path)
    rewrite(folder / "enrollments.csv", "stu-1001,student,false,2025-08-18", "stu-1001,student,false,0206-08-12")
    rewrite(folder / "demographics.csv", "2012-11-20", "0999-09-01")
    report = import_oneroster(str(folder), "typo")
    assert report.outcome == "refused"
    reasons = [(file, str(why)) for file, _, why in report.problems]
    assert ("enrollments.csv", "beginDate '0206-08-12' has the year 0206: a date's year must be from 1900 to 2100") in reasons
    assert ("demographics.csv", "birthDate '0999-09-01' has the year 0999: a date's year must be from 1900 to 2100") in reasons
    assert Student.select().count() == 0 and Enrollment.select().count() == 0


def test_a_calendar_date_whose_school_year_runs_outside_1900_to_2100_is_refused_saying_which_dates_are(edfi_roster):
    """1900-01-05 made a calendar "1899-00" and 2100-12-01 one "2100-01": school years no import could
    give whole, named outside the years a date may have."""
    text = ("schoolId,date,calendarEvent\n"
            ",1900-01-05,Holiday\n"
            ",2100-12-01,Holiday\n"
            ",1900-07-02,First day\n"
            ",1901-06-11,Last day\n"
            ",1901-01-02,Holiday\n")
    report = import_calendar(io.BytesIO(text.encode()), "calendar.csv", skip_bad_rows=True)
    assert [(line, str(why)) for _, line, why in report.problems] == [
        (2, "date '1900-01-05' is in the school year from July 1899 to June 1900, which runs outside 1900 to 2100: "
            "a school day's date must be from 1900-07-01 to 2100-06-30"),
        (3, "date '2100-12-01' is in the school year from July 2100 to June 2101, which runs outside 1900 to 2100: "
            "a school day's date must be from 1900-07-01 to 2100-06-30")]
    notes = " ".join(str(note) for note in report.notes)
    assert "1899" not in notes and "2100-01" not in notes and "District 1900-01" in notes


def test_an_attendance_date_whose_school_year_runs_outside_1900_to_2100_is_refused_as_a_calendar_date_is(
        edfi_roster):
    """A mark of 1900-03-05 was stored in the school year from July 1899, though a calendar of that day is
    refused: attendance follows the calendar's rule, with its message."""
    text = ATTENDANCE + "255901001,604823,1900-03-05,Tardy\n255901001,604823,1900-09-04,Tardy\n"
    imported, report = run("attendance", io.BytesIO(text.encode()), "attendance.csv", RuleSettings(),
                           skip_bad_rows=True)
    assert imported.outcome == "applied_with_skips"
    assert [(line, str(why)) for _, line, why in report.problems] == [
        (2, "eventDate '1900-03-05' is in the school year from July 1899 to June 1900, which runs outside 1900 to "
            "2100: a school day's date must be from 1900-07-01 to 2100-06-30")]
    assert [e.date for e in AttendanceEvent.select()] == [datetime.date(1900, 9, 4)]
