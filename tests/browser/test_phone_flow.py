"""The officer's minute at the door, on a 390x844 phone in real Chromium:
look-up, the student's page, a home visit logged in a few taps."""
from fieldapp.models import Contact
from tests.browser.conftest import login, shot


def tile_boxes(page):
    """Where each attendance figure sits: {label: (x, y)}."""
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.tally > div')]
        .map(d => [d.querySelector('dt').textContent.trim().split(' ')[0],
                   [Math.round(d.getBoundingClientRect().x), Math.round(d.getBoundingClientRect().y)]]))""")


def test_officer_finds_student_and_logs_home_visit_on_phone(world, live_server, phone):
    page = phone.new_page()
    login(page, live_server, world["officer"])
    assert "My caseload" in page.content()
    page.fill("#q", "gar mar")
    page.wait_for_selector("#results a")
    shot(page, "search")
    page.click("#results a")
    page.wait_for_url("**/students/*")
    assert "María García" in page.inner_text("h1")
    # The tally reads as four tiles, two by two, each figure with its label.
    tiles = tile_boxes(page)
    assert set(tiles) == {"Unexcused", "Excused", "Tardies", "Days"}
    assert tiles["Unexcused"][1] == tiles["Excused"][1] < tiles["Tardies"][1] == tiles["Days"][1]
    assert tiles["Unexcused"][0] == tiles["Tardies"][0] < tiles["Excused"][0] == tiles["Days"][0]
    assert "Days missed" in page.inner_text(".tally")
    shot(page, "student")

    page.click("text=Home visit")
    page.wait_for_url("**/contacts/new*")
    assert page.is_checked("input[name=method][value=home_visit]")
    page.select_option("#outcome", "notice_at_door")
    page.click("fieldset.chips label:has-text('Transportation')")
    page.fill("#notes", "Left notice with neighbour.")
    # The save button stays in reach without scrolling to the end of the form.
    save = page.locator("form.contact-form button[type=submit]")
    box = save.bounding_box()
    assert box["y"] + box["height"] <= 844 and box["height"] >= 44
    shot(page, "contact-form")
    save.click()
    page.wait_for_url("**/students/*")
    assert "Contact saved" in page.inner_text("main")
    entry = page.locator("#timeline li", has_text="Left notice with neighbour.")
    assert "Home visit — Notice left at door" in entry.inner_text()
    assert "Transportation" in entry.inner_text()
    shot(page, "after-save")


def test_active_search_updates_results_as_you_type(world, live_server, phone):
    page = phone.new_page()
    login(page, live_server, world["officer"])
    page.goto(f"{live_server}/students")
    page.evaluate("window.stillTheSamePage = true")
    page.locator("#q").press_sequentially("garc", delay=60)
    page.wait_for_selector("#results a:has-text('García, María')")
    page.locator("#q").press_sequentially("ia zzz", delay=60)
    page.wait_for_selector("#results :text('No student matches “garcia zzz”')")
    # Results came in by HTMX: the page itself never reloaded, and the address
    # follows the query so Back and reload give the same list.
    assert page.evaluate("window.stillTheSamePage") is True
    assert "q=garcia+zzz" in page.url or "q=garcia%20zzz" in page.url
    shot(page, "active-search")


def test_a_wrong_field_shows_its_message_beside_it_and_keeps_the_notes(world, live_server, phone):
    page = phone.new_page()
    login(page, live_server, world["officer"])
    page.goto(f"{live_server}/cases/{world['case_a'].id}/contacts/new?method=home_visit")
    page.select_option("#outcome", "reached_parent")
    page.fill("#occurred_at", "2099-01-01T10:00")
    notes = "Mother works nights; bus pass expired.\nCall after 4pm."
    page.fill("#notes", notes)
    before = Contact.select().count()
    page.click("form.contact-form button[type=submit]")
    page.wait_for_selector("#occurred_at-error")
    # The message sits right under its field, is tied to it for screen readers,
    # and everything typed is still there.
    message = page.locator("#occurred_at + small.error")
    assert "future" in message.inner_text()
    assert page.get_attribute("#occurred_at", "aria-invalid") == "true"
    assert page.get_attribute("#occurred_at", "aria-describedby") == "occurred_at-error"
    field, under = page.locator("#occurred_at").bounding_box(), message.bounding_box()
    assert 0 <= under["y"] - (field["y"] + field["height"]) < 30
    assert page.input_value("#notes") == notes
    assert page.input_value("#outcome") == "reached_parent"
    assert page.is_checked("input[name=method][value=home_visit]")
    assert "future" in page.inner_text(".error-summary")
    assert Contact.select().count() == before
    shot(page, "contact-form-error")
