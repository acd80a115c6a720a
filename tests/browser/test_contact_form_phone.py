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


def _home_visit_page(browser, live_server, world, allow):
    from tests.browser.conftest import PHONE
    context = browser.new_context(**PHONE, geolocation={"latitude": 33.95331, "longitude": -117.39617},
                                  permissions=["geolocation"] if allow else [])
    page = context.new_page()
    login(page, live_server, world["officer"])
    page.goto(f"{live_server}/cases/{world['case_a'].id}/contacts/new")
    page.check("input[name=method][value=home_visit]")
    page.select_option("#outcome", "notice_at_door")
    page.fill("#notes", "Left the notice.")
    return context, page


def test_a_home_visit_keeps_the_location_only_with_the_officers_consent(world, live_server, browser):
    context, page = _home_visit_page(browser, live_server, world, allow=True)
    page.click("form.contact-form button[type=submit]")
    page.wait_for_url(lambda url: "/contacts/new" not in url)
    contact = Contact.select().order_by(Contact.id.desc()).get()
    assert contact.latitude is None and contact.longitude is None  # box not ticked: nothing shared
    context.close()

    context, page = _home_visit_page(browser, live_server, world, allow=True)
    page.check("input[name=share_location]")
    page.wait_for_selector("[data-location-status] >> text=Location added")
    shot(page, "contact-form-location-phone")
    page.click("form.contact-form button[type=submit]")
    page.wait_for_url(lambda url: "/contacts/new" not in url)
    contact = Contact.select().order_by(Contact.id.desc()).get()
    assert (round(contact.latitude, 4), round(contact.longitude, 4)) == (33.9533, -117.3962)
    page.goto(f"{live_server}/students/{world['student_a'].id}")
    assert "33.95331, -117.39617" in page.inner_text("main")  # shown on the record
    context.close()


def test_a_refused_location_says_so_and_the_visit_still_saves(world, live_server, browser):
    context, page = _home_visit_page(browser, live_server, world, allow=False)
    page.click("input[name=share_location]")  # the phone refuses at once and the box unticks
    page.wait_for_selector("[data-location-status] >> text=Location not added")
    assert not page.is_checked("input[name=share_location]")
    page.click("form.contact-form button[type=submit]")
    page.wait_for_url(lambda url: "/contacts/new" not in url)
    assert Contact.select().order_by(Contact.id.desc()).get().latitude is None
    context.close()


def test_the_location_is_offered_on_a_home_visit_only(world, live_server, phone):
    page = phone.new_page()
    login(page, live_server, world["officer"])
    page.goto(f"{live_server}/cases/{world['case_a'].id}/contacts/new")
    page.check("input[name=method][value=phone]")
    assert not page.is_visible("input[name=share_location]")
    page.check("input[name=method][value=home_visit]")
    assert page.is_visible("input[name=share_location]")
