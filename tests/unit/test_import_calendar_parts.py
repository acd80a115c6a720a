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
