"""Two small things a phone showed wrong: the offline banner promising that contacts
stay on the phone where nobody can save one (logged out, "Logged out on this phone"),
and Find, whose address must always name the page on screen, Enter included."""
import pytest

from fieldapp.models import User
from tests import factories
from tests.browser.conftest import login, shot

OFFLINE_EN = "Contacts you save stay on this phone"


@pytest.mark.parametrize("path", ["/locked", "/login"])
def test_no_offline_promise_where_nobody_is_logged_in(world, live_server, browser, path):
    from tests.browser.conftest import PHONE
    context = browser.new_context(service_workers="block", **PHONE)
    page = context.new_page()
    page.goto(live_server + path)
    page.wait_for_load_state("networkidle")
    context.set_offline(True)
    page.evaluate("window.dispatchEvent(new Event('offline'))")
    page.wait_for_timeout(500)
    shot(page, f"offline-banner{path.replace('/', '-')}")
    assert not page.is_visible("#offline-banner")
    assert OFFLINE_EN not in page.inner_text("body")
    context.close()


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_offline_promise_stays_for_an_officer(world, live_server, browser, language):
    from tests.browser.conftest import PHONE
    User.update(language=language).where(User.id == world["officer"].id).execute()
    context = browser.new_context(service_workers="block", **PHONE)
    page = context.new_page()
    login(page, live_server, world["officer"])
    context.set_offline(True)
    page.evaluate("window.dispatchEvent(new Event('offline'))")
    page.wait_for_selector("#offline-banner", state="visible")
    words = {"en": OFFLINE_EN, "es": "Sin conexión"}[language]
    assert page.inner_text("#offline-banner") != ""
    if language == "en":
        assert words in page.inner_text("#offline-banner")
    context.close()


def test_enter_in_find_on_the_caseload_shows_the_page_its_address_names(world, live_server, phone):
    school = world["school_a"]
    factories.gen_case(factories.gen_student(school, first="Liam", last="OBrien"), world["officer"])
    page = phone.new_page()
    login(page, live_server, world["officer"])
    page.fill("#q", "obrien")
    page.press("#q", "Enter")
    page.wait_for_url("**/students?q=obrien")
    page.wait_for_load_state("networkidle")
    title, current = page.title(), page.locator("header nav [aria-current=page]").inner_text()
    assert title.startswith("Find a student") and current == "Find"  # the page the address names
    page.reload()
    assert (page.title(), page.locator("header nav [aria-current=page]").inner_text()) == (title, current)
    assert page.locator("#results li").count() == 1
