"""Paths that used to lose or freeze an officer's work, in real Chromium on a phone:
a batch the server refuses whole, an entry left half-edited, a phone whose storage
refuses a write, logging out from any screen or with no signal, Back and Forward."""
import uuid

import pytest
from playwright.sync_api import expect

from fieldapp.models import Contact
from tests.browser.conftest import shot
from tests.browser.test_offline import (contacts_of, officer_page, outbox,  # noqa: F401 (fixture)
                                        save_offline_contacts, wait_for_receipts, wait_until)


def put_entry(page, entry):
    page.evaluate("e => FieldOutbox.put(e).then(() => true)", entry)


def queued_entry(world, notes, **fields):
    case, officer = world["case_a"], world["officer"]
    return {"uuid": str(uuid.uuid4()), "user_id": officer.id, "case_id": case.id,
            "method": "home_visit", "outcome": "notice_at_door", "reasons": [],
            "people_present": [], "notes": notes, "follow_up_on": "", "interpreter_used": False,
            "language": "", "siblings": [], "latitude": None, "longitude": None,
            "occurred_at": "2026-01-01T00:00:00+00:00", "saved_at": "2000-01-01T00:00:00.000Z",
            "state": "waiting", "form_url": f"/cases/{case.id}/contacts/new",
            "student_url": f"/students/{case.student_id}", "student_name": "María García",
            "method_label": "Home visit", **fields}


@pytest.mark.parametrize("how", ["unreadable", "server_fault"])
def test_an_entry_the_server_refuses_whole_is_split_off_and_the_others_land(
        officer_page, live_server, world, how):
    page, case = officer_page, world["case_a"]
    before = len(contacts_of(case))
    page.context.set_offline(True)
    notes = ["Good one.", "Good two.", "Good three."]
    save_offline_contacts(page, live_server, case, notes)
    bad = queued_entry(world, "Bad one.")
    if how == "unreadable":  # lists within lists, deeper than the server reads
        page.evaluate("""e => { let v = 'x'; for (let i = 0; i < 2000; i++) v = [v];
                                 e.notes = v; return FieldOutbox.put(e).then(() => true); }""", bad)
    else:  # a fault of the server's own whenever this entry is in the batch
        put_entry(page, bad)
        page.context.route("**/api/sync", lambda route: route.fulfill(
            status=500, content_type="application/json", body='{"error": "Internal Server Error"}')
            if bad["uuid"] in (route.request.post_data or "") else route.continue_())
    page.goto(f"{live_server}/outbox")
    page.context.set_offline(False)
    wait_for_receipts(page, 3)
    stuck = page.locator(f"#outbox-list li[data-uuid='{bad['uuid']}']")
    expect(stuck).to_have_attribute("data-state", "attention")
    status = "400" if how == "unreadable" else "500"
    expect(stuck).to_contain_text(f"The server could not take this entry (it answered {status})")
    assert sorted(c.notes for c in contacts_of(case)[before:]) == sorted(notes)
    assert page.inner_text("#outbox-summary") == "1 entry needs attention."
    shot(page, f"outbox-split-{how}")


def kept(page):
    return page.evaluate("""async () => {
        const names = await caches.keys();
        let pages = 0;
        for (const name of names) {
            if (name.startsWith('fieldapp-shell-') || name === 'fieldapp-lock') continue;
            pages += (await (await caches.open(name)).keys()).length;
        }
        return {pages: pages, entries: (await FieldOutbox.all()).length};
    }""")


