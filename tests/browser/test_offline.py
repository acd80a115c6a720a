"""Offline first, in real Chromium on a phone-sized screen: the installable app,
pages kept on the phone, the outbox, and sync that loses nothing and doubles nothing."""
import io
import json
import re
import socket
import threading
import time

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from fieldapp.models import Contact
from tests.browser.conftest import login, shot



def ready_offline(page, worker_within=15000):
    """Wait until the service worker controls the page and the caseload is kept."""
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null",
                           timeout=worker_within)
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
    expect(banner).to_contain_text("Offline. This is the copy saved on this phone")
    assert re.search(r"\((just now|\d+ min ago)\)", banner.inner_text())
    shot(page, "offline-caseload")
    page.click(f"a[href='/students/{world['student_a'].id}']")
    page.wait_for_url(f"**/students/{world['student_a'].id}")
    assert "María García" in page.inner_text("h1")
    assert "(555) 201-3344" in page.inner_text("main")
    expect(page.locator("#offline-banner")).to_contain_text("copy saved on this phone")
    page.goto(f"{live_server}/students/{world['student_b'].id}")
    assert "No connection" in page.inner_text("h1")  # not on this officer's caseload


def save_offline_contacts(page, live_server, case, notes_list):
    """Open the kept contact form from the student page and save each contact on the phone."""
    for notes in notes_list:
        page.goto(f"{live_server}/students/{case.student_id}")
        page.click("text=Home visit")
        page.wait_for_selector("form.contact-form")
        log_contact_on_form(page, notes)
        page.wait_for_selector(".saved-on-phone")
        assert "Saved on this phone — waiting to sync" in page.inner_text(".saved-on-phone")
        shot(page, "saved-on-phone")


