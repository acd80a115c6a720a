"""The district contact log in real Chromium: more rows as the supervisor scrolls
(HTMX), plain paged links without JavaScript, and the desktop lists using the width."""
import datetime

import pytest

from fieldapp.cases.contact_log import PAGE_SIZE
from fieldapp.models import Contact, utcnow
from tests import factories
from tests.browser.conftest import PHONE, SCREENSHOTS, login, shot

ROWS = "#log li.log-row"


@pytest.fixture
def long_log(world):
    """More contacts than one page holds; the oldest has notes we can look for."""
    case, officer = world["case_a"], world["officer"]

    def hours_ago(hours):
        return (utcnow() - datetime.timedelta(hours=hours)).isoformat() + "+00:00"
    factories.gen_contact(case, officer, occurred_at=hours_ago(24 * 300), outcome="moved",
                          reasons=["housing"])
    for hour in range(1, PAGE_SIZE + 6):
        factories.gen_contact(case, officer, outcome="no_answer", occurred_at=hours_ago(hour))
    return world


def total(world):
    return Contact.select().count()


def test_contact_log_loads_more_rows_when_scrolled_to_the_bottom(long_log, live_server, phone):
    page = phone.new_page()
    login(page, live_server, long_log["supervisor"])
    page.goto(f"{live_server}/supervisor/contacts")  # a supervisor lands on the district page
    assert page.locator(ROWS).count() == PAGE_SIZE
    page.evaluate("window.stillTheSamePage = true")
    page.locator("li.more").scroll_into_view_if_needed()
    page.wait_for_function(f"document.querySelectorAll('{ROWS}').length > {PAGE_SIZE}")
    page.mouse.wheel(0, 100000)
    page.wait_for_function(f"document.querySelectorAll('{ROWS}').length === {total(long_log)}")
    assert page.evaluate("window.stillTheSamePage") is True
    assert page.locator("li.more").count() == 0
    assert "Moved / wrong address" in page.locator(ROWS).last.inner_text()
    shot(page, "supervisor-log-scrolled")


def test_contact_log_pages_with_plain_links_without_javascript(long_log, live_server, browser):
    context = browser.new_context(java_script_enabled=False, **PHONE)
    page = context.new_page()
    login(page, live_server, long_log["supervisor"])
    page.goto(f"{live_server}/supervisor/contacts")  # a supervisor lands on the district page
    assert page.locator(ROWS).count() == PAGE_SIZE
    page.click("li.more a:has-text('Older contacts')")
    page.wait_for_url("**/supervisor/contacts?*after=*")
    assert page.locator(ROWS).count() == total(long_log) - PAGE_SIZE
    assert "Moved / wrong address" in page.locator(ROWS).last.inner_text()
    shot(page, "supervisor-log-page-2-nojs")
    # Filters are a plain GET form too, and the next page keeps them.
    page.goto(f"{live_server}/supervisor/contacts")
    page.select_option("#outcome", "no_answer")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**outcome=no_answer*")
    page.click("li.more a")
    page.wait_for_url("**after=*")
    assert "outcome=no_answer" in page.url
    assert page.locator(ROWS).count() == 5
    context.close()


def test_desktop_lists_use_the_width(long_log, live_server, browser):
    """Supervisors and front offices work at a desk: the lists read as columns."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    page = context.new_page()
    login(page, live_server, long_log["supervisor"])
    page.goto(f"{live_server}/supervisor/contacts")  # a supervisor lands on the district page
    first = page.locator(ROWS).first
    who, what = first.locator(".who").bounding_box(), first.locator(".what").bounding_box()
    assert what["x"] > who["x"] + who["width"] - 1  # side by side, not stacked
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    # The first screenful is what to look at; the whole 50-row page is slow to save.
    page.screenshot(path=f"{SCREENSHOTS}/desktop-supervisor-log.png")
    context.close()

    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    page = context.new_page()
    login(page, live_server, long_log["front"])
    assert page.locator("table.stack thead").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    shot(page, "desktop-office-list")
    context.close()
