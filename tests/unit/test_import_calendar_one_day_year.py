"""A calendar whose First day and Last day are one date is a school year of one day: the preview says so,
not that the file lists days off (it lists none, and no weekday is left for one), and warns that the year
looks cut short by naming that one day, wherever in the year it falls."""
import datetime
import io

from fieldapp import imports
from fieldapp.rules.settings import RuleSettings

D = datetime.date
HEAD = "schoolId,date,calendarEvent,name\n"


def notes(text):
    report = imports.preview("calendar", io.BytesIO((HEAD + text).encode()), "c.csv", RuleSettings(),
                             today=D(2025, 8, 1)).report
    assert report.problems == []
    return report, "\n".join(map(str, report.notes))


def test_a_one_day_year_is_said_as_one_day_not_as_a_list_of_days_off(app):
    report, said = notes(",2025-08-18,First day,\n,2025-08-18,Last day,\n")
    assert "lists days off" not in said
    assert ("District 2025-26: gives its First day and its Last day on the same date, 18 Aug 2025: a school year "
            "of one day, 1 school day (0 weekdays without school, 0 weekend days with school).") in said
    assert "Check District 2025-26: the year looks cut short (it begins and ends on 18 Aug 2025, one day; it has " \
           "1 school day, fewer than the 160 of any state's year)." in said
    assert report.counts["calendars that look cut short"] == 1


def test_a_one_day_year_on_a_weekend_listing_an_instructional_day_is_one_day_too(app):
    _, said = notes(",2025-08-16,First day,\n,2025-08-16,Last day,\n,2025-08-16,Instructional day,\n")
    assert "lists days off" not in said and "lists instructional days" not in said
    assert "District 2025-26: gives its First day and its Last day on the same date, 16 Aug 2025" in said
    assert "(it begins and ends on 16 Aug 2025, one day;" in said


def test_a_one_day_year_in_may_is_warned_by_its_one_day_not_by_a_late_beginning(app):
    _, said = notes(",2026-05-15,First day,\n,2026-05-15,Last day,\n")
    assert "(it begins and ends on 15 May 2026, one day;" in said
    assert "it begins on 15 May 2026" not in said


def test_the_one_day_year_is_said_in_spanish(app):
    from flask_babel import force_locale
    from fieldapp.web.i18n import file_words
    report, _ = notes(",2025-08-18,First day,\n,2025-08-18,Last day,\n")
    with app.test_request_context(), force_locale("es"):
        said = [str(file_words(note)) for note in report.notes]
    assert said[0].startswith("Distrito 2025-26: da su primer día y su último día en la misma fecha, el 18 ago "
                              "2025: un año escolar de un día, 1 día de clase (")
    assert "(empieza y termina el 18 ago 2025, un solo día; " in said[1]
