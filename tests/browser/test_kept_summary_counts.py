"""The caseload's note on what is kept on the phone agrees with its number,
in English and Spanish: one student is "the student of your 1 open case",
never "All 1 students ... are kept"."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, shot

ONE = {"en": "The student of your 1 open case is kept on this phone for work offline.",
       "es": "El alumno de su caso abierto (1) se guarda en este teléfono para trabajar sin conexión."}


@pytest.mark.parametrize("language", ["en", "es"])
def test_one_kept_student_is_counted_in_the_singular(world, live_server, phone, language):
    world["officer"].language = language
    world["officer"].save()
    page = phone.new_page()
    login(page, live_server, world["officer"])
    page.wait_for_function("document.documentElement.dataset.pagesKept", timeout=120000)
    page.goto(f"{live_server}/caseload")
    expect(page.locator("#kept-summary")).to_have_text(ONE[language])
    shot(page, f"caseload-one-kept-{language}")
