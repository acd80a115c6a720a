"""In a list of instructional days, a weekday carrying only Other (an event meaning neither school nor no
school) is not listed as a school day, so it has no school: the preview says so in its events and names
those dates (the first five, and how many more) for the office to check; a list of days off leaves such a
day a school day, and says nothing of it."""
import datetime
import io

from fieldapp import imports
from fieldapp.rules.calendar import load_book
from fieldapp.rules.settings import RuleSettings
from tests.unit.test_import_calendar_parts import edfi_roster  # noqa: F401

HEADER = "schoolId,date,calendarEvent,name\n"
OTHER = [datetime.date(2026, 10, d) for d in (5, 6, 7, 8, 9, 12)]


def weekdays(first, last):
    day = first
    while day <= last:
        if day.weekday() < 5:
            yield day
        day += datetime.timedelta(days=1)


def preview(text):
    pending = imports.preview("calendar", io.BytesIO((HEADER + text).encode()), "calendar.csv", RuleSettings())
    assert not pending.report.problems, pending.report.problems
    return pending


def test_weekdays_listed_only_as_other_in_a_list_of_instructional_days_are_named_as_without_school(edfi_roster):
    text = "".join(f",{day},{'Other' if day in OTHER else 'Instructional day'},\n"
                   for day in weekdays(datetime.date(2026, 8, 17), datetime.date(2027, 6, 4)))
    pending = preview(text)
    notes = "\n".join(pending.report.notes)
    assert "lists instructional days" in notes
    assert "Other ×6: neither, so on a weekday with no other event: not listed as a school day, no school" in notes
    assert ("Check District 2026-27: 6 weekdays it lists only as Other will have no school, 5 Oct 2026, "
            "6 Oct 2026, 7 Oct 2026, 8 Oct 2026, 9 Oct 2026, and 1 more: a list of instructional days has school "
            "only on the days it lists as school days. If they have school, list them as Instructional days."
            ) in notes, notes
    assert imports.apply(pending)[0].outcome == "applied"
    calendar = load_book("2026-27").for_school(None)
    assert not any(calendar.is_school_day(day) for day in OTHER)


def test_a_list_of_days_off_keeps_a_weekday_of_other_a_school_day_without_a_word(edfi_roster):
    pending = preview(",2026-08-17,First day,\n,2027-06-04,Last day,\n,2026-09-07,Holiday,Labor Day\n"
                      ",2026-10-05,Other,\n")
    notes = "\n".join(pending.report.notes)
    assert "Other ×1: neither: the day stays what the rest of the calendar makes it" in notes
    assert "will have no school" not in notes
    assert imports.apply(pending)[0].outcome == "applied"
    assert load_book("2026-27").for_school(None).is_school_day(datetime.date(2026, 10, 5))
