"""On a phone, pressing Preview on the import form with something missing
says so beside the field, with that field focused and in view: the answer
re-renders the whole page, and "Choose a file to import." sat below the
fold with nothing focused, so the button seemed to do nothing."""
import os

import pytest

from tests.browser.conftest import PHONE, login, shot


def _in_view(page, selector):
    box = page.locator(selector).bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["viewport"]["height"]


@pytest.mark.parametrize("kind, first", [("attendance", "file"), ("", "kind")])
def test_preview_without_a_file_says_so_beside_the_field_focused_and_in_view(world, live_server, phone, kind, first):
    page = phone.new_page()
    login(page, live_server, world["admin"])
    page.goto(f"{live_server}/admin/imports")
    if kind:
        page.select_option("#kind", kind)
    page.select_option("#date_order", "day-first")
    page.check("input[name=skip_bad_rows]")
    page.click("form.import-form button[type=submit]")
    page.wait_for_selector("#file-error")
    page.wait_for_load_state("load")
    assert page.inner_text("#file-error") == "Choose a file to import."
    assert page.evaluate("document.activeElement.id") == first
    assert _in_view(page, f"#{first}") and _in_view(page, f"#{first}-error")
    assert _in_view(page, "form.import-form button[type=submit]") or first == "kind"
    # what was chosen stays
    assert page.input_value("#kind") == kind and page.input_value("#date_order") == "day-first"
    assert page.is_checked("input[name=skip_bad_rows]")
    page.screenshot(path=os.path.join(os.path.dirname(__file__), "..", "..", "screenshots",
                                      f"import-upload-no-{first}-phone-viewport.png"))
    shot(page, f"import-upload-no-{first}-phone")
