"""The app with JavaScript switched off, in real Chromium at phone size: plain
forms and links do the whole job that HTMX only speeds up."""
import pytest

from tests.browser.conftest import PHONE, login, shot


@pytest.fixture
def phone_without_js(browser):
    context = browser.new_context(java_script_enabled=False, **PHONE)
    yield context
    context.close()


def test_officer_searches_logs_a_contact_and_sees_it_without_javascript(world, live_server,
                                                                        phone_without_js):
    page = phone_without_js.new_page()
    login(page, live_server, world["officer"])
    # Without JS the look-up shows its own Search button; the form is a plain GET.
    page.fill("#q", "garcia maria")
    page.click("search button[type=submit]")
    page.wait_for_url("**/students?q=garcia+maria")
    shot(page, "nojs-search")
    page.click("#results a:has-text('García, María')")
    page.wait_for_url("**/students/*")
    page.click("text=Home visit")
    page.wait_for_url("**/contacts/new*")
    page.select_option("#outcome", "reached_parent")
    page.click("fieldset.chips label:has-text('Illness')")
    page.fill("#notes", "Grandmother answered; María has the flu.")
    page.click("form.contact-form button[type=submit]")
    page.wait_for_url("**/students/*")
    timeline = page.inner_text("#timeline")
    assert "Grandmother answered; María has the flu." in timeline
    assert "Illness" in timeline
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "nojs-after-save")


def test_validation_without_javascript_keeps_what_was_typed(world, live_server, phone_without_js):
    page = phone_without_js.new_page()
    login(page, live_server, world["officer"])
    page.goto(f"{live_server}/cases/{world['case_a'].id}/contacts/new?method=phone")
    page.select_option("#outcome", "voicemail")
    page.fill("#notes", "Left a message in Spanish.")
    page.fill("#follow_up_on", "1999-01-01")
    page.click("form.contact-form button[type=submit]")
    page.wait_for_selector("#follow_up_on-error")
    assert page.locator("#follow_up_on + small.error").is_visible()
    assert page.input_value("#notes") == "Left a message in Spanish."
    shot(page, "nojs-contact-error")
