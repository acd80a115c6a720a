"""An entry waiting to try again after a failed send says so, and when: it does not
say "Sending" while nothing is being sent (English and Spanish)."""
import pytest

from fieldapp.models import User
from tests.browser.conftest import PHONE, login, shot
from tests.browser.test_offline import wait_until

WORDS = {"en": ("Sending", "Waiting to retry"), "es": ("Enviando", "Esperando para reintentar")}


@pytest.mark.parametrize("language", ["en", "es"])
def test_an_entry_waiting_to_retry_says_so_and_when(world, live_server, browser, language):
    User.update(language=language).where(User.id == world["officer"].id).execute()
    # Only the page sends (no service worker, whose requests the route below would not see).
    context = browser.new_context(service_workers="block", **PHONE)
    page = context.new_page()
    login(page, live_server, world["officer"])
    page.goto(f"{live_server}/cases/{world['case_a'].id}/contacts/new?method=home_visit")
    context.set_offline(True)
    page.select_option("#outcome", "notice_at_door")
    page.fill("#notes", "Nobody home.")
    page.click("form.contact-form button[type=submit]")
    page.wait_for_selector(".saved-on-phone")
    context.route("**/api/sync", lambda route: route.fulfill(
        status=503, content_type="application/json", body='{"error": "busy"}'))
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_until(page, "FieldOutbox.meta('backoff').then(b => !!(b && b.attempts))")
    page.goto(f"{live_server}/outbox")
    # A retry may be on its way as the page opens (it then says Sending, truly): read the
    # entry while it waits between tries.
    wait_until(page, "FieldOutbox.all().then(es => es.every(e => e.state === 'waiting'))")
    page.wait_for_function("document.querySelector('#outbox-list li .next-try')")
    entry = page.locator("#outbox-list li").first
    shot(page, f"{language}-outbox-waiting-to-retry")
    sending, retry = WORDS[language]
    pill = entry.locator(".pill").inner_text()
    assert pill == retry, f"the entry says {pill!r}"
    assert sending not in entry.inner_text()
    assert entry.locator(".next-try").count() == 1  # and when the next try is
    assert page.evaluate("FieldOutbox.all().then(es => es.map(e => e.state))") == ["waiting"]
    context.close()
