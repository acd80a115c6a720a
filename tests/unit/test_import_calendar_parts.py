"""Calendar files that speak for part of a school year, as districts send
them (Ed-Fi CalendarDate exports, a list of days off added in the winter),
and slash dates written in both orders in one file."""
import datetime
import io
import os

import pytest

from fieldapp.imports.calendar import import_calendar
from fieldapp.imports.oneroster import import_oneroster

DATA = os.path.join(os.path.dirname(__file__), "..", "data")
D = datetime.date
EVENT = "uri://ed-fi.org/CalendarEventDescriptor#"


@pytest.fixture
def edfi_roster(app):
    report = import_oneroster(os.path.join(DATA, "edfi-oneroster"), "grand-bend")
    assert report.outcome == "applied", report.message or report.problems


def load(text, name="CalendarDates.csv", date_order=""):
    return import_calendar(io.BytesIO(text.encode()), name, date_order=date_order)


def test_calendar_code_is_read_for_the_tracks_warning_not_listed_as_ignored(edfi_roster):
    text = ("schoolId,schoolYear,calendarCode,date,calendarEventDescriptor\n"
            ",2022,107SS022012,2021-08-23,First day\n"
            ",2022,107SS022012,2022-05-27,Last day\n"
            f",2022,107SS022012,2021-09-06,{EVENT}Holiday\n")
    report = load(text)
    assert report.outcome == "applied", report.problems
    assert "CalendarDates.csv: not read, ignored: schoolYear" in report.notes
    assert not any("calendarCode" in note for note in report.notes)
