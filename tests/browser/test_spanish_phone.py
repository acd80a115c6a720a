"""The screens in Spanish on a 390x844 phone: longer words must still fit, and
the choice made on the language page is what the next page speaks."""
from fieldapp.models import User
from tests.browser.conftest import login
from tests.browser.test_phone_layout import assert_fits_the_phone, district, screen  # noqa: F401


def _header_rows(page):
    """Top of the brand, of Log out, and of each menu link."""
    return page.evaluate("""s => s.map(sel => [...document.querySelectorAll(sel)].filter(e => e.offsetWidth)
        .map(e => Math.round(e.getBoundingClientRect().top)))""", [".brand", ".logout button", "header nav > *"])


def test_an_officer_picks_spanish_and_the_contact_form_fits_a_phone(district, live_server, screen):
    d, page = district, screen.new_page()
    login(page, live_server, d["officer"])
    page.goto(f"{live_server}/account/language")
    page.check("input[name=language][value=es]")
    page.click("main button[type=submit]")
    page.wait_for_selector("html[lang=es]")
    assert page.inner_text("p.flash.success") == "Idioma guardado."
    assert User.get_by_id(d["officer"].id).language == "es"
    assert_fits_the_phone(page, "es-language")

    page.goto(f"{live_server}/cases/{d['case_a'].id}/contacts/new?method=home_visit")
    assert page.inner_text("h1") == "Registrar un contacto"
    assert page.inner_text("label[for=outcome]") == "Resultado"
    assert "Visita al hogar" in page.inner_text("fieldset.segmented")
    (brand,), (logout,), menu = _header_rows(page)
    assert brand == logout and set(menu) == {menu[0]} and menu[0] > brand, "the menu keeps one row"
    assert_fits_the_phone(page, "es-contact-form")

    # What to fix, in Spanish, next to each field.
    assert page.evaluate("document.querySelector('form.contact-form').noValidate")  # no browser bubbles
    page.select_option("#outcome", "")
    page.click("form.contact-form button[type=submit]")
    page.wait_for_selector(".error-summary")
    assert page.inner_text("#outcome-error") == "Elija una opción en «Resultado»."
    assert_fits_the_phone(page, "es-contact-errors")

    for path, name in [("/caseload", "es-caseload"), (f"/students/{d['student_a'].id}", "es-student")]:
        page.goto(live_server + path)
        assert_fits_the_phone(page, name)
