"""A district calendar giving one end of its year, with nothing of that year stored, names the end it gives and
the one to add, as the preview does when a stored calendar gives the other end; a file of neither end says to
add both."""
import datetime
import io

from fieldapp import imports
from fieldapp.models import SchoolCalendar
from fieldapp.rules.settings import RuleSettings

D = datetime.date
HEAD = "schoolId,date,calendarEvent,name\n"


def problems(text):
    report = imports.preview("calendar", io.BytesIO((HEAD + text).encode()), "c.csv", RuleSettings(),
                             today=D(2025, 8, 1)).report
    return [(line, str(why)) for _, line, why in report.problems]


def test_a_first_day_alone_into_an_empty_database_says_to_add_the_last_day(app):
    assert problems(",2025-08-18,First day,\n,2025-09-01,Holiday,Labor Day\n")[0] == (
        2, "the district calendar of 2025-26 has a First day, 18 Aug 2025, but no Last day, and no calendar of "
           "that year is stored to give one: add the Last day of 2025-26 (or its Instructional days)")


def test_a_last_day_alone_into_an_empty_database_says_to_add_the_first_day(app):
    assert problems(",2026-06-10,Last day,\n") == [
        (2, "the district calendar of 2025-26 has a Last day, 10 Jun 2026, but no First day, and no calendar of "
            "that year is stored to give one: add the First day of 2025-26 (or its Instructional days)")]


def test_days_off_alone_into_an_empty_database_say_to_add_both_ends(app):
    assert problems(",2025-10-10,Holiday,\n") == [
        (2, "the district calendar of 2025-26 has neither a First day nor a Last day, and no calendar of that "
            "year is stored to give them: add the First day and the Last day of 2025-26 (or its Instructional "
            "days)")]
    assert SchoolCalendar.select().count() == 0


def test_a_refused_first_day_row_says_the_last_day_given_and_the_first_day_to_add(app):
    found = problems(",2025-02-30,First day,\n,2026-06-10,Last day,\n")
    assert (2, "the district calendar of 2025-26 has a Last day, 10 Jun 2026, but no First day, and no calendar "
               "of that year is stored to give one: add the First day of 2025-26 (or its Instructional days)") in found


def test_the_missing_end_is_said_in_spanish(app):
    from flask_babel import force_locale
    from fieldapp.web.i18n import file_words
    report = imports.preview("calendar", io.BytesIO((HEAD + ",2025-08-18,First day,\n").encode()), "c.csv",
                             RuleSettings(), today=D(2025, 8, 1)).report
    with app.test_request_context(), force_locale("es"):
        said = str(file_words(report.problems[0][2]))
    assert said == ("el calendario del distrito de 2025-26 tiene un First day, el 18 ago 2025, pero ningún Last day, y "
                    "no hay ningún calendario guardado de ese año que lo dé: agregue el Last day de 2025-26 (o sus "
                    "Instructional days)")
