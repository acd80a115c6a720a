"""On a phone, an import page that refuses what was asked of it (the typed
confirmation wrong, the preview no longer waiting) shows why where the page
opens: the answer re-renders the whole page, and an error below the counts
and notes was a screen away, so nothing seemed to happen."""
import os

from fieldapp.imports import cancel, run
from fieldapp.rules.settings import RuleSettings
from tests.browser.conftest import PHONE, login, shot

DATA = os.path.join(os.path.dirname(__file__), "..", "data")


def _roster_preview(admin):
    """A roster that would deactivate both of the world's students: it waits for 'deactivate 2'."""
    imported, _ = run("oneroster", os.path.join(DATA, "oneroster-bulk"), "roster.zip", RuleSettings(), user=admin)
    assert imported.outcome == "previewed" and imported.confirm_phrase == "deactivate 2"
    return imported


def _in_view(page, selector):
    box = page.locator(selector).bounding_box()
    return _seen(box)


def _seen(box):
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["viewport"]["height"]


def _said_in_view(page, text):
    """Whether text is said somewhere a person sees without scrolling."""
    found = page.get_by_text(text)
    return any(_seen(found.nth(i).bounding_box()) for i in range(found.count()))


def test_a_wrong_confirmation_is_said_beside_the_field_in_view_with_the_field_focused(world, live_server, phone):
    preview = _roster_preview(world["admin"])
    page = phone.new_page()
    login(page, live_server, world["admin"])
    page.goto(f"{live_server}/admin/imports/{preview.id}")
    page.fill("#confirmation", "deactivate")
    page.click("form.import-form button[type=submit]")
    page.wait_for_selector("#confirmation-error")
    page.wait_for_load_state("load")
    assert page.inner_text("#confirmation-error") == "Type deactivate 2 exactly to apply it."
    assert _in_view(page, "#confirmation-error") and _in_view(page, "#confirmation")
    assert page.evaluate("document.activeElement.id") == "confirmation"
    assert page.input_value("#confirmation") == "deactivate"  # what was typed stays
    page.screenshot(path=os.path.join(os.path.dirname(__file__), "..", "..", "screenshots",
                                      "import-wrong-confirmation-phone-viewport.png"))
    shot(page, "import-wrong-confirmation-phone")


def test_applying_a_preview_cancelled_meanwhile_says_so_where_the_page_opens(world, live_server, phone):
    preview = _roster_preview(world["admin"])
    page = phone.new_page()
    login(page, live_server, world["admin"])
    page.goto(f"{live_server}/admin/imports/{preview.id}")
    cancel(preview, world["admin"])  # in another tab, by another administrator
    page.fill("#confirmation", "deactivate 2")
    page.click("form.import-form button[type=submit]")
    page.wait_for_selector("#apply-error")
    page.wait_for_load_state("load")
    assert _said_in_view(page, "This import is not waiting to be applied.")
    shot(page, "import-apply-not-waiting-phone")