@pytest.mark.parametrize("screen", ["saved_on_phone", "fragment_swapped_into_main"])
def test_log_out_warns_about_unsent_entries_whatever_fragment_is_on_screen(
        officer_page, live_server, world, screen):
    page, case = officer_page, world["case_a"]
    page.context.set_offline(True)
    save_offline_contacts(page, live_server, case, ["First unsent visit.", "Second unsent visit."])
    if screen == "fragment_swapped_into_main":
        # Entries that need attention wait too, and no sync sends them meanwhile.
        page.evaluate("""FieldOutbox.all().then(es => Promise.all(es.map(e => {
            e.state = 'attention'; e.errors = {outcome: 'Choose the outcome.'};
            return FieldOutbox.put(e); }))).then(() => true)""")
        # A part of a page swapped into <main>: it carries none of the page's sync pieces.
        page.context.set_offline(False)
        page.goto(f"{live_server}/caseload")
        page.evaluate("htmx.ajax('GET', '/students?q=Garc', {target: 'main', swap: 'innerHTML'})")
        page.wait_for_function("!document.querySelector('main #fieldapp-sync')")
    page.click("text=Log out")
    dialog = page.locator("#logout-dialog")
    dialog.wait_for(state="visible")
    assert "2 entries have not reached the server yet." in dialog.inner_text()
    shot(page, f"logout-warning-{screen}")
    dialog.locator("[data-logout-cancel]").click()
    assert len(page.evaluate("FieldOutbox.unsent(null)")) == 2  # staying keeps them
    assert "/login" not in page.url


def test_log_out_with_no_signal_locks_the_phone_and_ends_the_session_when_back_online(
        officer_page, live_server, world):
    page, student = officer_page, world["student_a"]
    page.goto(f"{live_server}/caseload")
    page.context.set_offline(True)
    page.click("text=Log out")
    page.wait_for_selector("#phone-locked")
    assert "Logged out on this phone" in page.inner_text("h1")
    assert kept(page) == {"pages": 0, "entries": 0}
    shot(page, "logged-out-offline")
    # Any page opened while locked is the lock page, never a record.
    page.goto(f"{live_server}/students/{student.id}")
    page.wait_for_selector("#phone-locked")
    assert "García" not in page.inner_text("body")
    # Back online: the session is ended on the server before anything opens.
    page.context.set_offline(False)
    page.wait_for_url("**/login", timeout=20000)
    assert page.context.request.get(f"{live_server}/api/sync/session").status == 401
    page.goto(f"{live_server}/students/{student.id}")
    page.wait_for_url(lambda url: "/login" in url)
    assert "García" not in page.inner_text("main")


def test_a_change_left_without_saving_waits_again_and_is_sent(officer_page, live_server, world):
    page, case = officer_page, world["case_a"]
    before = len(contacts_of(case))
    page.context.set_offline(True)
    save_offline_contacts(page, live_server, case, ["Nobody home."])
    page.goto(f"{live_server}/outbox")
    page.locator("#outbox-list li[data-state=waiting]").wait_for()
    page.click("text=Change before it is sent")
    page.wait_for_selector("form.contact-form[data-outbox-uuid]")
    assert [e["state"] for e in outbox(page)] == ["editing"]
    page.fill("#notes", "Half typed, then")
    page.go_back()  # leaves the form without saving
    page.wait_for_selector("#outbox-list li")
    expect(page.locator("#outbox-list li")).to_have_attribute("data-state", "waiting")
    assert [(e["state"], e["notes"]) for e in outbox(page)] == [("waiting", "Nobody home.")]
    page.context.set_offline(False)
    wait_for_receipts(page, 1)
    assert [c.notes for c in contacts_of(case)[before:]] == ["Nobody home."]


def test_a_change_whose_page_crashed_waits_again_once_its_hold_lapses(officer_page, live_server, world):
    page, case = officer_page, world["case_a"]
    page.context.set_offline(True)
    save_offline_contacts(page, live_server, case, ["Nobody home."])
    uuid_ = outbox(page)[0]["uuid"]
    page.goto(f"{live_server}/cases/{case.id}/contacts/new?outbox={uuid_}")
    page.wait_for_selector("form.contact-form[data-outbox-uuid]")
    assert [e["state"] for e in outbox(page)] == ["editing"]
    other = page.context.new_page()
    page.close(run_before_unload=False)
    other.goto(f"{live_server}/outbox")
    other.locator("#outbox-list li").wait_for()
    wait_until(other, "FieldOutbox.all().then(es => es[0].state === 'waiting')", timeout=40)


