"""A calendar giving two First days (or two Last days) for one year names the
dates it gives and which row to keep, on the row of the later one: it said
"more than one first or last day", leaving the office to find which end and
which rows."""
import datetime
import io

from fieldapp import imports
from fieldapp.rules.settings import RuleSettings

D = datetime.date
HEAD = "schoolId,date,calendarEvent,name\n"
TWO_FIRSTS = ",2025-08-18,First day,\n,2025-09-01,Holiday,Labor Day\n,2025-08-25,First day,\n,2026-06-10,Last day,\n"


def preview(text):
    return imports.preview("calendar", io.BytesIO((HEAD + text).encode()), "c.csv", RuleSettings(),
                           today=D(2025, 8, 1)).report


def ends(report):
    """The problems of the calendar's ends (its other rows are each named as left out with them)."""
    return [(line, str(why)) for _, line, why in report.problems if not str(why).startswith("left out")]


def test_two_first_days_are_named_with_their_dates_on_the_later_row(app):
    report = preview(TWO_FIRSTS)
    assert ends(report) == [
        (4, "2025-26: 2 First days, 18 Aug 2025, 25 Aug 2025: a year has one; keep the row of the day the "
            "year begins")]


def test_two_first_days_and_two_last_days_are_each_named(app):
    report = preview(",2025-08-18,First day,\n,2026-06-10,Last day,\n,2025-08-19,First day,\n"
                     ",2026-06-12,Last day,\n,2026-06-11,Last day,\n")
    assert ends(report) == [
        (4, "2025-26: 2 First days, 18 Aug 2025, 19 Aug 2025: a year has one; keep the row of the day the "
            "year begins"),
        (6, "2025-26: 3 Last days, 10 Jun 2026, 11 Jun 2026, 12 Jun 2026: a year has one; keep the row of the "
            "day the year ends")]


def test_two_first_days_are_named_in_spanish(app):
    from flask_babel import force_locale
    from fieldapp.web.i18n import file_words
    report = preview(TWO_FIRSTS)
    with app.test_request_context(), force_locale("es"):
        said = [str(file_words(why)) for _, _, why in report.problems if not str(why).startswith("left out")]
    assert said == ["2025-26: 2 primeros días, 18 ago 2025, 25 ago 2025: un año tiene uno; conserve la fila del "
                    "día en que empieza el año"]
