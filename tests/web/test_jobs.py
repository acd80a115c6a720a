"""Long work as background jobs, run by a real Huey consumer on both queues
the app supports (SQLite storage, and Redis on 127.0.0.1:6379): the page
shows progress and survives a reload, a failure says why and can be tried
again, and the same request sent twice starts one job."""
import re
import threading
import time

import pytest

from fieldapp.db import database
from fieldapp.jobs import kinds, runner
from fieldapp.models import AccessLog, DocumentRecord, Job
from tests.web.conftest import looks_again_without_javascript, page_text

WAIT = 90  # seconds: a busy machine renders a PDF slowly


@pytest.fixture(params=["sqlite", "redis"])
def worker(request, start_worker):
    """A consumer working this test's own queue, on SQLite and on Redis."""
    return start_worker(request.param)


@pytest.fixture
def extra_kind():
    """Register a kind of job for one test (the paperwork's kinds are too quick
    to watch midway)."""
    added = []

    def register(name, work):
        kinds.KINDS[name] = work
        added.append(name)
    yield register
    for name in added:
        kinds.KINDS.pop(name, None)


def wait_for(client, job_id, states=("done", "failed")):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        job = Job.get_by_id(job_id)
        if job.state in states:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} still {Job.get_by_id(job_id).state} after {WAIT} s")


def job_id_of(response):
    assert response.status_code == 303, page_text(response)[:500]
    return int(re.search(r"/jobs/(\d+)$", response.headers["Location"]).group(1))


def report_form(auth, case_id):
    page = page_text(auth.client.get(f"/cases/{case_id}/paperwork"))
    key = re.search(r'name="job_key" value="([^"]+)"', page).group(1)
    assert 'hx-disable="find button"' in page  # the button is disabled while the request runs
    return {"recipient": "sarb", "job_key": key}


def test_a_case_report_runs_as_a_job_and_the_page_shows_the_result(auth, login_as, world, worker):
    login_as("officer")
    case = world["case_a"]
    job_id = job_id_of(auth.post(f"/cases/{case.id}/report", data=report_form(auth, case.id)))
    page = page_text(auth.client.get(f"/jobs/{job_id}"))
    assert "Case report" in page and "<progress" in page
    job = wait_for(auth.client, job_id)
    assert job.state == "done", job.reason
    assert (job.done, job.total) == (3, 3)
    page = page_text(auth.client.get(f"/jobs/{job_id}"))  # a reload shows the same result
    document = DocumentRecord.get_by_id(job.result["document_id"])
    assert "Ready." in page and f"/documents/{document.id}" in page and 'hx-trigger="every 1s"' not in page
    assert document.case_id == case.id and document.kind == "case_report"


def test_the_same_request_sent_twice_makes_one_document(auth, login_as, world, worker):
    login_as("officer")
    case = world["case_a"]
    form = report_form(auth, case.id)
    first = job_id_of(auth.post(f"/cases/{case.id}/report", data=form))
    second = job_id_of(auth.post(f"/cases/{case.id}/report", data=form))  # a double tap
    assert first == second
    wait_for(auth.client, first)
    third = job_id_of(auth.post(f"/cases/{case.id}/report", data=form))  # resent after it finished
    assert third == first and Job.select().count() == 1
    assert DocumentRecord.select().where(DocumentRecord.kind == "case_report").count() == 1
    assert AccessLog.select().where(AccessLog.action == "disclose").count() == 1
    fresh = report_form(auth, case.id)  # a new form is a new request
    assert job_id_of(auth.post(f"/cases/{case.id}/report", data=fresh)) != first


def test_progress_shows_while_the_job_runs_and_after_a_reload(auth, login_as, world, worker, extra_kind):
    go_on = threading.Event()

    def three_steps(job, config, progress):
        progress(1, 3, "Laying out the pages")
        assert go_on.wait(WAIT)
        progress(3, 3)
        return {}
    extra_kind("three_steps", three_steps)
    user = login_as("officer")
    job, _ = runner.start(user, "three_steps", runner.new_key(), {}, worker.enqueue)
    deadline = time.monotonic() + WAIT
    while Job.get_by_id(job.id).done < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    fragment = page_text(auth.client.get(f"/jobs/{job.id}", headers={"HX-Request": "true"}))
    assert '<progress value="1" max="3"' in fragment and "Done: 1 of 3" in fragment
    assert "Laying out the pages" in fragment and 'hx-trigger="every 1s"' in fragment
    assert "<html" not in fragment
    page = auth.client.get(f"/jobs/{job.id}")  # a reload, without JavaScript
    assert "Done: 1 of 3" in page_text(page) and looks_again_without_javascript(page)
    go_on.set()
    assert wait_for(auth.client, job.id).state == "done"


