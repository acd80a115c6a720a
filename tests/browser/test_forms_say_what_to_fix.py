"""What to fix is said by the server, next to the field, in the officer's language:
the browser's own bubbles (English on a Spanish screen, gone in seconds) never
stop a form. And a page that shows an error keeps an address that reloads."""
from fieldapp.models import Contact, Letter, User
from tests import documents_support as support
from tests.browser.conftest import login, shot
from tests.browser.test_offline import ready_offline


def _spanish(officer):
    User.update(language="es").where(User.id == officer.id).execute()


def test_an_empty_required_field_is_said_in_spanish_by_the_server(world, live_server, phone):
    _spanish(world["officer"])
    page = phone.new_page()
    login(page, live_server, world["officer"])
    before = Contact.select().count()
    page.goto(f"{live_server}/cases/{world['case_a'].id}/contacts/new?method=phone")
    assert page.evaluate("document.querySelector('form.contact-form').noValidate")
    page.click("form.contact-form button[type=submit]")  # no outcome chosen
    page.wait_for_selector("#outcome-error")
    assert page.inner_text("#outcome-error") == "Elija una opción en «Resultado»."
    assert page.get_attribute("#outcome", "aria-invalid") == "true"
    assert Contact.select().count() == before
    shot(page, "es-contact-empty-outcome")


def test_offline_the_phone_says_the_servers_words_and_keeps_nothing_half_filled(world, live_server, phone):
    _spanish(world["officer"])
    page = phone.new_page()
    login(page, live_server, world["officer"])
    ready_offline(page)
    page.context.set_offline(True)
    page.goto(f"{live_server}/cases/{world['case_a'].id}/contacts/new?method=phone")
    page.wait_for_selector("form.contact-form")
    page.fill("#notes", "Nadie contestó.")
    page.click("form.contact-form button[type=submit]")
    page.wait_for_selector("#outcome-error")
    assert page.inner_text("#outcome-error") == "Elija una opción en «Resultado»."
    assert page.input_value("#notes") == "Nadie contestó."
    assert page.evaluate("FieldOutbox.all()") == []
    shot(page, "es-offline-empty-outcome")
    page.select_option("#outcome", "no_answer")
    page.click("form.contact-form button[type=submit]")
    page.wait_for_selector(".saved-on-phone")
    assert len(page.evaluate("FieldOutbox.all()")) == 1


def test_record_sending_with_an_error_reloads_to_the_letter_not_to_not_allowed(world, live_server, phone):
    _spanish(world["officer"])
    letter = support.gen_issued_letter(world["case_a"], world["officer"])
    page = phone.new_page()
    login(page, live_server, world["officer"])
    page.goto(f"{live_server}/documents/{letter.document_id}")
    page.click("form.sent-form button[type=submit]")  # how it was sent: not chosen
    page.wait_for_selector("#sent_how-error")
    assert page.inner_text("#sent_how-error") == "Elija una opción en «Cómo se envió»."
    shot(page, "es-record-sending-error")
    assert page.url == f"{live_server}/documents/{letter.document_id}"
    page.reload()
    page.wait_for_load_state("networkidle")
    assert "No permitido" not in page.inner_text("main")
    assert page.locator("form.sent-form").count() == 1
    assert Letter.get_by_id(letter.id).sent_at is None
