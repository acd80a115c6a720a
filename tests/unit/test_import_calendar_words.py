"""A calendar file's problems read in row order and in words a district
uses; its preview counts the days off it changes, not the calendar's total;
and a part of a year keeps the name of a stored day off it leaves as it is."""
import io

from fieldapp.imports import preview as preview_import
from fieldapp.imports.calendar import import_calendar
from fieldapp.models import CalendarDay
from fieldapp.rules.settings import RuleSettings
from tests.unit.test_import_calendar_parts import edfi_roster  # noqa: F401

HEADER = "schoolId,date,calendarEvent,name\n"
DISTRICT = (",2021-08-23,First day,\n"
            ",2022-05-27,Last day,\n"
            ",2021-09-06,Holiday,Labor Day\n"
            ",2021-11-25,Holiday,Thanksgiving\n")


def load(text):
    return import_calendar(io.BytesIO((HEADER + text).encode()), "calendar.csv", skip_bad_rows=True)


def problems(report):
    return [(line, str(why)) for _, line, why in report.problems]


def test_problems_are_listed_in_row_order_and_say_the_event_and_row_in_words(edfi_roster):
    report = load(DISTRICT + "255901001,2021-11-26,Holiday,\n"
                             ",2021-11-25,Instructional day,\n"
                             ",2021-13-01,Holiday,\n")
    assert problems(report) == [
        (5, "left out with row 7: 2021-11-25 is listed both as a day with school and as one without, so none of "
            "that date's rows is kept and the day stays as stored; correct it in the file and import it again"),
        (7, "2021-11-25 is already listed as Holiday (row 5): a day has school or not"),
        (8, "date '2021-13-01' is not a day of the calendar: 13 is not a month (1 to 12)")]


def test_a_bad_first_day_row_carries_the_problem_of_the_missing_first_day(edfi_roster):
    text = HEADER + ",2021-02-30,First day,\n,2022-05-27,Last day,\n,2021-11-25,Holiday,\n"
    report = import_calendar(io.BytesIO(text.encode()), "calendar.csv")
    assert [line for line, _ in problems(report)] == [2, 2, 3, 4]
    assert "has a Last day, 27 May 2022, but no First day" in problems(report)[1][1]
    assert problems(report)[3][1].startswith("left out with row 2: the calendar of 2021-22")


def test_the_preview_counts_the_days_off_a_list_changes(edfi_roster):
    assert load(DISTRICT).applied
    pending = preview_import("calendar", io.BytesIO((HEADER + ",2022-01-17,Holiday,MLK Day\n").encode()),
                             "winter.csv", RuleSettings())
    assert pending.report.counts["days off and make-up days added"] == 1


def test_a_list_of_instructional_days_keeps_the_name_of_a_stored_holiday_it_leaves_out(edfi_roster):
    assert load(DISTRICT).applied
    november = "".join(f",2021-11-{d:02d},Instructional day,\n" for d in (22, 23, 24, 26))
    report = load(november)
    assert report.applied, report.problems
    names = {str(day.date): day.name for day in CalendarDay.select()}
    assert names["2021-11-25"] == "Thanksgiving"


def test_a_calendars_own_problem_is_listed_among_the_rows_in_order(edfi_roster):
    text = HEADER + ",2021-08-23,First day,\n,2021-13-01,Holiday,\n,2021-11-25,Holiday,\n"
    report = import_calendar(io.BytesIO(text.encode()), "calendar.csv")
    assert [line for line, _ in problems(report)] == [2, 3, 4]  # 4: left out with the calendar of row 2


def test_a_file_refused_for_mixing_date_orders_says_the_rows_it_read(edfi_roster):
    rows = ("255901001,604823,2021-11-25,Tardy\n255901001,604823,9/30/2021,Tardy\n"
            "255901001,604823,13/10/2021,Tardy\n")
    for kind, text in (("attendance", "schoolId,studentUniqueId,eventDate,attendanceEventCategoryDescriptor\n" + rows),
                       ("calendar", "schoolId,date,calendarEvent\n" + rows.replace("604823,", "").replace(
                           "Tardy", "Holiday"))):
        pending = preview_import(kind, io.BytesIO(text.encode()), "mixed.csv", RuleSettings())
        assert (pending.run.outcome, pending.run.rows_read) == ("refused", 3), kind
