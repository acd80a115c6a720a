"""A calendar file giving one end of a year says which end it gives and which it lacks, and a First day
after the Last day (a year typed wrong) is named as such on both rows, not as two calendars lacking an end."""
import datetime
import io

from fieldapp import imports
from fieldapp.models import SchoolCalendar
from fieldapp.rules.settings import RuleSettings

D = datetime.date
HEAD = "schoolId,date,calendarEvent,name\n"


def preview(text, today=D(2025, 8, 1)):
    return imports.preview("calendar", io.BytesIO((HEAD + text).encode()), "c.csv", RuleSettings(),
                           today=today).report


def with_a_year():
    run, report = imports.run("calendar", io.BytesIO((HEAD + ",2025-08-20,First day,\n,2026-06-05,Last day,\n")
                                                     .encode()), "year.csv", RuleSettings(), today=D(2025, 8, 1))
    assert run.outcome == "applied", report.problems


def test_a_file_of_a_last_day_only_says_it_gives_a_last_day_without_a_first_day(app):
    with_a_year()
    notes = "\n".join(map(str, preview(",2026-06-03,Last day,\n").notes))
    assert "without a First day and a Last day" not in notes
    assert ("District 2025-26: gives only a Last day, 3 Jun 2026, without a First day: the school year ends on it, "
            "and the rest of the calendar stays as it is; school year 20 Aug 2025 to 3 Jun 2026") in notes


def test_days_off_and_a_first_day_say_the_first_day_and_the_other_dates(app):
    with_a_year()
    notes = "\n".join(map(str, preview(",2025-08-25,First day,\n,2025-10-10,Holiday,\n,2025-10-13,Holiday,\n").notes))
    assert ("District 2025-26: lists days off and a First day, 25 Aug 2025, without a Last day: the school year "
            "begins on its First day, it changes the 2 other dates it lists") in notes


def test_days_off_alone_still_say_they_lack_both_ends(app):
    with_a_year()
    notes = "\n".join(map(str, preview(",2025-10-10,Holiday,\n").notes))
    assert "District 2025-26: lists days off, without a First day and a Last day: it changes the one date" in notes


def test_a_first_day_after_the_last_day_says_check_the_years_on_both_rows(app):
    report = preview(",2026-08-20,First day,\n,2025-06-05,Last day,\n")
    why = ("the First day (20 Aug 2026, row 2) is after the Last day (5 Jun 2025, row 3): check the years")
    assert report.problems == [["c.csv", 2, why], ["c.csv", 3, why]]
    run, _ = imports.run("calendar", io.BytesIO((HEAD + ",2026-08-20,First day,\n,2025-06-05,Last day,\n").encode()),
                         "c.csv", RuleSettings(), today=D(2025, 8, 1))
    assert run.outcome == "refused"
    assert SchoolCalendar.select().count() == 0


def test_the_new_words_are_said_in_spanish(app):
    from flask_babel import force_locale
    from fieldapp.web.i18n import translate
    problems = preview(",2026-08-20,First day,\n,2025-06-05,Last day,\n").problems
    with_a_year()
    notes = preview(",2026-06-03,Last day,\n").notes
    with app.test_request_context(), force_locale("es"):
        assert translate(problems[0][2]) == ("el primer día (20 ago 2026, fila 2) es posterior al último día "
                                             "(5 jun 2025, fila 3): revise los años")
        assert translate(notes[0]).startswith("Distrito 2025-26: da solo un último día, el 3 jun 2026, sin primer día")