def test_a_phone_that_refuses_to_store_a_contact_says_so_and_keeps_what_was_typed(
        officer_page, live_server, world):
    page, case = officer_page, world["case_a"]
    before = len(contacts_of(case))
    page.context.set_offline(True)
    page.goto(f"{live_server}/students/{case.student_id}")
    page.click("text=Home visit")
    page.wait_for_selector("form.contact-form")
    page.evaluate("""() => { IDBObjectStore.prototype.put = function () {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); }; }""")
    page.select_option("#outcome", "notice_at_door")
    page.fill("#notes", "Left a notice; the aunt will call back.")
    page.click("form.contact-form button[type=submit]")
    alert = page.locator("form.contact-form .not-saved")
    alert.wait_for()
    assert "Not saved on this phone" in alert.inner_text()
    assert "its storage is full" in alert.inner_text()
    assert "Everything you typed is still here" in alert.inner_text()
    assert page.input_value("#notes") == "Left a notice; the aunt will call back."
    assert page.input_value("#outcome") == "notice_at_door"
    assert page.locator(".saved-on-phone").count() == 0
    shot(page, "not-saved-on-phone")
    assert len(contacts_of(case)) == before


@pytest.mark.parametrize("arrival", ["full_page", "boosted"])
def test_back_and_forward_after_an_online_save_show_the_page_the_address_names(
        world, live_server, phone, arrival):
    from tests.browser.conftest import login
    case, student = world["case_a"], world["student_a"]
    page = phone.new_page()
    login(page, live_server, world["officer"])
    form_url = f"{live_server}/cases/{case.id}/contacts/new?method=home_visit"
    if arrival == "full_page":
        page.goto(form_url)
    else:
        page.goto(f"{live_server}/students/{student.id}")
        page.click("text=Home visit")
        page.wait_for_url("**/contacts/new*")
    page.wait_for_selector("form.contact-form")
    page.select_option("#outcome", "reached_parent")
    page.fill("#notes", "Saved online, then Back and Forward.")
    page.click("form.contact-form button[type=submit]")
    page.wait_for_url(f"**/students/{student.id}")
    expect(page.locator("main")).to_contain_text("Saved online, then Back and Forward.")
    page.go_back()
    page.wait_for_url("**/contacts/new*")
    expect(page.locator("form.contact-form")).to_be_visible()
    page.go_forward()
    page.wait_for_url(f"**/students/{student.id}")
    expect(page.locator("form.contact-form")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Saved online, then Back and Forward.")
    assert Contact.select().where(Contact.notes == "Saved online, then Back and Forward.").count() == 1


def test_every_open_case_is_kept_marked_and_found_offline(world, live_server, phone):
    from tests import factories
    from tests.browser.conftest import login
    from fieldapp.timefmt import local_today
    import datetime
    officer, school = world["officer"], world["school_a"]
    for n in range(44):  # with the world's case, 45: more than the 40 once kept
        student = factories.gen_student(school, first=f"Kid{n:02d}", last="Lopez")
        case = factories.gen_case(student, officer)
        ahead = (local_today() + datetime.timedelta(days=n + 1)).isoformat()
        factories.gen_contact(case, officer, follow_up_on=ahead)
    last = factories.gen_student(school, first="Zoë", last="Ángeles")
    factories.gen_case(last, officer)  # no follow-up: last on the caseload
    page = phone.new_page()
    login(page, live_server, officer)
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null",
                           timeout=30000)
    page.wait_for_function("document.documentElement.dataset.pagesKept", timeout=120000)
    page.context.set_offline(True)
    page.goto(f"{live_server}/caseload")
    expect(page.locator("#kept-summary")).to_contain_text("All 46 students of your open cases are kept")
    expect(page.locator("ul[data-kept-markers] .kept-marker")).to_have_count(46)
    shot(page, "caseload-kept-markers")
    page.fill("#q", "ange")
    expect(page.locator("#results")).to_contain_text("Ángeles, Zoë")
    expect(page.locator("#results")).to_contain_text("only the students kept on this phone")
    shot(page, "find-offline")
    page.click("#results a:has-text('Ángeles, Zoë')")
    page.wait_for_url(f"**/students/{last.id}")
    assert "Zoë" in page.inner_text("h1")
    page.goto(f"{live_server}/students")  # Find itself is kept too
    page.fill("#q", "kid43")
    expect(page.locator("#results")).to_contain_text("Lopez, Kid43")


