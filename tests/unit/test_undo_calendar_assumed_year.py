"""Undoing the import that gave a calendar's First and Last day, when a later import of part of the year
stays, leaves the year assumed (mid-August to mid-June): the undo's preview and its result say so, naming
the dates assumed, where it used to change the school year without a word."""
import datetime
import io

from fieldapp import imports
from fieldapp.imports.undo import undo
from fieldapp.imports.undo_calendars import calendars_assumed
from fieldapp.models import ImportRun
from fieldapp.rules.calendar import load_book
from fieldapp.rules.settings import RuleSettings

D = datetime.date
HEAD = "schoolId,date,calendarEvent,name\n"


def weekdays(first, last, skip=()):
    day = first
    while day <= last:
        if day.weekday() < 5 and day not in skip:
            yield day
        day += datetime.timedelta(days=1)


def load(name, rows, today):
    run, report = imports.run("calendar", io.BytesIO((HEAD + rows).encode()), name, RuleSettings(), today=today)
    assert run.outcome == "applied", report.problems
    return run


def whole_then_part():
    whole = load("whole.csv", "".join(f",{d},Instructional day,\n" for d in weekdays(
        D(2025, 8, 20), D(2026, 6, 5), {D(2025, 11, 27)})), D(2025, 8, 1))
    part = load("march.csv", "".join(f",{d},Instructional day,\n" for d in weekdays(
        D(2026, 3, 2), D(2026, 3, 13), {D(2026, 3, 9)})), D(2026, 3, 1))
    return whole, part


SAID = ("the district's calendar, 2025-26: no calendar still applied gives its First day and its Last day, so its "
        "school year is now assumed, Aug 18, 2025 to Jun 12, 2026 (the weekdays from mid-August to mid-June); import "
        "its whole year again to give it")


def test_undoing_the_whole_year_under_a_part_says_the_year_is_now_assumed(app):
    whole, part = whole_then_part()
    assert [str(line) for line in calendars_assumed(ImportRun.get_by_id(whole.id))] == [SAID]
    assert calendars_assumed(ImportRun.get_by_id(part.id)) == []
    counts = undo(ImportRun.get_by_id(whole.id), None)
    assert counts["calendars with an assumed year"] == 1
    assert [str(line) for line in counts["which"]["calendars with an assumed year"]] == [SAID]
    kept = ImportRun.get_by_id(whole.id).undo_counts
    assert [str(line) for line in kept["which"]["calendars with an assumed year"]] == [SAID]
    calendar = load_book("2025-26").for_school(None)
    assert (calendar.first_day, calendar.last_day) == (D(2025, 8, 18), D(2026, 6, 12))


def test_undoing_a_part_of_a_year_says_nothing_of_an_assumed_year(app):
    whole, part = whole_then_part()
    counts = undo(ImportRun.get_by_id(part.id), None)
    assert "calendars with an assumed year" not in counts


def test_undoing_a_last_day_that_the_whole_year_gives_says_nothing(app):
    load("year.csv", ",2025-08-20,First day,\n,2026-06-05,Last day,\n", D(2025, 8, 1))
    last = load("last.csv", ",2026-06-03,Last day,\n", D(2026, 5, 1))
    counts = undo(ImportRun.get_by_id(last.id), None)
    assert "calendars with an assumed year" not in counts


def test_undoing_a_schools_year_under_its_last_day_names_the_first_day_assumed(app):
    from tests import factories
    school = factories.gen_school("Lincoln Elementary")
    whole = load("year.csv", f"{school.sourced_id},2025-08-20,First day,\n{school.sourced_id},2026-06-05,Last day,\n",
                 D(2025, 8, 1))
    load("last.csv", f"{school.sourced_id},2026-06-03,Last day,\n", D(2026, 5, 1))
    counts = undo(ImportRun.get_by_id(whole.id), None)
    assert [str(line) for line in counts["which"]["calendars with an assumed year"]] == [
        "the calendar of Lincoln Elementary, 2025-26: no calendar still applied gives its First day, so its school "
        "year now begins on Aug 18, 2025, assumed (mid-August), and ends on Jun 3, 2026; import its whole year again "
        "to give it"]
