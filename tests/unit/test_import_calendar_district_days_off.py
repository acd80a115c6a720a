"""A school's calendar listing a day with school that its district's calendar has as a day off keeps the
district's day off (a school's calendar adds days off and takes none away): the preview names those days, the
first few and how many, so that the administrator checks which calendar is right."""
import datetime
import io

from fieldapp import imports
from fieldapp.imports.calendar import import_calendar
from fieldapp.rules.calendar import calendar_for
from fieldapp.rules.settings import RuleSettings
from tests import factories

D = datetime.date
HEAD = "schoolId,date,calendarEvent,name\n"
DISTRICT = ",2025-08-18,First day,\n,2026-06-05,Last day,\n,2025-10-13,Holiday,Columbus Day\n" \
           ",2025-11-11,Holiday,Veterans Day\n"


def taught(school, first, last, skip=()):
    """A school's Ed-Fi listing of instructional days: every weekday from first to last but skip."""
    rows, day = [], first
    while day <= last:
        if day.weekday() < 5 and day not in skip:
            rows.append(f"{school},{day},Instructional day,\n")
        day += datetime.timedelta(days=1)
    return "".join(rows)


def notes(text):
    report = imports.preview("calendar", io.BytesIO((HEAD + text).encode()), "school.csv", RuleSettings(),
                             today=D(2025, 8, 1)).report
    assert report.problems == []
    return report, "\n".join(map(str, report.notes))


def stored_district(text=DISTRICT):
    assert import_calendar(io.BytesIO((HEAD + text).encode()), "district.csv").applied


def test_a_school_listing_instructional_days_on_the_districts_holidays_names_them(app):
    oak = factories.gen_school("Oak School")
    stored_district()
    _, said = notes(taught(oak.sourced_id, D(2025, 8, 18), D(2026, 6, 5)))
    assert ("Check Oak School 2025-26: it lists 2 days with school that the district's calendar has as days off, "
            "13 Oct 2025, 11 Nov 2025: they stay days off, as a school's calendar adds days off to the district's "
            "and takes none away. Check which of the two calendars is right.") in said
    assert import_calendar(io.BytesIO((HEAD + taught(oak.sourced_id, D(2025, 8, 18), D(2026, 6, 5))).encode()),
                           "school.csv").applied
    assert not calendar_for(oak.id, D(2025, 10, 13)).is_school_day(D(2025, 10, 13))  # what the note says


def test_many_such_days_are_named_the_first_five_and_how_many_more(app):
    oak = factories.gen_school("Oak School")
    mondays = [D(2025, 9, 8) + datetime.timedelta(weeks=n) for n in range(8)]
    stored_district(",2025-08-18,First day,\n,2026-06-05,Last day,\n"
                    + "".join(f",{day},Holiday,Staff day\n" for day in mondays))
    _, said = notes(taught(oak.sourced_id, D(2025, 8, 18), D(2026, 6, 5)))
    assert ("it lists 8 days with school that the district's calendar has as days off, 8 Sep 2025, 15 Sep 2025, "
            "22 Sep 2025, 29 Sep 2025, 6 Oct 2025, and 3 more: they stay days off") in said


def test_one_make_up_day_on_a_district_holiday_in_the_same_file_is_named(app):
    oak = factories.gen_school("Oak School")
    _, said = notes(DISTRICT + f"{oak.sourced_id},2025-11-11,Make-up day,Veterans Day made up\n")
    assert ("Check Oak School 2025-26: it lists 1 day with school that the district's calendar has as a day off, "
            "11 Nov 2025: it stays a day off") in said


def test_a_school_listing_around_the_districts_holidays_gets_no_such_note(app):
    oak = factories.gen_school("Oak School")
    stored_district()
    _, said = notes(taught(oak.sourced_id, D(2025, 8, 18), D(2026, 6, 5), skip={D(2025, 10, 13), D(2025, 11, 11)}))
    assert "the district's calendar has as" not in said


def test_the_days_kept_off_are_said_in_spanish(app):
    from flask_babel import force_locale
    from fieldapp.web.i18n import file_words
    oak = factories.gen_school("Oak School")
    stored_district()
    report, _ = notes(taught(oak.sourced_id, D(2025, 8, 18), D(2026, 6, 5)))
    with app.test_request_context(), force_locale("es"):
        said = "\n".join(str(file_words(note)) for note in report.notes)
    assert ("Revise Oak School 2025-26: enumera 2 días con clases que el calendario del distrito tiene como días "
            "sin clases, 13 oct 2025, 11 nov 2025: siguen sin clases") in said
