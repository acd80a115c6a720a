"""The contact form on a 390x844 phone offers only the outcomes the chosen
method can have, and the server says so if a pair that does not fit arrives."""
from fieldapp.models import Contact
from tests.browser.conftest import login, shot


def _offered(page):
    return page.eval_on_selector_all(
        "#outcome option", "os => os.filter(o => o.value && !o.hidden && !o.disabled).map(o => o.value)")


def test_a_phone_call_does_not_offer_a_notice_left_at_the_door(world, live_server, phone):
    page = phone.new_page()
    login(page, live_server, world["officer"])
    page.goto(f"{live_server}/cases/{world['case_a'].id}/contacts/new")
    page.check("input[name=method][value=phone]")
    offered = _offered(page)
    assert "voicemail" in offered and "notice_at_door" not in offered and "letter_issued" not in offered
    page.check("input[name=method][value=home_visit]")
    page.select_option("#outcome", "notice_at_door")
    page.check("input[name=method][value=phone]")
    assert page.input_value("#outcome") == ""  # an outcome that no longer fits is cleared
    shot(page, "contact-form-phone-outcomes")


def test_the_server_names_an_outcome_that_does_not_fit(world, live_server, phone):
    page = phone.new_page()
    login(page, live_server, world["officer"])
    page.goto(f"{live_server}/cases/{world['case_a'].id}/contacts/new")
    before = Contact.select().count()
    page.check("input[name=method][value=phone]")
    # As a page without the script would send it.
    page.eval_on_selector("#outcome", "s => { for (const o of s.options) { o.hidden = o.disabled = false; } "
                                      "s.value = 'notice_at_door'; }")
    page.fill("#notes", "Rang the mother.")
    page.click("form.contact-form button[type=submit]")
    page.wait_for_selector("#outcome-error")
    assert "is not an outcome of" in page.inner_text("#outcome-error")
    assert page.input_value("#notes") == "Rang the mother."  # nothing typed is lost
    assert Contact.select().count() == before
