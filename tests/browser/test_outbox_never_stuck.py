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
