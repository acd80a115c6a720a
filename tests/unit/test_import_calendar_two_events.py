"""A date listed twice as two kinds of day off under one name (Holiday and
Weather day, both “Snow day”, one calendarCode) is said in a note naming the
date, both rows and the one kept: the preview only counted “Holiday ×1;
Weather day ×1” and stored one of them without a word. The note is the one
said of a date listed under two names."""
import datetime
import io
import os

import pytest

from fieldapp.imports.calendar import import_calendar
from fieldapp.imports.oneroster import import_oneroster
from fieldapp.models import CalendarDay

BULK = os.path.join(os.path.dirname(__file__), "..", "data", "oneroster-bulk")
HEADER = "schoolId,date,calendarEvent,name,calendarCode\n,2026-08-17,First day,,T1\n,2027-06-10,Last day,,T1\n"


@pytest.fixture
def roster(app):
    assert import_oneroster(BULK, "roster").applied


def _notes(text):
    report = import_calendar(io.BytesIO((HEADER + text).encode()), "calendar.csv")
    assert report.outcome == "applied", report.problems
    return [str(note) for note in report.notes]


def test_one_date_as_two_kinds_of_day_off_under_one_name_is_named_with_the_row_kept(roster):
    notes = _notes("sch-100,2026-11-16,Holiday,Snow day,T1\nsch-100,2026-11-16,Weather day,Snow day,T1\n")
    assert ("calendar.csv, row 5: 16 Nov 2026 is listed again (first on row 4) under another name, “Weather day: "
            "Snow day”: a date keeps one name, the first row's, “Holiday: Snow day”.") in notes
    assert [(d.date, d.kind, d.name) for d in CalendarDay.select()] == [(datetime.date(2026, 11, 16), "holiday",
                                                                         "Snow day")]


def test_without_names_the_day_keeps_the_first_rows_event_and_says_so(roster):
    notes = _notes("sch-100,2026-11-16,Weather day,,T1\nsch-100,2026-11-16,Holiday,,T1\n")
    assert ("calendar.csv, row 5: 16 Nov 2026 is listed again (first on row 4) under another name, “Holiday”: a "
            "date keeps one name, the first row's, “Weather day”.") in notes
    assert [d.name for d in CalendarDay.select()] == ["Weather day"]  # not “Holiday”, first in the alphabet


def test_a_first_day_that_is_also_an_instructional_day_says_nothing(roster):
    notes = _notes(",2026-08-17,Instructional day,,T1\nsch-100,2026-11-16,Holiday,Snow day,T1\n")
    assert not any("listed again" in note for note in notes)
