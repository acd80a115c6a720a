"""On a phone: the way back to work started earlier (a letter batch, an
export) from the menu, and "Try again" tapped twice."""
import json

from fieldapp.jobs import runner
from fieldapp.models import Job, utcnow
from tests.browser.conftest import login
from tests.browser.test_phone_layout import assert_fits_the_phone


def test_an_officer_finds_a_finished_letter_batch_again_from_the_menu(world, live_server, phone):
    officer = world["officer"]
    batch = Job.create(key=runner.new_key(), kind="letters_due", user=officer, state="done", done=3, total=3,
                       params_json=json.dumps({"school_id": world["school_a"].id}),
                       result_json=json.dumps({"document_id": None, "letters": 0, "left_out": []}),
                       started_at=utcnow(), finished_at=utcnow())
    page = phone.new_page()
    login(page, live_server, officer)
    page.goto(f"{live_server}/cases")
    assert not page.get_by_role("link", name="Your work").is_visible()  # the first row keeps three
    page.get_by_role("link", name="Account").click()
    page.wait_for_url("**/account")
    page.get_by_role("link", name="Your recent work").click()
    page.wait_for_url("**/jobs")
    page.wait_for_load_state("networkidle")
    assert "Letters due at Lincoln Elementary" in page.inner_text("main")
    assert_fits_the_phone(page, "recent-work")
    page.locator(f'main a[href="/jobs/{batch.id}"]').click()
    page.wait_for_url(f"**/jobs/{batch.id}")
    page.wait_for_load_state("networkidle")
    text = page.inner_text("main")
    assert "; finished " in text and "Letters due at Lincoln Elementary" in text and "You can leave" not in text
    assert_fits_the_phone(page, "finished-job")


def test_try_again_tapped_twice_shows_no_error(world, live_server, phone):
    officer = world["officer"]
    job = Job.create(key=runner.new_key(), kind="letters_due", user=officer, state="failed",
                     params_json=json.dumps({"school_id": world["school_a"].id}),
                     reason="The printer template is missing.", finished_at=utcnow())
    page = phone.new_page()
    login(page, live_server, officer)
    page.goto(f"{live_server}/jobs/{job.id}")
    page.wait_for_load_state("networkidle")
    error = page.locator("main .job .flash.error")
    assert "This did not work." in error.inner_text()
    assert error.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    assert_fits_the_phone(page, "failed-job")
    page.get_by_role("button", name="Try again").dblclick()
    page.get_by_text("Trying again.").wait_for(timeout=30_000)
    page.wait_for_load_state("networkidle")
    text = page.inner_text("main")
    assert "Only a job that failed" not in text and Job.get_by_id(job.id).state == "queued"
