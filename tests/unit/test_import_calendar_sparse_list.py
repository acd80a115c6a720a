"""A calendar of Instructional day rows, on a few of the weekdays (Wednesdays only), more than its days
off: it is no list of days off, so it is read as a list of instructional days, and the preview
warns that it lists few of the weekdays; a few days off among Instructional days still list days off."""
import datetime
import io

from fieldapp.imports.calendar import import_calendar
from fieldapp.rules.calendar import load_book
from tests.unit.test_import_calendar_parts import edfi_roster  # noqa: F401

HEADER = "schoolId,date,calendarEvent,name\n"


def wednesdays(first, last):
    day = first
    while day <= last:
        if day.weekday() == 2:
            yield day
        day += datetime.timedelta(days=1)


def test_instructional_days_on_wednesdays_only_are_read_as_the_only_school_days(edfi_roster):
    days = list(wednesdays(datetime.date(2026, 8, 19), datetime.date(2027, 6, 2)))
    text = HEADER + "".join(f",{day},Instructional day,\n" for day in days)
    report = import_calendar(io.BytesIO(text.encode()), "wednesdays.csv")
    assert report.applied, report.problems
    calendar = load_book("2026-27").for_school(None)
    assert calendar.days == days  # not every weekday of the year
    assert any("lists instructional days" in note for note in report.notes), report.notes
    sparse = [note for note in report.notes if "the year looks cut short" in note]
    assert len(sparse) == 1 and (f"it lists {len(days)} instructional days of the 206 weekdays from 19 Aug 2026 "
                                 "to 2 Jun 2027, more than its days off, so it is read as a list of instructional days "
                                 "and the other weekdays have no school") in sparse[0], report.notes
    assert report.counts["calendars that look cut short"] == 1


def test_a_few_instructional_days_among_days_off_still_list_days_off(edfi_roster):
    text = HEADER + (",2026-08-17,First day,\n,2027-06-04,Last day,\n,2026-09-07,Holiday,Labor Day\n"
                     ",2026-11-25,Instructional day,\n")
    report = import_calendar(io.BytesIO(text.encode()), "days_off.csv")
    assert report.applied, report.problems
    assert any("lists days off" in note for note in report.notes), report.notes
    assert not any("instructional days of the" in note for note in report.notes)


def test_two_instructional_days_alone_take_stored_days_off_away_and_leave_the_weeks_between(edfi_roster):
    text = HEADER + (",2026-08-17,First day,\n,2027-06-04,Last day,\n,2026-11-25,Holiday,Thanksgiving\n"
                     ",2027-02-15,Holiday,Presidents Day\n")
    assert import_calendar(io.BytesIO(text.encode()), "days_off.csv").applied
    text = HEADER + ",2026-11-25,Instructional day,\n,2027-02-15,Instructional day,\n"
    report = import_calendar(io.BytesIO(text.encode()), "taken_back.csv")
    assert report.applied, report.problems
    calendar = load_book("2026-27").for_school(None)
    assert calendar.is_school_day(datetime.date(2026, 11, 25)) and calendar.is_school_day(datetime.date(2027, 2, 15))
    assert calendar.is_school_day(datetime.date(2027, 1, 6))  # a weekday between them stays a school day


def test_wednesdays_only_with_a_holiday_among_them_are_still_the_only_school_days(edfi_roster):
    """One Holiday among 42 Wednesdays made the file a list of days off, every weekday a school day (214)."""
    days = list(wednesdays(datetime.date(2026, 8, 19), datetime.date(2027, 6, 2)))
    text = HEADER + "".join(f",{day},Instructional day,\n" for day in days) + ",2026-11-26,Holiday,Thanksgiving\n"
    report = import_calendar(io.BytesIO(text.encode()), "wednesdays.csv")
    assert report.applied, report.problems
    assert load_book("2026-27").for_school(None).days == days
    assert any("more than its days off, so it is read as a list of instructional days" in note
               for note in report.notes), report.notes