def wait_until(page, script, timeout=30):
    """Poll an async script in the page until it answers something truthy."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(script):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {script}"
        page.wait_for_timeout(250)


def wait_for_receipts(page, count, timeout=30):
    wait_until(page, f"FieldOutbox.all().then(es => es.filter(e => e.state === 'synced').length >= {count})",
               timeout)


def test_contacts_saved_offline_survive_a_reload_and_land_once(officer_page, live_server, world):
    page, case = officer_page, world["case_a"]
    before = len(contacts_of(case))
    page.context.set_offline(True)
    notes = ["Visit one: nobody home.", "Visit two: left a notice.", "Visit three: neighbour spoke."]
    save_offline_contacts(page, live_server, case, notes)
    assert page.inner_text("[data-outbox-count]") == "3"
    page.goto(f"{live_server}/outbox")
    page.reload()
    page.wait_for_selector("#outbox-list li")
    assert "3 entries waiting on this phone" in page.inner_text("#outbox-summary")
    assert page.locator("#outbox-list li[data-state=waiting]").count() == 3
    shot(page, "outbox-offline")
    assert len(contacts_of(case)) == before
    page.context.set_offline(False)
    wait_for_receipts(page, 3)
    page.wait_for_function("document.querySelector('#outbox-summary').textContent.startsWith('Nothing waits')")
    stored = [c for c in contacts_of(case) if c.notes in notes]
    assert sorted(c.notes for c in stored) == sorted(notes)
    assert len(contacts_of(case)) == before + 3
    assert all(c.author_id == world["officer"].id for c in stored)
    receipts = page.inner_text("#outbox-list")
    for contact in stored:
        assert f"Receipt: contact #{contact.id}" in receipts
    assert page.locator("[data-outbox-count]").is_hidden()
    shot(page, "outbox-synced")


class FailFirstSync:
    """The app behind a network that fails the first batch of entries synced once armed:
    "500" answers it with a server error, "lost" lets the server store it and
    then drops the connection, so the phone never hears back. Later batches
    pass. It stands in front of the server rather than in the browser, since
    either the page or the service worker's Background Sync may send the batch,
    and the browser's request routing does not always see the worker's."""

    def __init__(self, app):
        self.app, self.how, self.calls, self.failed = app, None, [], False

    def __call__(self, environ, start_response):
        if not (self.how and environ["REQUEST_METHOD"] == "POST" and environ["PATH_INFO"] == "/api/sync"):
            return self.app(environ, start_response)
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        self.calls.append(json.loads(body or b"null"))
        if self.failed or not (self.calls[-1] or {}).get("entries"):
            return self.app(environ, start_response)
        self.failed = True
        if self.how == "500":
            start_response("500 INTERNAL SERVER ERROR", [("Content-Type", "application/json")])
            return [b'{"error": "Something went wrong"}']
        answer = self.app(environ, lambda *args: None)  # the server stores the batch...
        b"".join(answer)
        getattr(answer, "close", lambda: None)()
        environ["werkzeug.socket"].shutdown(socket.SHUT_RDWR)  # ...and the phone never hears back
        start_response("500 INTERNAL SERVER ERROR", [])
        return []


@pytest.fixture
def failing_sync_server(app):
    """(address, FailFirstSync) of the app served behind a network that can fail a sync."""
    network = FailFirstSync(app)
    server = make_server("127.0.0.1", 0, network, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", network
    server.shutdown()
    thread.join(5)


@pytest.mark.parametrize("how", ["500", "lost"])
def test_failed_or_lost_sync_is_retried_and_lands_exactly_once(failing_sync_server, phone, world, how):
    (live_server, network), case = failing_sync_server, world["case_a"]
    page = phone.new_page()
    login(page, live_server, world["officer"])
    ready_offline(page)
    before = len(contacts_of(case))
    page.context.set_offline(True)
    notes = [f"{how}: first", f"{how}: second", f"{how}: third"]
    save_offline_contacts(page, live_server, case, notes)
    page.goto(f"{live_server}/outbox")
    network.how = how
    page.context.set_offline(False)
    wait_for_receipts(page, 3)
    # The first batch failed on its way; whichever sender tried again (the
    # page's timer or the service worker's Background Sync) got the receipts.
    failed = [c for c in network.calls if c and c.get("entries")][0]
    assert len(failed["entries"]) == 3
    assert len(contacts_of(case)) == before + 3
    if how == "lost":  # stored the first time, so the resend was answered as duplicates
        assert all(e["duplicate"] for e in outbox(page) if e["state"] == "synced")
    assert sorted(c.notes for c in contacts_of(case) if c.notes in notes) == sorted(notes)
    page.wait_for_function("document.querySelector('#outbox-summary').textContent.startsWith('Nothing waits')")
    assert page.locator("#outbox-list li[data-state=synced]").count() == 3


def test_invalid_entry_stays_marked_needs_attention_while_the_others_land(officer_page, live_server, world):
    page, case = officer_page, world["case_a"]
    before = len(contacts_of(case))
    page.context.set_offline(True)
    save_offline_contacts(page, live_server, case, ["Fine one."])
    page.goto(f"{live_server}/students/{case.student_id}")
    page.click("text=Home visit")
    page.wait_for_selector("form.contact-form")
    page.fill("#follow_up_on", "2020-01-01")  # before the visit: the server refuses it
    log_contact_on_form(page, "Follow-up typed wrong.")
    page.wait_for_selector(".saved-on-phone")
    save_offline_contacts(page, live_server, case, ["Fine two."])
    page.goto(f"{live_server}/outbox")
    page.context.set_offline(False)
    wait_for_receipts(page, 2)
    page.wait_for_selector("#outbox-list li[data-state=attention]")
    assert sorted(c.notes for c in contacts_of(case)[before:]) == ["Fine one.", "Fine two."]
    item = page.locator("#outbox-list li[data-state=attention]")
    assert "Needs attention" in item.inner_text()
    assert "The follow-up date must be on or after the contact." in item.inner_text()
    assert page.inner_text("#outbox-summary") == "1 entry needs attention."
    shot(page, "outbox-attention")
    item.locator("text=Fix and resend").click()
    page.wait_for_selector("form.contact-form[data-outbox-uuid]")
    assert "The follow-up date must be on or after the contact." in page.inner_text("form.contact-form")
    page.fill("#follow_up_on", "")
    page.click("form.contact-form button[type=submit]")
    page.wait_for_selector(".saved-on-phone")
    page.goto(f"{live_server}/outbox")
    wait_for_receipts(page, 3)
    assert "Follow-up typed wrong." in [c.notes for c in contacts_of(case)]
    assert len(contacts_of(case)) == before + 3


def test_an_entry_not_sent_yet_is_changed_on_the_phone_and_lands_once_as_changed(
        officer_page, live_server, world):
    page, case = officer_page, world["case_a"]
    before = len(contacts_of(case))
    page.context.set_offline(True)
    save_offline_contacts(page, live_server, case, ["Nobody home."])
    page.goto(f"{live_server}/outbox")
    item = page.locator("#outbox-list li[data-state=waiting]")
    item.wait_for()
    shot(page, "outbox-waiting-change")
    item.locator("text=Change before it is sent").click()
    form = page.locator("form.contact-form[data-outbox-uuid]")
    form.wait_for()
    assert "has not left this phone yet" in form.inner_text()
    shot(page, "outbox-entry-being-changed")
    assert page.input_value("#notes") == "Nobody home." and page.input_value("#outcome") == "notice_at_door"
    # While it is being changed, the old version is held back from any sync.
    assert [e["state"] for e in outbox(page)] == ["editing"]
    page.select_option("#outcome", "reached_parent")
    page.fill("#notes", "Mother came to the door after all.")
    page.click("form.contact-form button[type=submit]")
    page.wait_for_selector(".saved-on-phone")
    entries = outbox(page)
    assert [(e["state"], e["notes"]) for e in entries] == [("waiting", "Mother came to the door after all.")]
    page.goto(f"{live_server}/outbox")
    page.context.set_offline(False)
    wait_for_receipts(page, 1)
    landed = contacts_of(case)[before:]
    assert [(c.outcome, c.notes) for c in landed] == [("reached_parent", "Mother came to the door after all.")]
    assert str(landed[0].uuid) == entries[0]["uuid"]
    # Once it has left the phone, the outbox no longer offers to change it.
    synced = page.locator("#outbox-list li[data-state=synced]")
    expect(synced).to_have_count(1)
    assert synced.locator("text=Change before it is sent").count() == 0
    page.goto(f"{live_server}/cases/{case.id}/contacts/new?outbox={entries[0]['uuid']}")
    expect(page.locator("form.contact-form")).to_contain_text("has left this phone already")
    assert page.locator("form.contact-form[data-outbox-uuid]").count() == 0


def kept_on_phone(page):
    return page.evaluate("""async () => {
        const names = await caches.keys();
        let pages = 0;
        for (const name of names) pages += (await (await caches.open(name)).keys()).length;
        const entries = await FieldOutbox.all();
        const owner = await FieldOutbox.meta('pages_owner');
        return {caches: names, cached: pages, entries: entries.length, owner: owner || null};
    }""")


def test_logout_warns_then_wipes_cached_records_and_outbox(officer_page, live_server, world):
    page, case = officer_page, world["case_a"]
    page.context.set_offline(True)
    save_offline_contacts(page, live_server, case, ["Not sent before logout."])
    page.context.route("**/api/sync", lambda route: route.fulfill(status=503, body="{}"))
    page.context.set_offline(False)
    page.goto(f"{live_server}/caseload")
    before = kept_on_phone(page)
    assert before["cached"] > 0 and before["entries"] == 1
    page.click("text=Log out")
    dialog = page.locator("#logout-dialog")
    dialog.wait_for(state="visible")
    assert "1 entry has not reached the server yet." in dialog.inner_text()
    shot(page, "logout-warning")
    dialog.locator("[data-logout-sync]").click()  # the server still fails: nothing is lost
    page.wait_for_function("document.querySelector('[data-logout-status]').textContent.includes('could not be sent')")
    dialog.locator("[data-logout-anyway]").click()
    page.wait_for_url("**/login")
    kept = kept_on_phone(page)
    assert "fieldapp-pages" not in kept["caches"] and kept["cached"] == 0
    assert kept["entries"] == 0 and kept["owner"] is None
    # Nothing of the student is left to serve offline.
    assert page.evaluate(f"caches.match('/students/{case.student_id}', {{ignoreVary: true}})") is None


def test_entries_wait_for_a_new_login_when_the_session_expired_offline(officer_page, live_server, world):
    page, case = officer_page, world["case_a"]
    before = len(contacts_of(case))
    page.context.set_offline(True)
    save_offline_contacts(page, live_server, case, ["Logged before the session ended."])
    page.context.clear_cookies()  # the session ends while the phone is offline
    page.context.set_offline(False)
    page.goto(f"{live_server}/outbox")
    page.wait_for_url(lambda url: "/login" in url)
    alert = page.locator("#sync-alert")
    alert.wait_for(state="visible")
    assert "1 entry waits on this phone" in alert.inner_text()
    assert len(contacts_of(case)) == before
    page.fill("#email", world["officer"].email)
    from tests.factories import PASSWORD
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
    wait_until(page, "FieldOutbox.unsent(null).then(u => u.length === 0)")
    stored = contacts_of(case)
    assert len(stored) == before + 1
    assert stored[-1].notes == "Logged before the session ended."
    assert stored[-1].author_id == world["officer"].id
