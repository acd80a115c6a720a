"""Offline first, in real Chromium on a phone-sized screen: the installable app,
pages kept on the phone, the outbox, and sync that loses nothing and doubles nothing."""
import json
import re

import pytest

from fieldapp.models import Contact
from tests.browser.conftest import login, shot

ROWS = "select count(*) from contact"


def ready_offline(page):
    """Wait until the service worker controls the page and the caseload is kept."""
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null",
                           timeout=15000)
    page.wait_for_function("document.documentElement.dataset.pagesKept", timeout=20000)


def outbox(page):
    return page.evaluate("FieldOutbox.all()")


def contacts_of(case):
    return list(Contact.select().where(Contact.case == case).order_by(Contact.id))


def log_contact_on_form(page, notes, outcome="notice_at_door"):
    page.select_option("#outcome", outcome)
    page.fill("#notes", notes)
    page.click("form.contact-form button[type=submit]")


@pytest.fixture
def officer_page(world, live_server, phone):
    page = phone.new_page()
    login(page, live_server, world["officer"])
    ready_offline(page)
    return page


def test_manifest_is_valid_and_service_worker_controls_the_page(officer_page, live_server):
    page = officer_page
    cdp = page.context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == [], manifest["errors"]
    body = json.loads(manifest["data"])
    assert body["display"] == "standalone" and body["start_url"] == "/"
    sizes = {(i["sizes"], i.get("purpose", "any")) for i in body["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    # A test browser context is incognito-like; every other install criterion must hold.
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert [e["errorId"] for e in errors if e["errorId"] != "in-incognito"] == []
    state = page.evaluate("navigator.serviceWorker.ready.then(r => [r.active.state, r.scope])")
    assert state == ["activated", f"{live_server}/"]
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL") == f"{live_server}/sw.js"


def test_caseload_and_student_page_load_offline_and_say_so(officer_page, live_server, world):
    page = officer_page
    page.context.set_offline(True)
    page.goto(f"{live_server}/caseload")
    assert "My caseload" in page.inner_text("h1")
    banner = page.locator("#offline-banner")
    assert banner.is_visible() and "Offline copy saved on this phone" in banner.inner_text()
    assert re.search(r"\((just now|\d+ min ago)\)", banner.inner_text())
    shot(page, "offline-caseload")
    page.click(f"a[href='/students/{world['student_a'].id}']")
    page.wait_for_url(f"**/students/{world['student_a'].id}")
    assert "María García" in page.inner_text("h1")
    assert "(555) 201-3344" in page.inner_text("main")
    assert "Offline copy" in page.inner_text("#offline-banner")
    page.goto(f"{live_server}/students/{world['student_b'].id}")
    assert "No connection" in page.inner_text("h1")  # not on this officer's caseload
