"""A list of days off for a school that no calendar gives a year (none of its
own, none of the district's) keeps the assumed year, and the preview says
so, warning as it does for a year cut short."""
import io

from fieldapp.imports import preview as preview_import
from fieldapp.imports.calendar import import_calendar
from fieldapp.rules.settings import RuleSettings
from tests.unit.test_import_calendar_parts import edfi_roster  # noqa: F401

DAYS_OFF = ("schoolId,date,calendarEvent,name\n"
            "255901001,2021-11-25,Holiday,Thanksgiving\n"
            "255901001,2021-11-26,Holiday,Thanksgiving break\n")


def preview(text):
    pending = preview_import("calendar", io.BytesIO(text.encode()), "days-off.csv", RuleSettings())
    return pending.run, pending.report


def test_days_off_without_any_calendars_year_say_the_year_is_assumed(edfi_roster):
    imported, report = preview(DAYS_OFF)
    notes = "\n".join(str(note) for note in report.notes)
    assert ("Check Grand Bend High School 2021-22: no calendar gives its school year (a First day and a Last "
            "day, here or in the district's calendar), so 16 Aug 2021 to 10 Jun 2022 is assumed, the weekdays "
            "from mid-August to mid-June. Import the district's calendar, or this school's whole year, so that "
            "its school days are its own.") in notes, notes
    assert report.counts["calendars with an assumed year"] == 1
    assert report.checked_examples["calendars with an assumed year"] == ["Grand Bend High School 2021-22"]


def test_days_off_beside_a_district_calendar_keep_its_year_without_a_warning(edfi_roster):
    district = ("schoolId,date,calendarEvent\n"
                ",2021-08-23,First day\n"
                ",2022-05-27,Last day\n")
    assert import_calendar(io.BytesIO(district.encode()), "district.csv").applied
    imported, report = preview(DAYS_OFF)
    assert "calendars with an assumed year" not in report.counts
    assert not any("is assumed" in str(note) for note in report.notes)
