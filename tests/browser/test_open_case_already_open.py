"""An officer whose "Open case" finds the student already has one (opened a
moment before elsewhere) lands on the student's page with that case, told
so, with the note they typed in the message."""
from tests import factories
from tests.browser.conftest import login, shot


def test_opening_a_case_the_student_already_has_shows_it_on_a_phone(world, live_server, phone):
    page = phone.new_page()
    login(page, live_server, world["officer"])
    student = factories.gen_student(world["school_a"], first="Tomás", last="Reyes")
    page.goto(f"{live_server}/students/{student.id}/cases/new")
    page.fill("textarea[name=note]", "Mother says he is back Monday")
    factories.gen_case(student, world["officer"])  # opened in another tab while the form was open
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server}/students/{student.id}")
    page.wait_for_load_state("networkidle")
    flash = page.locator(".flash.warning")
    assert "already has an open case; here it is" in flash.inner_text()
    assert "Mother says he is back Monday" in flash.inner_text()
    shot(page, "open-case-already-open-phone")
