"""The names a calendar import gives a day without school that the district's file leaves unnamed (a weekday
a list of instructional days leaves out, or lists only as Other) are said in the reader's language on the
student page's calendar; a name the file gives is shown as given."""
import datetime
import io

from fieldapp.imports.calendar import import_calendar
from fieldapp.rules.calendar import assumed_calendar
from fieldapp.timefmt import local_today, school_year_of
from tests.web.conftest import page_text

LEFT_OUT, OTHER, NAMED = 7, 8, 9  # days after the first day of the year (a Monday): Tue, Wed, Thu of week 2


def import_instructional_days():
    year = assumed_calendar(school_year_of(local_today()))
    first, last = year.first_day, year.last_day
    rows, day = ["schoolId,date,calendarEvent,name"], first
    while day <= last:
        offset = (day - first).days
        if day.weekday() < 5 and offset != LEFT_OUT:
            event = "Other" if offset in (OTHER, NAMED) else "Instructional day"
            rows.append(f",{day},{event},{'Feria del pueblo' if offset == NAMED else ''}")
        day += datetime.timedelta(days=1)
    report = import_calendar(io.BytesIO(("\n".join(rows) + "\n").encode()), "calendar.csv")
    assert report.applied, report.problems


def test_the_names_the_import_gives_days_without_school_are_said_in_spanish(client, world, login_as):
    import_instructional_days()
    user = login_as("officer")
    user.language = "es"
    user.save()
    page = page_text(client.get(f"/students/{world['student_a'].id}"))
    assert "No figura como día lectivo" in page and "Otro: no figura como día lectivo" in page
    assert "Feria del pueblo" in page  # the file's own name, as given
    assert "ot listed as a school day" not in page
    user.language = "en"
    user.save()
    page = page_text(client.get(f"/students/{world['student_a'].id}"))
    assert "Not listed as a school day" in page and "Other: not listed as a school day" in page
