"""An entry waiting to try again after a failed send says so, and when: it does not
say "Sending" while nothing is being sent (English and Spanish)."""
import pytest

from fieldapp.models import User
from tests.browser.conftest import login, shot
from tests.browser.test_offline import ready_offline, wait_until

WORDS = {"en": ("Sending", "Waiting to retry"), "es": ("Enviando", "Esperando para reintentar")}


@pytest.mark.parametrize("language", ["en", "es"])
def test_an_entry_waiting_to_retry_says_so_and_when(world, live_server, phone, language):
    User.update(language=language).where(User.id == world["officer"].id).execute()
    page = phone.new_page()
    login(page, live_server, world["officer"])
    ready_offline(page)
    page.context.set_offline(True)
    page.goto(f"{live_server}/cases/{world['case_a'].id}/contacts/new?method=home_visit")
    page.select_option("#outcome", "notice_at_door")
    page.fill("#notes", "Nobody home.")
    page.click("form.contact-form button[type=submit]")
    page.wait_for_selector(".saved-on-phone")
    page.goto(f"{live_server}/outbox")
    page.context.route("**/api/sync", lambda route: route.fulfill(
        status=503, content_type="application/json", body='{"error": "busy"}'))
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_until(page, "FieldOutbox.meta('backoff').then(b => !!(b && b.attempts))")
    page.wait_for_timeout(500)
    page.reload()
    page.wait_for_selector("#outbox-list li")
    entry = page.locator("#outbox-list li").first
    shot(page, f"{language}-outbox-waiting-to-retry")
    sending, retry = WORDS[language]
    pill = entry.locator(".pill").inner_text()
    assert pill == retry, f"the entry says {pill!r}"
    assert sending not in entry.inner_text()
    assert entry.locator(".next-try").count() == 1  # and when the next try is
    assert page.evaluate("FieldOutbox.all().then(es => es.map(e => e.state))") == ["waiting"]
