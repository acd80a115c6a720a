"""Find on a 390x844 phone in real Chromium: the address always names the
page on screen, and a query of only spaces asks nothing."""
from tests import factories
from tests.browser.conftest import PHONE, login, shot


def _officer_with_students(app):
    school = factories.gen_school("Harbor Elementary")
    officer = factories.gen_user("officer", [school])
    for first, last in (("Maeve", "O'Brien"), ("Liam", "OBrien")):
        factories.gen_case(factories.gen_student(school, first=first, last=last), officer)
    return officer


def test_find_on_the_caseload_keeps_the_caseloads_address(app, live_server, phone):
    officer = _officer_with_students(app)
    page = phone.new_page()
    login(page, live_server, officer)
    caseload = page.url
    page.fill("#q", "obrien")
    page.wait_for_selector("#results li >> text=OBrien")
    assert page.locator("#results li").count() == 2  # both spellings of the name
    assert page.url == caseload  # a reload shows the same page and its results stay in the box
    page.reload()
    assert page.locator("h1").first.inner_text().startswith("My caseload")


def test_find_on_its_own_page_keeps_the_query_in_the_address(app, live_server, phone):
    officer = _officer_with_students(app)
    page = phone.new_page()
    login(page, live_server, officer)
    page.goto(f"{live_server}/students")
    page.fill("#q", "o’brien")
    page.wait_for_selector("#results li >> text=O'Brien")
    page.wait_for_url(lambda url: "q=o" in url)
    page.reload()
    assert page.locator("#results li").count() == 2
    shot(page, "find-apostrophes-phone")


def test_a_query_of_only_spaces_says_nothing_about_matches(app, live_server, phone):
    officer = _officer_with_students(app)
    page = phone.new_page()
    login(page, live_server, officer)
    page.goto(f"{live_server}/students?q=+++")
    assert "No student matches" not in page.inner_text("main")
    page.goto(f"{live_server}/students?q=zzzz")
    assert "No student matches" in page.inner_text("main")


def test_the_outbox_count_never_pushes_the_header_to_a_third_line(app, live_server, phone):
    officer = _officer_with_students(app)
    page = phone.new_page()
    login(page, live_server, officer)
    before = page.eval_on_selector("header", "h => h.getBoundingClientRect().height")
    page.evaluate("() => { const b = document.querySelector('[data-outbox-count]'); b.hidden = false;"
                  " b.textContent = '99+'; }")  # what the outbox shows past 99
    after = page.eval_on_selector("header", "h => h.getBoundingClientRect().height")
    assert after == before and after < 110  # brand and language/log out, then the menu: two lines
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390


# Each box a person types in (not a date, a tick or a choice) whose width is less than
# nine tenths of its form's: on a phone it is as wide as the form.
NARROW_BOXES = """() => [...document.querySelectorAll('main form :is(input, textarea)')].filter(box =>
  box.checkVisibility() && !['date', 'datetime-local', 'checkbox', 'radio', 'hidden', 'file', 'submit'].includes(box.type)
  && box.getBoundingClientRect().width < 0.9 * box.closest('form').getBoundingClientRect().width
).map(box => box.id + ' ' + Math.round(box.getBoundingClientRect().width))"""


def test_a_student_is_looked_up_in_a_box_as_wide_as_the_phone(world, live_server, browser):
    """The contact log's student box took half the phone's width, beside nothing."""
    for role, paths in (("supervisor", ("/students", "/supervisor/contacts", "/supervisor/unassigned")), ("front", ("/office", "/students")),
                        ("admin", ("/admin/users", "/admin/audit"))):
        # Each person on a phone of their own: one phone's cookies cleared under its
        # running service worker is not how a second user logs in.
        context = browser.new_context(**PHONE)
        page = context.new_page()
        login(page, live_server, world[role])
        for path in paths:
            page.goto(f"{live_server}{path}")
            shot(page, "phone-boxes" + path.replace("/", "-"))
            assert page.locator("main form :is(input, textarea)").count(), path
            assert page.evaluate(NARROW_BOXES) == [], path
        context.close()
