"""Every issue-2 screen of every role, on a 390x844 phone in real Chromium: no
sideways scrolling, tap targets of 44px, a label on every field, and text that
stays readable in sunlight (WCAG AA contrast)."""
import uuid

import pytest

from fieldapp.cases import contacts
from tests import factories
from tests.browser.conftest import PHONE, login, shot

PHONE_WIDTH = 390
MIN_TARGET = 44

# What a thumb can hit: links, buttons, fields and summaries in the page body and
# its header. A checkbox or radio is hit through the label wrapped around it.
TAP_TARGETS_JS = """() => {
  const visible = el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'; };
  const bad = [];
  for (const el of document.querySelectorAll(
      'main a[href], main button, main input:not([type=hidden]), main select, main textarea, ' +
      'main summary, header a[href], header button')) {
    if (!visible(el)) continue;
    const box = (el.matches('input[type=checkbox], input[type=radio]') && el.closest('label')) || el;
    const r = box.getBoundingClientRect();
    if (r.height < 43.5 || r.width < 43.5)
      bad.push(`${Math.round(r.width)}x${Math.round(r.height)} ${el.outerHTML.slice(0, 90)}`);
  }
  return bad;
}"""

# A field without a label is a riddle on a phone; a group of chips needs a legend.
UNLABELLED_JS = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
    const named = [...el.labels].some(l => l.textContent.trim()) || el.getAttribute('aria-label')
      || el.getAttribute('aria-labelledby');
    if (!named) bad.push(el.outerHTML.slice(0, 90));
  }
  for (const fs of document.querySelectorAll('fieldset'))
    if (!fs.querySelector(':scope > legend')?.textContent.trim()) bad.push(fs.outerHTML.slice(0, 90));
  return bad;
}"""

# WCAG AA: 4.5:1 for text, 3:1 for large text (24px, or 18.66px bold), against the
# first opaque background behind it.
CONTRAST_JS = """() => {
  const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const background = el => { for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3); }
    return [255, 255, 255]; };
  const bad = [];
  for (const el of document.querySelectorAll('body *')) {
    if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    const s = getComputedStyle(el), r = el.getBoundingClientRect();
    if (!r.width || !r.height || s.visibility === 'hidden' || el.closest('select, option, noscript')) continue;
    const fg = rgb(s.color).slice(0, 3), bg = background(el);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05), size = parseFloat(s.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5))
      bad.push(`${ratio.toFixed(2)} ${s.color} on rgb(${bg}) "${el.textContent.trim().slice(0, 40)}"`);
  }
  return bad;
}"""


def assert_fits_the_phone(page, name):
    """The checks every screen must pass; a screenshot to look at either way."""
    shot(page, f"layout-{name}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{name}: page is {width}px wide, wider than the phone"
    assert page.evaluate(TAP_TARGETS_JS) == [], f"{name}: tap targets under {MIN_TARGET}px"
    assert page.evaluate(UNLABELLED_JS) == [], f"{name}: fields without a label"
    assert page.evaluate(CONTRAST_JS) == [], f"{name}: text below WCAG AA contrast"


LONG_NAME = "Wolfeschlegelsteinhausenbergerdorff-Núñez"
LONG_NOTE = "Map: https://maps.example.org/" + "x" * 120 + " then the blue door."


@pytest.fixture
def district(world):
    """The world, plus what makes every part of the screens appear: a household
    with a sibling, a correction on the timeline, a student with no case, and
    the long unbroken words (names, e-mail addresses, links) that push a phone
    screen sideways if anything is going to."""
    officer, case_a = world["officer"], world["case_a"]
    sibling = factories.gen_student(world["school_a"], first="Lucía", last=LONG_NAME)
    factories.gen_guardian([world["student_a"], sibling], first="Rosa", last=LONG_NAME,
                           alt_phone="(555) 777-1212", preferred_language="es",
                           email=f"rosa.{LONG_NAME.lower()}@correo-municipal.example")
    factories.gen_case(sibling, officer)
    form = factories.contact_form(outcome="no_answer", notes=LONG_NOTE)
    clean, errors = contacts.validate_contact(form, officer)
    assert not errors
    contacts.log_contact(officer, case_a, clean, uuid.uuid4(), amends=world["contact_a"],
                         amendment_reason="Wrong outcome recorded at the door.")
    without_case = factories.gen_student(world["school_a"], first="Mateo", last="Ortega")
    return dict(world, sibling=sibling, without_case=without_case)


def visit(page, base, path, name, status=200):
    response = page.goto(base + path)
    assert response.status == status, f"{name}: {path} answered {response.status}"
    assert_fits_the_phone(page, name)


@pytest.fixture
def screen(browser):
    """A phone without the service worker: these tests look at layout only, and the
    worker's caching of pages in the background would only slow them down."""
    context = browser.new_context(service_workers="block", **PHONE)
    yield context
    context.close()


