"""A date listed twice as a day off under two names keeps the first row's
name, and a note says so naming both rows: the preview said "Holiday ×2" of
three holiday rows and stored "Day A" without a word of "Day B"."""
import datetime
import io
import os

import pytest

from fieldapp.imports.calendar import import_calendar
from fieldapp.imports.oneroster import import_oneroster
from fieldapp.models import CalendarDay

BULK = os.path.join(os.path.dirname(__file__), "..", "data", "oneroster-bulk")


@pytest.fixture
def roster(app):
    assert import_oneroster(BULK, "roster").applied


def test_a_date_under_two_names_keeps_the_first_and_says_both_rows(roster):
    text = ("schoolId,date,calendarEvent,name\n"
            "sch-100,2026-11-11,Holiday,Veterans Day\n"
            "sch-100,2026-11-11,Holiday,Veterans Day\n"
            "sch-100,2026-11-12,Holiday,Day A\n"
            "sch-100,2026-11-12,Holiday,Day B\n"
            "sch-100,2026-11-14,Make-up day,Saturday make-up\n")
    report = import_calendar(io.BytesIO(text.encode()), "calendar.csv")
    assert report.outcome == "applied", report.problems
    assert ("calendar.csv, row 5: 12 Nov 2026 is listed again (first on row 4) under another name, “Day B”: a date "
            "keeps one name, the first row's, “Day A”.") in report.notes
    assert "calendar.csv: 1 row repeats an earlier row exactly, and is read once: row 3 repeats row 2." in report.notes
    assert {(d.date, d.name) for d in CalendarDay.select()} == {
        (datetime.date(2026, 11, 11), "Veterans Day"), (datetime.date(2026, 11, 12), "Day A"),
        (datetime.date(2026, 11, 14), "Saturday make-up")}
