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



# A part of a year --------------------------------------------------------

YEAR = ("schoolId,date,calendarEvent,name\n"
        ",2021-08-23,First day,\n"
        ",2022-05-27,Last day,\n"
        ",2021-09-06,Holiday,Labor Day\n"
        "255901001,2021-11-24,Holiday,Thanksgiving break\n"
        "255901001,2021-11-25,Holiday,Thanksgiving\n"
        "255901001,2021-11-26,Holiday,Thanksgiving break\n")


def high():
    from fieldapp.models import School
    from fieldapp.rules.calendar import calendar_for
    return calendar_for(School.get(School.identifier == "255901001").id, D(2021, 10, 1))


def test_a_schools_days_off_without_its_year_are_added_to_its_calendar_and_undo_puts_it_back(app, edfi_roster):
    from fieldapp.imports import run
    from fieldapp.imports.undo import undo
    from fieldapp.models import ImportRun
    from fieldapp.rules.settings import RuleSettings
    assert load(YEAR).applied
    winter = ("schoolId,date,calendarEvent,name\n"  # days off decided in the winter, and a day taken back
              "255901001,2022-01-17,Holiday,Martin Luther King Jr. Day\n"
              "255901001,2022-02-03,Weather day,Snow\n"
              "255901001,2021-11-24,Instructional day,Thanksgiving break taken back\n")
    imported, report = run("calendar", io.BytesIO(winter.encode()), "winter.csv", RuleSettings())
    assert imported.outcome == "applied", report.problems
    calendar = high()
    assert not any(calendar.is_school_day(d) for d in (D(2021, 9, 6), D(2021, 11, 25), D(2021, 11, 26),
                                                       D(2022, 1, 17), D(2022, 2, 3)))
    assert calendar.is_school_day(D(2021, 11, 24))
    assert (calendar.first_day, calendar.last_day) == (D(2021, 8, 23), D(2022, 5, 27))  # the district's
    assert len(calendar.days) == 200 - 5  # weekdays from 23 August to 27 May, less five off
    assert ("Grand Bend High School 2021-22: lists days off, without a First day and a Last day: it changes the "
            "3 dates it lists, and the rest of the calendar stays as it is; school year 23 Aug 2021 to "
            "27 May 2022, 195 school days (5 weekdays without school, 0 weekend days with school)") \
        in "\n".join(report.notes)
    assert report.counts["calendars changed in part"] == 1 and "calendars replaced" not in report.counts
    from flask_babel import force_locale
    from fieldapp.web.i18n import translate
    with app.test_request_context(), force_locale("es"):
        said = [translate(note) for note in report.notes]
    assert any(note.startswith("Grand Bend High School 2021-22: enumera días sin clases, sin primer día ni último "
                               "día: cambia las 3 fechas que enumera") for note in said), said
    undo(ImportRun.get_by_id(imported.id), None)
    calendar = high()
    assert calendar.is_school_day(D(2022, 1, 17)) and not calendar.is_school_day(D(2021, 11, 24))


def test_an_ed_fi_listing_of_some_months_changes_those_months_only(edfi_roster):
    assert load(YEAR).applied
    rows, day = ["schoolId,schoolYear,calendarCode,date,calendarEventDescriptor"], D(2022, 1, 3)
    while day <= D(2022, 3, 11):  # January to March, as an export of one term writes it
        if day.weekday() < 5 and day not in (D(2022, 1, 17), D(2022, 2, 21)):
            rows.append(f"255901001,2022,107SS022012,{day},{EVENT}Instructional day")
        day += datetime.timedelta(days=1)
    report = load("\n".join(rows) + "\n")
    assert report.applied, report.problems
    calendar = high()
    assert (calendar.first_day, calendar.last_day) == (D(2021, 8, 23), D(2022, 5, 27))
    assert not calendar.is_school_day(D(2021, 11, 25)) and not calendar.is_school_day(D(2022, 2, 21))
    assert calendar.is_school_day(D(2021, 10, 4)) and calendar.is_school_day(D(2022, 4, 4))
    notes = "\n".join(report.notes)
    assert ("Grand Bend High School 2021-22: lists instructional days from 3 Jan 2022 to 11 Mar 2022 only, "
            "without a First day and a Last day: it changes those dates, and the rest of the calendar stays as "
            "it is; school year 23 Aug 2021 to 27 May 2022, 194 school days (6 weekdays without school, "
            "0 weekend days with school)") in notes
    assert "calendars that look cut short" not in report.counts