def test_officer_screens_fit_a_phone(district, live_server, screen):
    d, page = district, screen.new_page()
    login(page, live_server, d["officer"])
    case_id, student_id = d["case_a"].id, d["student_a"].id
    for path, name in [
        ("/caseload", "officer-caseload"),
        ("/students?q=garc", "officer-search"),
        (f"/students/{student_id}", "officer-student"),
        (f"/students/{d['sibling'].id}", "officer-student-long-name"),
        (f"/cases/{case_id}/contacts/new?method=home_visit", "officer-contact-form"),
        (f"/contacts/{d['contact_a'].id}/amend", "officer-amend-form"),
        (f"/cases/{case_id}/stage", "officer-stage"),
        (f"/cases/{case_id}/close", "officer-close"),
        (f"/students/{d['without_case'].id}/cases/new", "officer-open-case"),
    ]:
        visit(page, live_server, path, name)
    # The header: the app's name and "Log out" on the first row, the officer's
    # menu on one row of its own under them.
    tops = page.evaluate("""s => s.map(sel => [...document.querySelectorAll(sel)].filter(e => e.offsetWidth)
        .map(e => Math.round(e.getBoundingClientRect().top)))""", [".brand", ".logout button", "header nav > *"])
    (brand,), (logout,), menu = tops
    assert brand == logout and len(menu) >= 3 and set(menu) == {menu[0]} and menu[0] > brand, tops
    visit(page, live_server, "/students/999999", "not-found", status=404)
    visit(page, live_server, f"/students/{d['student_b'].id}", "forbidden", status=403)
    # The same form with errors next to its fields.
    page.goto(f"{live_server}/cases/{case_id}/contacts/new")
    page.evaluate("document.querySelector('form.contact-form').noValidate = true")
    page.click("form.contact-form button[type=submit]")
    page.wait_for_selector(".error-summary")
    assert_fits_the_phone(page, "officer-contact-errors")


def test_front_office_screens_fit_a_phone(district, live_server, screen):
    d, page = district, screen.new_page()
    login(page, live_server, d["front"])
    for path, name in [
        ("/office", "office-home"),
        (f"/students/{d['student_a'].id}", "office-student"),
        (f"/cases/{d['case_a'].id}/contacts/new?method=phone", "office-contact-form"),
    ]:
        visit(page, live_server, path, name)


def test_supervisor_and_admin_screens_fit_a_phone(district, live_server, browser):
    for role, paths in [
        ("supervisor", [("/supervisor/contacts", "supervisor-log", 200),
                        (f"/students/{district['student_b'].id}", "supervisor-student", 200),
                        (f"/students/{district['student_a'].id}/access-log", "supervisor-access-log", 200)]),
        ("admin", [("/supervisor/contacts?method=bogus&date_from=2020-13-45", "admin-log-bad-filters", 422)]),
    ]:
        context = browser.new_context(service_workers="block", **PHONE)
        page = context.new_page()
        login(page, live_server, district[role])
        for path, name, status in paths:
            visit(page, live_server, path, name, status)
        context.close()


def test_logged_out_screens_fit_a_phone(world, live_server, screen):
    page = screen.new_page()
    visit(page, live_server, "/login", "login")
    # fieldapp's own colours and type size win over Pico's defaults, and a phone
    # in dark mode still gets the high-contrast light screen.
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        look = page.evaluate("""() => ({
            font: getComputedStyle(document.documentElement).fontSize,
            button: getComputedStyle(document.querySelector('button[type=submit]')).backgroundColor,
            text: getComputedStyle(document.body).color,
            page: getComputedStyle(document.documentElement).backgroundColor})""")
        assert look == {"font": "18px", "button": "rgb(11, 61, 145)", "text": "rgb(17, 17, 17)",
                        "page": "rgb(255, 255, 255)"}, scheme
    page.fill("#email", world["officer"].email)
    page.fill("#password", "not the password")
    page.click("button[type=submit]")
    page.wait_for_selector(".narrow .flash.error")
    assert "Macro" not in page.inner_text("main")
    assert_fits_the_phone(page, "login-refused")


def test_a_call_without_a_case_and_the_officers_numbers_fit_the_phone(world, live_server, phone):
    """The front office's call form for a student with no case, and the
    student page's buttons that call or mail the case's officer."""
    world["officer"].phone = "(555) 201-3344 x12"
    world["officer"].save()
    no_case = factories.gen_student(world["school_a"], first="Lucía", last=LONG_NAME)
    page = phone.new_page()
    login(page, live_server, world["front"])
    page.goto(f"{live_server}/students/{world['student_a'].id}")
    call = page.locator("a.call:has-text('(555) 201-3344 x12')")
    assert call.get_attribute("href") == "tel:5552013344;ext=12"
    assert_fits_the_phone(page, "student-officer-numbers")
    page.goto(f"{live_server}/students/{no_case.id}")
    page.click("a:has-text('Log a phone call')")
    page.wait_for_url("**/calls/new")
    assert_fits_the_phone(page, "call-without-case")
    page.select_option("#outcome", "voicemail")
    page.click("button:has-text('Save call')")
    page.wait_for_url(f"**/students/{no_case.id}*")
    page.wait_for_load_state("networkidle")
    assert "No case" in page.inner_text("#timeline")
