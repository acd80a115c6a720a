"""An import's page says what the file left aside and what it derived, and
reads on a desk and on a phone (long column names wrap, nothing scrolls sideways)."""
import datetime
import io
import os

from fieldapp.imports import run
from fieldapp.rules.settings import RuleSettings
from tests import factories
from tests.browser.conftest import PHONE, login, shot

DATA = os.path.join(os.path.dirname(__file__), "..", "data")


def _calendar_run(admin):
    run("oneroster", os.path.join(DATA, "edfi-oneroster"), "grand-bend", RuleSettings(), user=admin,
        today=datetime.date(2021, 8, 1))
    rows = ["schoolId,schoolYear,calendarCode,date,calendarEventDescriptor"]
    day = datetime.date(2021, 8, 23)
    while day <= datetime.date(2021, 12, 17):
        if day.weekday() < 5:
            rows.append(f"255901107,2022,107SS022012,{day},uri://ed-fi.org/CalendarEventDescriptor#Instructional day")
        day += datetime.timedelta(days=1)
    # The district's year ends in December: a year that looks cut short, warned of.
    rows += [",2022,,2021-08-23,First day", ",2022,,2021-12-17,Last day"]
    imported, _ = run("calendar", io.BytesIO("\n".join(rows).encode()), "CalendarDates.csv", RuleSettings(),
                      user=admin)
    return imported


def test_the_notes_of_an_import_read_on_a_desk_and_on_a_phone(app, live_server, browser):
    admin = factories.gen_user("admin")
    imported = _calendar_run(admin)
    for name, options in (("desk", {"viewport": {"width": 1280, "height": 800}}), ("phone", PHONE)):
        context = browser.new_context(**options)
        page = context.new_page()
        login(page, live_server, admin)
        page.goto(f"{live_server}/admin/imports/{imported.id}")
        notes = page.locator("ul.notes li")
        assert notes.count() == 5  # ignored columns; the district, the school: each read and warned of
        assert "Grand Bend Elementary School 2021-22: lists instructional days" in page.content()
        assert page.get_by_text("the year looks cut short").count() == 2
        assert page.get_by_text("the year looks cut short").first.is_visible()
        width = options["viewport"]["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        shot(page, f"import-notes-{name}")
        page.goto(f"{live_server}/admin/imports")
        assert page.locator("select#date_order option").all_inner_texts()[1:] == [
            "Month first: 9/13/2025 (United States)", "Day first: 13/09/2025"]
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        shot(page, f"imports-form-{name}")
        context.close()
