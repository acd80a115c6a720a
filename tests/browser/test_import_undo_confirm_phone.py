"""On a phone, undoing an import takes two taps: the first only asks, the
second undoes. The undo form's confirmation never showed (its hx-confirm
sat on a form htmx does not boost), so one tap undid a district's roster."""
import os
import re

from fieldapp.imports import run
from fieldapp.models import ImportRun, Job
from fieldapp.rules.settings import RuleSettings
from tests.browser.conftest import login, shot

DATA = os.path.join(os.path.dirname(__file__), "..", "data")


def test_a_tap_on_undo_asks_first_and_only_the_answer_undoes(world, live_server, phone):
    applied, _ = run("oneroster", os.path.join(DATA, "oneroster-bulk"), "roster.zip", RuleSettings(),
                     user=world["admin"], confirmation="deactivate 2")
    assert applied.outcome == "applied"
    page = phone.new_page()
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    login(page, live_server, world["admin"])
    page.goto(f"{live_server}/admin/imports/{applied.id}")
    yes = page.get_by_role("button", name="Yes, undo this import")
    assert not yes.is_visible()
    page.get_by_role("button", name=re.compile("^Undo this import")).tap()
    page.wait_for_timeout(500)  # time for anything a tap might have sent
    page.wait_for_load_state("load")
    assert page.url.endswith(f"/admin/imports/{applied.id}") and asked == []
    assert Job.select().count() == 0 and ImportRun.get_by_id(applied.id).undone_at is None
    assert yes.is_visible() and page.get_by_text("Undo this import?").is_visible()
    shot(page, "import-undo-asks-phone")
    with page.expect_navigation():
        page.get_by_role("button", name="No, keep it").tap()  # a change of mind undoes nothing
    assert not yes.is_visible() and Job.select().count() == 0
    page.get_by_role("button", name=re.compile("^Undo this import")).tap()
    yes.tap()
    page.wait_for_url("**/jobs/*")
    assert Job.select().where(Job.kind == "import_undo").count() == 1
