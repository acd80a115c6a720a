"""The student's page on a 390x844 phone, in English and Spanish: whom to call and
what happened last come first; the calendar shows the months so far, folded, with a
key whose colours tell the kinds of day apart; and tapping a guardian's number starts
the call and opens a phone contact to finish after it, online and offline."""
import datetime
import re

import pytest

from fieldapp.models import AttendanceEvent, Contact, User, utcnow
from fieldapp.timefmt import local_today
from tests import factories
from tests.browser.conftest import login, shot
from tests.browser.test_offline import ready_offline

SCREEN = 844

WORDS = {
    "en": {"guardians": "Guardians", "calendar": "Calendar: ", "called": "Called Ana García (Mother) at (555) 201-3344."},
    "es": {"guardians": "Tutores", "calendar": "Calendario: ",
           "called": "Llamada a Ana García (Madre) al (555) 201-3344."},
}


def _school_days_back(count):
    today, days, n = local_today(), [], 1
    while len(days) < count:
        day = today - datetime.timedelta(days=n)
        if day.weekday() < 5:
            days.append(day)
        n += 1
    return days


@pytest.fixture
def busy_record(world):
    """A student with a season's worth of record: contacts and marks of every kind."""
    officer, case = world["officer"], world["case_a"]
    for n, notes in enumerate(["Second try.", "Mother answered.", "Left a note.", "Talked to the aunt."]):
        factories.gen_contact(case, officer, method="phone", outcome="no_answer", notes=notes,
                              occurred_at=factories.days_ago(20 - n).strftime("%Y-%m-%dT%H:%M"))
    for day, category, minutes in zip(_school_days_back(6), ["unexcused", "excused", "tardy",
                                                            "excused_tardy", "partial", "unexcused"],
                                      [0, 0, 20, 15, 90, 0]):
        AttendanceEvent.create(student=world["student_a"], school=world["school_a"], date=day,
                               category=category, minutes=minutes)
    return world


def _top(page, selector):
    return page.evaluate(f"document.querySelector({selector!r}).getBoundingClientRect().top + scrollY")


# Each swatch of the key, as the eye sees it: its fill and the colour of its bar, if any.
# Every kind of day the stylesheet colours, whether or not this record shows it today.
KINDS = ["present", "unexcused", "excused", "tardy", "excused_part", "split", "off", "future", "unenrolled"]
SWATCHES_JS = """kinds => { const key = document.querySelector('ul.legend');
  return kinds.map(kind => { const el = document.createElement('span'); el.className = 'day ' + kind;
    key.append(el); const s = getComputedStyle(el);
    const seen = [kind, s.backgroundColor, s.backgroundImage, s.boxShadow]; el.remove(); return seen; }); }"""


def _rgb(text):
    return [float(v) for v in re.findall(r"[\d.]+", text)[:3]]


def _distinct(a, b):
    """Two swatches a person tells apart: fills at least 40 apart in RGB, or a pattern,
    a bar or an outline that one has and the other lacks. A thin bar alone, on fills
    that look the same, is not enough at the size of a calendar day."""
    fill = sum((p - q) ** 2 for p, q in zip(_rgb(a[1]), _rgb(b[1]))) ** .5
    return fill >= 40 or (a[2] == "none") != (b[2] == "none") or (a[3] == "none") != (b[3] == "none")


@pytest.mark.parametrize("language", ["en", "es"])
def test_whom_to_call_and_the_last_contacts_come_before_the_calendar(busy_record, live_server, phone, language):
    d = busy_record
    User.update(language=language).where(User.id == d["officer"].id).execute()
    words = WORDS[language]
    page = phone.new_page()
    login(page, live_server, d["officer"])
    page.goto(f"{live_server}/students/{d['student_a'].id}")
    shot(page, f"{language}-student-page-top")
    assert page.inner_text("section.guardians h2") == words["guardians"]
    assert _top(page, "section.guardians") < SCREEN, "guardians on the first screen"
    assert page.locator("section.guardians a.call").first.get_attribute("href") == "tel:5552013344"
    assert page.locator("section.guardians a[href^='https://maps.google.com/']").count() == 1
    shown = page.locator("#timeline > ol.timeline > li")
    assert shown.count() == 3 and "Left a note." in shown.last.inner_text()  # the newest three
    assert _top(page, "#timeline > ol.timeline > li:last-child") < 2 * SCREEN
    assert not page.is_visible("details.earlier-contacts ol")
    assert _top(page, "#timeline") < _top(page, "section.attendance-year")

    calendar = page.locator("details.calendar")
    assert calendar.get_attribute("open") is None and not page.is_visible("table.month")
    months = page.eval_on_selector_all("table.month", "ts => ts.map(t => t.dataset.month)")
    assert months and max(months) == local_today().strftime("%Y-%m"), "no month still to come"
    summary = page.inner_text("details.calendar > summary")
    assert summary.startswith(words["calendar"]) and str(len(months)) in summary
    page.click("details.calendar > summary")
    assert page.is_visible("table.month")
    shown = page.eval_on_selector_all("ul.legend .day", "ds => ds.map(d => d.classList[1])")
    assert {"present", "unexcused", "excused", "tardy", "excused_part"} <= set(shown)
    swatches = page.evaluate(SWATCHES_JS, KINDS)
    close = [(a[0], b[0]) for i, a in enumerate(swatches) for b in swatches[i + 1:] if not _distinct(a, b)]
    assert not close, f"key colours a person cannot tell apart: {close}"
    calendar.scroll_into_view_if_needed()
    shot(page, f"{language}-student-page-calendar")


