"""Offline in Spanish, on a 390x844 phone: what the outbox script writes on the page
(the banner, the saved-on-this-phone panel, the outbox) speaks the officer's language."""
import re

import pytest
from playwright.sync_api import expect

from fieldapp.timefmt import default_zone
from tests.browser.conftest import login, shot
from tests.browser.test_offline import contacts_of, log_contact_on_form, ready_offline, wait_for_receipts


@pytest.fixture
def spanish_officer_page(world, live_server, phone):
    world["officer"].language = "es"
    world["officer"].save()
    page = phone.new_page()
    login(page, live_server, world["officer"])
    ready_offline(page)
    return page


def spanish_month(page, school):
    """This month in Spanish, on the school's clock (the one a contact's time is typed
    on): in the evening in California it is already next month in UTC."""
    zone = school.time_zone or default_zone()
    return page.evaluate("zone => new Date().toLocaleString('es', {month: 'short', timeZone: zone})", zone)


def test_an_officer_working_in_spanish_sees_the_offline_outbox_in_spanish(spanish_officer_page,
                                                                          live_server, world):
    page, case = spanish_officer_page, world["case_a"]
    page.context.set_offline(True)  # on a page that came from the server
    offline = "Está sin conexión. Los contactos que guarde se quedan en este teléfono hasta que vuelva la red."
    expect(page.locator("#offline-banner")).to_have_text(offline)
    page.goto(f"{live_server}/caseload")
    assert page.inner_text("h1").startswith("Mis casos")
    expect(page.locator("#offline-banner")).to_contain_text(  # written once the script has run
        "Sin conexión. Esta es la copia guardada en este teléfono el ")
    banner = page.inner_text("#offline-banner")
    assert re.search(r"\((hace un momento|hace \d+ min)\); no se muestra nada más reciente\.$", banner)

    page.goto(f"{live_server}/students/{case.student_id}")
    page.click("text=Visita al hogar")
    page.wait_for_selector("form.contact-form")
    log_contact_on_form(page, "Nadie en casa; aviso en la puerta.")
    panel = page.locator(".saved-on-phone")
    panel.wait_for()
    assert panel.locator("h1").inner_text() == "Guardado en este teléfono — pendiente de sincronizar"
    text = panel.inner_text()
    assert "Visita al hogar para María García, " in text and spanish_month(page, case.school) in text
    assert not re.search(r"\b[AP]M\b", text), "the time as Spanish writes it, not in English"
    assert ("Está sin conexión. Se envía cuando vuelva la red; la bandeja «Por enviar» muestra el "
            "comprobante cuando llegue.") in text
    assert panel.locator("a[role=button]").all_inner_texts() == ["Volver a María García", "Abrir «Por enviar»"]
    shot(page, "es-saved-on-phone")

    page.goto(f"{live_server}/outbox")
    page.wait_for_selector("#outbox-list li")
    expect(page.locator("#outbox-summary")).to_have_text("1 entrada en espera en este teléfono.")
    item = page.locator("#outbox-list li[data-state=waiting]")
    assert item.locator(".pill").inner_text() == "En espera"
    assert "guardada el " in item.inner_text()
    expect(page.locator("[data-outbox-count]")).to_have_attribute("aria-label", "1 entrada en espera")
    shot(page, "es-outbox-offline")

    page.goto(f"{live_server}/students/{world['student_b'].id}")  # not kept on this phone
    assert page.inner_text("h1") == "Sin conexión"

    page.context.set_offline(False)
    page.goto(f"{live_server}/outbox")
    wait_for_receipts(page, 1)
    page.wait_for_function("document.querySelector('#outbox-list li[data-state=synced]')")
    contact = contacts_of(case)[-1]
    item = page.locator("#outbox-list li[data-state=synced]")
    assert item.locator(".pill").inner_text() == "Sincronizada"
    assert f"Comprobante: contacto n.º {contact.id}, recibido el " in item.inner_text()
    assert item.locator("a").inner_text() == "Verlo en el expediente"
    expect(page.locator("#outbox-summary")).to_have_text("No hay nada pendiente en este teléfono.")
    # The time of the last sync is written once the phone has also told the server what is left (one
    # more request after the receipts): on a busy server that comes seconds after the receipts show.
    expect(page.locator("#outbox-last-sync")).to_contain_text("Última sincronización: ", timeout=20_000)
    shot(page, "es-outbox-synced")
