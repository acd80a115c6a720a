"""On a phone, with no worker running: a job's page, the district page and
the administrator's page say so, in English and in Spanish, and still fit
the screen (no sideways scroll, tap targets, contrast). So does the rule-set
page naming local settings by their steps."""
import datetime
import json

import pytest

from fieldapp.jobs import runner
from fieldapp.models import Job, StudentStanding, User, utcnow
from tests.browser.conftest import login
from tests.browser.test_phone_layout import assert_fits_the_phone


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_pages_that_wait_for_a_worker_say_none_runs_and_fit_the_phone(world, app, live_server, phone,
                                                                            monkeypatch, language):
    officer, supervisor, admin = world["officer"], world["supervisor"], world["admin"]
    User.update(language=language).execute()
    job = Job.create(key=runner.new_key(), kind="case_report", user=officer,
                     params_json=json.dumps({"case_id": world["case_a"].id, "recipient": "sarb"}),
                     queued_at=utcnow() - datetime.timedelta(minutes=5))
    page = phone.new_page()
    login(page, live_server, officer)
    page.goto(f"{live_server}/jobs/{job.id}")
    text = page.inner_text("main")
    assert ("No worker has started this work" if language == "en" else "Ningún proceso de trabajo") in text
    assert page.locator(f'form[action="/jobs/{job.id}/retry"] button').is_visible()
    assert_fits_the_phone(page, f"job-no-worker-{language}")

    monkeypatch.setitem(app.config, "REFRESH_IN_REQUEST", 0)
    monkeypatch.setitem(app.config, "RULE_THRESHOLDS", "ca_first_notice=2")
    page.context.clear_cookies()
    login(page, live_server, supervisor)
    page.goto(f"{live_server}/supervisor")
    StudentStanding.update(stale=True).execute()
    page.goto(f"{live_server}/supervisor")
    assert ("is not running" if language == "en" else "no está en marcha") in page.inner_text("main")
    assert_fits_the_phone(page, f"district-no-worker-{language}")
    page.goto(f"{live_server}/worklist")
    assert "ca_first_notice" not in page.inner_text("main")
    assert_fits_the_phone(page, f"worklist-adjusted-{language}")

    page.context.clear_cookies()
    login(page, live_server, admin)
    page.goto(f"{live_server}/admin/")
    assert ("The background worker is not running" if language == "en"
            else "El proceso de trabajo en segundo plano no está en marcha") in page.inner_text("main")
    assert_fits_the_phone(page, f"admin-no-worker-{language}")
    page.goto(f"{live_server}/admin/rules")
    assert "ca_first_notice at" not in page.inner_text("main")
    assert_fits_the_phone(page, f"rules-adjusted-{language}")