# The phone's dialer takes a tel: link; headless Chromium has none, and a tel: navigation
# left pending there stalls the page. This listener, run after the app's own, notes that
# the app let the call go (did not prevent it) and then plays the dialer's part.
DIALER_JS = """() => document.addEventListener('click', event => {
  const link = event.target.closest('a[href^="tel:"]');
  if (!link) return;
  sessionStorage.setItem('dialled', (event.defaultPrevented ? 'prevented ' : '') + link.getAttribute('href'));
  event.preventDefault();
})"""


def _tap_the_number_and_arrive_at_the_form(page, student_id):
    call = page.locator("section.guardians a.call").first
    assert call.get_attribute("href") == "tel:5552013344"
    page.evaluate(DIALER_JS)
    call.click()
    page.wait_for_url("**/contacts/new?method=phone&guardian=*")
    page.wait_for_selector("form.contact-form")
    assert page.evaluate("sessionStorage.getItem('dialled')") == "tel:5552013344", "the call starts"


@pytest.mark.parametrize("language", ["en", "es"])
def test_tapping_a_guardians_number_opens_a_phone_contact_for_the_call(world, live_server, phone, language):
    User.update(language=language).where(User.id == world["officer"].id).execute()
    page = phone.new_page()
    login(page, live_server, world["officer"])
    page.goto(f"{live_server}/students/{world['student_a'].id}")
    _tap_the_number_and_arrive_at_the_form(page, world["student_a"].id)
    assert page.is_checked("input[name=method][value=phone]")
    assert page.input_value("#notes") == WORDS[language]["called"]
    assert page.is_checked("input[name=people_present][value=parent]")
    shot(page, f"{language}-call-contact-form")
    page.select_option("#outcome", "reached_parent")
    page.click("form.contact-form button[type=submit]")
    page.wait_for_url(f"**/students/{world['student_a'].id}*")
    assert WORDS[language]["called"] in page.inner_text("#timeline > ol.timeline")
    logged = Contact.select().order_by(Contact.id.desc()).get()
    assert (logged.method, logged.notes) == ("phone", WORDS[language]["called"])
    assert abs(logged.occurred_at - utcnow()) < datetime.timedelta(minutes=3), "the time of the call"


def test_offline_the_kept_form_is_filled_in_for_the_call_too(world, live_server, phone):
    User.update(language="es").where(User.id == world["officer"].id).execute()
    page = phone.new_page()
    login(page, live_server, world["officer"])
    ready_offline(page)
    page.context.set_offline(True)
    page.goto(f"{live_server}/students/{world['student_a'].id}")
    page.wait_for_selector("#offline-copy", state="attached")
    _tap_the_number_and_arrive_at_the_form(page, world["student_a"].id)
    page.wait_for_selector("#offline-copy", state="attached")  # the copy kept on the phone
    assert page.is_checked("input[name=method][value=phone]")
    assert page.input_value("#notes") == WORDS["es"]["called"]
    assert page.is_checked("input[name=people_present][value=parent]")
    shot(page, "es-offline-call-contact-form")
    page.select_option("#outcome", "voicemail")
    page.click("form.contact-form button[type=submit]")
    page.wait_for_selector(".saved-on-phone")
    kept = page.evaluate("FieldOutbox.all()")
    assert len(kept) == 1 and kept[0]["notes"] == WORDS["es"]["called"] and kept[0]["method"] == "phone"


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_summary_that_wraps_keeps_its_lines_apart(world, live_server, phone, language):
    """'The last call reached a wrong or disconnected number: mark which one' wraps on a
    phone, and its lines were set at a line height equal to the font size, touching."""
    User.update(language=language).where(User.id == world["officer"].id).execute()
    factories.gen_contact(world["case_a"], world["officer"], method="phone", outcome="wrong_number",
                          reasons=[], people_present=[])
    page = phone.new_page()
    login(page, live_server, world["officer"])
    page.goto(f"{live_server}/students/{world['student_a'].id}")
    shot(page, f"{language}-wrong-number-summary")
    tight = page.evaluate("""() => [...document.querySelectorAll('details > summary')].map(s => {
        const c = getComputedStyle(s); return [s.innerText.trim(), parseFloat(c.lineHeight) / parseFloat(c.fontSize)];
      }).filter(([, ratio]) => !(ratio >= 1.25))""")
    assert page.locator("details.mark-number > summary").count() and not tight, tight
