"""The worklist, the attendance calendar and the import pages on a phone."""
import datetime
import os
import re

from fieldapp.models import AttendanceEvent
from fieldapp.rules.calendar import calendar_for
from fieldapp.timefmt import local_today, school_year_start
from tests import factories
from tests.browser.conftest import login, shot
from tests.browser.test_phone_layout import assert_fits_the_phone

DATA = os.path.join(os.path.dirname(__file__), "..", "data")


def mark(student, days, category="unexcused", minutes=0):
    for day in days:
        AttendanceEvent.create(student=student, school=student.school_id, date=day,
                               category=category, minutes=minutes)


def test_an_officer_works_the_worklist_and_reads_the_calendar_on_a_phone(world, live_server, phone):
    student = world["student_a"]
    mark(student, [datetime.date(2025, 9, 3), datetime.date(2025, 9, 10), datetime.date(2025, 9, 17)])
    today = local_today()
    past = calendar_for(student.school_id, today).days_between(school_year_start(today), today)
    mark(student, past[:4:2])  # this school year too, for the calendar
    mark(student, past[5:6], "excused")
    mark(student, past[7:8], "tardy", 45)
    page = phone.new_page()
    login(page, live_server, world["officer"])
    page.goto(f"{live_server}/worklist?on=2025-10-01")
    assert "First truancy notification to the parent" in page.inner_text("main")
    assert_fits_the_phone(page, "worklist")
    page.click("ul.cards a")
    page.wait_for_url("**/students/*")
    assert "Legal status and calendar" in page.inner_text("main")
    page.locator("section.attendance-year").scroll_into_view_if_needed()
    assert_fits_the_phone(page, "student-calendar")


def test_an_admin_uploads_a_file_and_reads_its_problems(world, live_server, phone, start_worker):
    start_worker("sqlite")
    page = phone.new_page()
    login(page, live_server, world["admin"])
    page.goto(f"{live_server}/admin/imports")
    assert_fits_the_phone(page, "imports")
    page.select_option("#kind", "attendance")
    page.set_input_files("#file", os.path.join(DATA, "attendance.csv"))
    page.click("form.import-form button[type=submit]")
    page.wait_for_url("**/jobs/*")  # a worker checks the file; the page follows it
    page.get_by_text("See why").wait_for(timeout=60_000)
    shot(page, "import-job")
    assert "The file was refused: nothing changed." in page.inner_text("main")
    page.click("text=See why")
    page.wait_for_url("**/admin/imports/*")
    text = page.inner_text("main")
    assert "Refused: nothing changed" in text and "unknown student '1001'" in text
    assert_fits_the_phone(page, "import-run")


def test_an_officers_first_screen_of_the_worklist_shows_tasks_not_filters(world, live_server, phone):
    """At 390x844 the five filters took the whole first screen; they fold away
    for an officer until one is chosen, and open again to narrow the list."""
    today = local_today()
    past = calendar_for(world["school_a"].id, today).days_between(school_year_start(today), today)
    for n in range(3):  # three truancies this week (and no call yet that gave the notice)
        mark(factories.gen_student(world["school_a"], first=f"Kid{n}", last="Truant"), past[-4:-1])
    officer = factories.gen_user("officer", [world["school_a"], world["school_b"]])  # menus of schools, officers
    page = phone.new_page()
    login(page, live_server, officer)
    page.goto(f"{live_server}/worklist")
    shot(page, "worklist-first-screen")
    first = page.locator("ul.cards > *").first
    assert first.is_visible() and first.bounding_box()["y"] < 844, page.inner_text("main")
    assert not page.locator("#section").is_visible()
    page.click("details.filter-fold > summary")
    page.select_option("#section", "overdue" if "Overdue" in page.inner_text("main") else "new")
    page.click("text=Show")
    page.wait_for_url("**/worklist?*section=*")
    assert page.locator("#section").is_visible()  # a chosen filter keeps them open
    assert re.search(r"^Filters \(\d+ chosen\)$", page.inner_text("details.filter-fold > summary").strip())
