"""A calendar date listed both as a day with school and as one without is
left out whole with "skip bad rows": every row of it is named, and the day
stays as stored (keeping the first row would keep the file's order, not the
truth). A calendar that cannot be used (its First day row refused) names and
counts every row of it left out with it."""
import datetime
import io
import os

import pytest

from fieldapp.imports.calendar import import_calendar
from fieldapp.imports.oneroster import import_oneroster
from fieldapp.models import School, SchoolCalendar
from fieldapp.rules.calendar import calendar_for

DATA = os.path.join(os.path.dirname(__file__), "..", "data")
D = datetime.date
HEADER = "schoolId,date,calendarEvent,name\n"
YEAR = ",2026-08-17,First day,\n,2027-06-10,Last day,\n"


@pytest.fixture
def roster(app):
    assert import_oneroster(os.path.join(DATA, "oneroster-bulk"), "roster").applied
    return School.get(School.sourced_id == "sch-100").id


def load(text, skip=True):
    return import_calendar(io.BytesIO(text.encode()), "calendar.csv", skip)


def problems(report):
    return [(line, str(why)) for _, line, why in report.problems]


def test_a_holiday_and_an_instructional_day_on_one_date_leave_the_date_as_stored(roster):
    assert load(HEADER + YEAR + "sch-100,2026-12-22,Holiday,Winter break\n", skip=False).applied
    report = load(HEADER + "sch-100,2026-12-21,Holiday,Winter break\n"
                  "sch-100,2026-12-21,Instructional day,\n"
                  "sch-100,2026-12-23,Holiday,Winter break\n")
    assert report.outcome == "applied_with_skips"
    found = problems(report)
    assert [line for line, _ in found] == [2, 3]
    assert found[0][1] == ("left out with row 3: 2026-12-21 is listed both as a day with school and as one "
                           "without, so none of that date's rows is kept and the day stays as stored; correct it "
                           "in the file and import it again")
    assert found[1][1].startswith("2026-12-21 is already listed as Holiday (row 2)")
    assert report.rows_rejected == 2
    school = calendar_for(roster, D(2026, 12, 21))
    assert school.is_school_day(D(2026, 12, 21))  # as stored
    assert not school.is_school_day(D(2026, 12, 22)) and not school.is_school_day(D(2026, 12, 23))


def test_a_stored_day_off_stays_when_the_file_contradicts_itself_on_it(roster):
    assert load(HEADER + YEAR + "sch-100,2026-12-21,Holiday,Staff day\n", skip=False).applied
    report = load(HEADER + "sch-100,2026-12-21,Instructional day,\n"
                  "sch-100,2026-12-21,Holiday,Winter break\n"
                  "sch-100,2026-12-21,Make-up day,\n")
    assert [line for line, _ in problems(report)] == [2, 3, 4]
    assert problems(report)[2][1].startswith("left out with row 3")
    assert not calendar_for(roster, D(2026, 12, 21)).is_school_day(D(2026, 12, 21))
    days = [(d.date, d.name) for d in SchoolCalendar.get(SchoolCalendar.school == roster).days]
    assert days == [(D(2026, 12, 21), "Staff day")]


def test_a_whole_year_keeps_the_stored_day_of_a_date_it_contradicts_itself_on(roster):
    assert load(HEADER + YEAR + ",2026-12-21,Holiday,Staff day\n", skip=False).applied
    report = load(HEADER + YEAR + ",2026-12-21,Instructional day,\n,2026-12-21,Holiday,Winter break\n"
                  ",2026-11-11,Holiday,Veterans Day\n")
    assert [line for line, _ in problems(report)] == [4, 5]
    district = calendar_for(None, D(2026, 12, 21))
    assert not district.is_school_day(D(2026, 12, 21)) and not district.is_school_day(D(2026, 11, 11))


def test_every_row_of_a_calendar_left_out_with_its_refused_first_day_is_named_and_counted(roster):
    report = load(HEADER + ",0206-08-17,First day,\n,2027-06-10,Last day,\n,2026-11-11,Holiday,Veterans Day\n")
    found = problems(report)
    assert [line for line, _ in found] == [2, 2, 3, 4]  # row 2: its bad date, and the calendar it leaves without
    assert "add the First day of 2026-27" in " ".join(why for line, why in found if line == 2)
    assert found[-1][1] == ("left out with row 2: the calendar of 2026-27 this row is part of cannot be used, "
                            "so none of its rows is kept")
    assert report.rows_rejected == 3
    assert SchoolCalendar.select().count() == 0


def test_a_repeated_row_of_a_date_a_later_row_contradicts_is_left_out_with_it(roster):
    assert load(HEADER + YEAR, skip=False).applied
    report = load(HEADER + "sch-100,2026-12-21,Holiday,Winter break\n"
                  "sch-100,2026-12-21,Holiday,Winter break\n"
                  "sch-100,2026-12-21,Instructional day,\n")
    found = problems(report)
    assert [line for line, _ in found] == [2, 3, 4]
    assert found[0][1].startswith("left out with row 4: 2026-12-21 is listed both") and found[1][1] == found[0][1]
    assert calendar_for(roster, D(2026, 12, 21)).is_school_day(D(2026, 12, 21))  # as stored
    assert not any("repeat" in str(note) for note in report.notes)


def test_a_row_repeated_exactly_is_read_once_and_said_in_a_note(roster):
    report = load(HEADER + YEAR + "sch-100,2026-12-17,Holiday,\nsch-100,2026-12-17,Holiday,\n"
                  ",2026-11-26,Holiday,Thanksgiving\n,2026-11-26,Holiday,Thanksgiving\n", skip=False)
    assert report.outcome == "applied", report.problems
    assert ("calendar.csv: 2 rows repeat earlier rows exactly; each is read once: row 5 repeats row 4, row 7 "
            "repeats row 6.") in [str(note) for note in report.notes]


def test_a_repeat_names_the_row_it_repeats_however_far_above(roster):
    report = load(HEADER + YEAR + "sch-100,2026-12-17,Holiday,Snow\nsch-100,2026-12-18,Holiday,Snow\n"
                  "sch-100,2026-12-17,Holiday,Snow\n", skip=False)
    assert report.outcome == "applied", report.problems
    assert "calendar.csv: 1 row repeats an earlier row exactly, and is read once: row 6 repeats row 4." in \
        [str(note) for note in report.notes]
    assert not calendar_for(roster, D(2026, 12, 17)).is_school_day(D(2026, 12, 17))


def test_an_empty_calendar_event_says_it_is_empty_and_what_to_give(roster):
    report = load(HEADER + YEAR + "sch-100,2026-12-18,,\n")
    assert problems(report) == [(4, "calendarEvent is empty: give one of First day, Last day, No school or an "
                                    "Ed-Fi CalendarEventDescriptor: Instructional day, Make-up day, Holiday, ...")]