def test_a_failed_job_says_why_and_can_be_tried_again(auth, login_as, world, worker, extra_kind):
    calls = []

    def flaky(job, config, progress):
        calls.append(job.id)
        if len(calls) == 1:
            raise runner.JobFailed("The printer template is missing.")
        progress(1, 1)
        return {}
    extra_kind("flaky", flaky)
    user = login_as("officer")
    job, _ = runner.start(user, "flaky", runner.new_key(), {}, worker.enqueue)
    assert wait_for(auth.client, job.id).state == "failed"
    page = page_text(auth.client.get(f"/jobs/{job.id}"))
    assert "This did not work." in page and "The printer template is missing." in page
    assert f'action="/jobs/{job.id}/retry"' in page
    answer = auth.post(f"/jobs/{job.id}/retry")
    assert answer.status_code == 303
    done = wait_for(auth.client, job.id)
    assert done.state == "done" and done.attempts == 2 and calls == [job.id, job.id]
    assert auth.post(f"/jobs/{job.id}/retry").status_code == 303  # nothing to retry: said, not done
    assert Job.get_by_id(job.id).attempts == 2


def test_an_error_in_the_work_is_kept_with_a_reason_a_person_can_read(auth, login_as, world, worker,
                                                                      extra_kind):
    def broken(job, config, progress):
        raise KeyError("column")
    extra_kind("broken", broken)
    user = login_as("officer")
    job, _ = runner.start(user, "broken", runner.new_key(), {}, worker.enqueue)
    failed = wait_for(auth.client, job.id)
    assert failed.state == "failed" and failed.reason == runner.STOPPED
    assert "KeyError" not in page_text(auth.client.get(f"/jobs/{job.id}"))


def test_a_job_is_followed_and_tried_again_by_who_started_it_alone(auth, login_as, world, worker, extra_kind):
    """Its work runs as its starter: an administrator's retry of an officer's
    failed case report made it as the officer, disclosed by them."""
    def refused(job, config, progress):
        raise runner.JobFailed("Your account may no longer do this for this school.")
    extra_kind("refused", refused)
    job, _ = runner.start(world["officer"], "refused", runner.new_key(), {}, worker.enqueue)
    assert wait_for(auth.client, job.id).state == "failed"
    for who in (world["other_officer"], "supervisor", "admin"):
        login_as(who)
        page = auth.client.get(f"/jobs/{job.id}")
        assert page.status_code == 403 and "Your account may no longer" not in page_text(page)
        assert auth.post(f"/jobs/{job.id}/retry").status_code == 403
    assert Job.get_by_id(job.id).state == "failed" and Job.get_by_id(job.id).attempts == 1
    assert auth.client.get("/jobs/999999").status_code == 404
    login_as("officer")
    assert "Your account may no longer" in page_text(auth.client.get(f"/jobs/{job.id}"))


def test_a_form_without_its_key_is_answered_and_starts_nothing(auth, login_as, world):
    login_as("officer")
    case = world["case_a"]
    answer = auth.post(f"/cases/{case.id}/report", data={"recipient": "sarb", "job_key": "not-a-key"})
    assert answer.status_code == 422 and "reload the page" in page_text(answer)
    assert Job.select().count() == 0


def test_a_letter_batch_counts_its_letters_as_they_are_laid_out(auth, login_as, world, worker, monkeypatch):
    """The layout is most of a batch's time: the bar jumped to 34 of 36 at once
    and sat there through it. Now it counts the letters laid out, then says the
    PDF is being written."""
    from tests import documents_support as support
    for first in ("Ava", "Ben", "Cal"):
        support.gen_truant_case(world["school_a"], world["officer"], first, "Brown")
    seen = []
    real = kinds.KINDS["letters_due"]
    monkeypatch.setitem(kinds.KINDS, "letters_due", lambda job, config, progress: real(
        job, config, lambda done, total, step="": seen.append((done, total, str(step))) or progress(done, total, step)))
    user = login_as("front_office")
    job, _ = runner.start(user, "letters_due", runner.new_key(),
                          {"school_id": world["school_a"].id, "origin": ["", ""]}, worker.enqueue)
    done = wait_for(auth.client, job.id)
    assert done.state == "done" and done.result["letters"] == 3, done.reason
    laying_out = [(d, t) for d, t, step in seen if step == "Laying out the pages"]
    assert laying_out == [(0, 3), (1, 3), (2, 3), (3, 3)]
    gathering = [(d, t) for d, t, step in seen if step == "Gathering each family's letter"]
    assert gathering == [(0, 3), (1, 3), (2, 3), (3, 3)]  # the last letter counted too
    steps = [step for _, _, step in seen]
    assert steps.index("Writing the PDF") > steps.index("Laying out the pages")



def test_the_same_request_started_four_times_at_once_runs_one_job(app, world, worker, extra_kind):
    """A double tap on a slow phone, or two app servers given the same form:
    the starts meet at the same moment (each finds no job yet, and all but
    one find theirs refused by the job's unique key); each is given the one
    job, and its work is done once."""
    calls = []
    extra_kind("counted", lambda job, config, progress: calls.append(job.id) or {})
    for _ in range(5):
        key, together, started = runner.new_key(), threading.Barrier(4), []

        def start():
            with database.connection_context():
                together.wait()
                started.append(runner.start(world["officer"], "counted", key, {}, worker.enqueue))
        threads = [threading.Thread(target=start) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(WAIT)
        assert len({job.id for job, _ in started}) == 1 and [now for _, now in started].count(True) == 1
        assert wait_for(None, started[0][0].id).state == "done"
    assert Job.select().count() == 5 and sorted(calls) == sorted(job.id for job in Job.select())