# Slash dates in both orders ------------------------------------------------

ATTENDANCE = "studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor,eventDuration,minutesAbsent\n"
BOTH_ORDERS = ("The file's slash dates are written both month first ({month}) and day first ({day}), so a date "
               "such as 05/09/2021 could be either. Import it again saying which order the file uses, or write "
               "its dates YYYY-MM-DD. Nothing was changed.")


def test_an_attendance_file_with_slash_dates_in_both_orders_is_refused_naming_a_row_of_each(edfi_roster):
    from fieldapp.imports.attendance import import_attendance
    from fieldapp.models import AttendanceEvent
    text = ATTENDANCE + ("604823,255901001,13/09/2021,Unexcused Absence,1,\n"
                         "604823,255901001,14/09/2021,Unexcused Absence,1,\n"
                         "604823,255901001,9/30/2021,Unexcused Absence,1,\n")
    report = import_attendance(io.BytesIO(text.encode()), "StudentSchoolAttendanceEvents.csv",
                               today=D(2021, 12, 1))
    assert report.outcome == "refused"
    assert report.message == BOTH_ORDERS.format(
        month="StudentSchoolAttendanceEvents.csv row 4, eventDate '9/30/2021'",
        day="StudentSchoolAttendanceEvents.csv row 2, eventDate '13/09/2021'")
    assert AttendanceEvent.select().count() == 0
    # Said: each date reads the one way, and the one that does not is a row problem
    from fieldapp.imports.dates import MONTH_FIRST
    said = import_attendance(io.BytesIO(text.encode()), "a.csv", today=D(2021, 12, 1), date_order=MONTH_FIRST)
    assert [line for _, line, _ in said.problems] == [2, 3]


def test_a_calendar_with_slash_dates_in_both_orders_is_refused(edfi_roster):
    text = ("schoolId,date,calendarEvent,name\n"
            ",23/08/2021,First day,\n"
            ",5/27/2022,Last day,\n"
            ",11/11/2021,Holiday,Veterans Day\n")
    report = load(text, "calendar.csv")
    assert report.outcome == "refused"
    assert report.message == BOTH_ORDERS.format(month="calendar.csv row 3, date '5/27/2022'",
                                                day="calendar.csv row 2, date '23/08/2021'")


def test_a_roster_with_slash_dates_in_both_orders_is_refused(app, tmp_path):
    import shutil
    folder = tmp_path / "export"
    shutil.copytree(os.path.join(DATA, "edfi-oneroster"), folder)
    demographics = (folder / "demographics.csv").read_text().replace("2006-04-11T00:00:00", "4/30/2006", 1)
    (folder / "demographics.csv").write_text(demographics)
    enrollments = (folder / "enrollments.csv").read_text().replace("2021-10-29T00:00:00", "29/10/2021", 1)
    (folder / "enrollments.csv").write_text(enrollments)
    report = import_oneroster(str(folder), "grand-bend")
    assert report.outcome == "refused"
    assert report.message == BOTH_ORDERS.format(month="demographics.csv row 2, birthDate '4/30/2006'",
                                                day="enrollments.csv row 2, endDate '29/10/2021'")


def test_an_unknown_date_order_and_dates_in_both_orders_are_said_in_the_readers_words(app):
    from flask_babel import force_locale
    from fieldapp.imports.dates import OrderWatch, check_order
    from fieldapp.web.i18n import translate
    with pytest.raises(ValueError) as refused:
        check_order("ymd")
    assert refused.value.args[0] == "date order 'ymd': use month-first or day-first"
    watch = OrderWatch()
    watch.saw("13/09/2021", "a.csv", 2, "eventDate")
    with pytest.raises(Exception) as both:
        watch.saw("9/30/2021", "a.csv", 3, "eventDate")
    with app.test_request_context(), force_locale("es"):
        assert translate(refused.value.args[0]) == "orden de fechas 'ymd': use month-first o day-first"
        assert translate(both.value.args[0]).startswith(
            "Las fechas con barras del archivo están escritas unas con el mes primero (a.csv fila 3, eventDate "
            "'9/30/2021') y otras con el día primero (a.csv fila 2, eventDate '13/09/2021')")