def test_a_refresh_of_the_kept_copy_fetches_only_what_changed(officer_page, live_server, world):
    from tests import factories
    page, case = officer_page, world["case_a"]
    fetched = []
    page.on("request", lambda r: fetched.append((r.url, r.headers.get("if-none-match")))
            if r.headers.get("x-offline-copy") or "/api/sync/offline-pages" in r.url else None)

    def refresh_now():
        fetched.clear()
        page.evaluate("FieldOutbox.meta('pages_at', 1).then(() => true)")  # as if 20 minutes had passed
        page.evaluate("delete document.documentElement.dataset.pagesKept")
        page.reload()
        page.wait_for_function("document.documentElement.dataset.pagesKept", timeout=60000)
        return [url.replace(live_server, "") for url, _ in fetched]

    assert refresh_now() == ["/api/sync/offline-pages"]  # unchanged: one 304, no page
    assert fetched[0][1]  # asked with the ETag of the last list
    factories.gen_contact(case, world["officer"], notes="Visit logged at the desk.")
    again = refresh_now()
    assert sorted(again) == sorted(["/api/sync/offline-pages", "/caseload", "/students",
                                    f"/students/{case.student_id}", f"/cases/{case.id}/contacts/new"])
    page.context.set_offline(True)
    page.goto(f"{live_server}/students/{case.student_id}")
    expect(page.locator("main")).to_contain_text("Visit logged at the desk.")


def test_the_kept_summary_counts_every_student_kept_not_only_this_page(world, live_server, phone):
    from tests import factories
    from tests.browser.conftest import login
    from fieldapp.web.sync import CASELOAD_PAGE
    officer, school = world["officer"], world["school_a"]
    for n in range(CASELOAD_PAGE + 4):  # with the world's case, a caseload of two pages
        factories.gen_case(factories.gen_student(school, first=f"Kid{n:02d}", last="Ruiz"), officer)
    page = phone.new_page()
    login(page, live_server, officer)
    page.wait_for_function("document.documentElement.dataset.pagesKept", timeout=120000)
    page.goto(f"{live_server}/caseload")
    total = CASELOAD_PAGE + 5
    expect(page.locator("#kept-summary")).to_contain_text(f"All {total} students of your open cases")
    expect(page.locator("ul[data-kept-markers] .kept-marker")).to_have_count(CASELOAD_PAGE)


def test_a_part_of_a_page_loaded_into_it_does_not_check_the_kept_copy_again(officer_page, live_server):
    """The caseload loads its plan reviews into itself (HTMX): each such load used to
    queue one more check of the kept pages, which could start after the page's own check
    had finished and fetch the list and pages a second time."""
    page = officer_page
    page.wait_for_function("document.documentElement.dataset.pagesKept", timeout=60000)
    checks = []
    page.on("request", lambda r: checks.append(r.url) if "/api/sync/offline-pages" in r.url else None)
    page.evaluate("FieldOutbox.meta('pages_at', 1).then(() => true)")  # the copy is due a check
    page.wait_for_selector("#plan-reviews:not([hx-get])")  # the caseload's own load of it is done
    page.evaluate("document.querySelector('#plan-reviews').dataset.old = '1'")
    page.evaluate("htmx.ajax('GET', '/plans/reviews', {target: '#plan-reviews', swap: 'outerHTML'})")
    page.wait_for_selector("#plan-reviews:not([data-old])", timeout=10000)
    page.wait_for_timeout(6000)  # longer than an idle callback may wait (5 s)
    assert checks == [], "a fragment of the same page started another check of the kept pages"
    page.goto(f"{live_server}/students")  # a page of its own checks, as before
    page.wait_for_function("document.documentElement.dataset.pagesKept", timeout=60000)
    expect(page.locator("body")).to_be_visible()
    assert checks, "a new page did not check the kept pages when they were due"
