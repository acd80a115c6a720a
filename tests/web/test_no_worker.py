"""With the app served and no worker running (a worker service that crashed
or was never started), nothing waits in silence: a job's page says that no
worker has started it and to tell the administrator, keeps looking, and once
it has waited longer than the lease offers Try again; the supervisor's
figures say the worker is not running instead of "being brought up to date
now"; the administrator's page says so; /healthz says "degraded" and
/healthz/workers answers 503. Workers are real: Huey consumers in this
process, and one in a process of its own, killed."""
import datetime
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from fieldapp.jobs import runner
from fieldapp.jobs.queue import queue_of
from fieldapp.models import Job, StudentStanding, utcnow
from tests.web.conftest import page_text
from tests.web.test_job_leases import LEASE, short_lease, until  # noqa: F401 -- a fixture
from tests.web.test_jobs import WAIT, extra_kind, job_id_of, report_form, wait_for  # noqa: F401 -- fixtures

NO_WORKER = "No worker has started this work: the background worker is not running."


def queued_long_ago(job_id, seconds):
    """The job as if handed to the workers seconds ago."""
    Job.update(queued_at=utcnow() - datetime.timedelta(seconds=seconds)).where(Job.id == job_id).execute()


@pytest.fixture
def own_queue(app, monkeypatch, tmp_path, request):
    """A job queue of this test's own (SQLite storage in a temporary file) with
    no worker on it yet: start one with .start_in_process (stop it after)."""
    monkeypatch.setitem(app.config, "JOBS_URL", f"sqlite:///{tmp_path / 'own.db'}")
    monkeypatch.setitem(app.config, "JOBS_QUEUE", f"fieldapp-noworker-{os.getpid()}-{request.node.name}")
    jobs = queue_of(app)
    for built in ("_huey", "_run", "_refresh", "_beats"):
        monkeypatch.setattr(jobs, built, None)
    monkeypatch.setattr(jobs, "_refresh_asked", None)
    return jobs


def test_a_case_report_no_worker_takes_says_so_then_runs_when_a_worker_starts(
        app, auth, login_as, world, short_lease, own_queue):
    login_as("officer")
    case = world["case_a"]
    job_id = job_id_of(auth.post(f"/cases/{case.id}/report", data=report_form(auth, case.id)))
    page = page_text(auth.client.get(f"/jobs/{job_id}"))
    assert NO_WORKER in page and "Tell your administrator." in page and "the work goes on" not in page
    # asked for, not started; and no moving bar, as if something were at work
    assert "Asked for " in page and "Started " not in page and "<progress" not in page
    assert 'hx-trigger="every 1s"' in page  # it keeps looking
    assert f'action="/jobs/{job_id}/retry"' not in page  # not waited a lease yet: nothing to try again
    time.sleep(LEASE * 1.5)
    page = page_text(auth.client.get(f"/jobs/{job_id}", headers={"HX-Request": "true"}))
    assert NO_WORKER in page and f'action="/jobs/{job_id}/retry"' in page and 'hx-trigger="every 1s"' in page
    assert Job.get_by_id(job_id).state == "queued"

    consumer = own_queue.start_in_process(periodic=False)  # the worker service back: it takes the job
    try:
        job = wait_for(auth.client, job_id)
        assert job.state == "done" and job.attempts == 1, job.reason
        page = page_text(auth.client.get(f"/jobs/{job_id}"))
        assert "Ready." in page and NO_WORKER not in page
    finally:
        consumer.stop(graceful=True)


def test_a_job_the_queue_lost_is_handed_to_the_workers_again_by_try_again(
        app, auth, login_as, world, short_lease, own_queue, extra_kind):
    calls = []
    extra_kind("counted", lambda job, config, progress: calls.append(job.id) or {})
    user = login_as("officer")
    job, _ = runner.start(user, "counted", runner.new_key(), {}, lambda job_id: None)  # never reached the queue
    consumer = own_queue.start_in_process(periodic=False)
    try:
        page = page_text(auth.client.get(f"/jobs/{job.id}"))
        assert "Waiting for a worker…" in page and NO_WORKER not in page  # a worker runs: it is just early
        queued_long_ago(job.id, LEASE * 2)
        page = page_text(auth.client.get(f"/jobs/{job.id}"))
        assert "they are all busy with other work" in page and f'action="/jobs/{job.id}/retry"' in page
        assert auth.post(f"/jobs/{job.id}/retry").status_code == 303
        done = wait_for(auth.client, job.id)
        assert done.state == "done" and done.attempts == 1 and calls == [job.id]
        page = page_text(auth.post(f"/jobs/{job.id}/retry", follow_redirects=True))  # a stale page's tap
        assert "Already tried again." in page and calls == [job.id]
    finally:
        consumer.stop(graceful=True)


def test_try_again_on_a_job_still_waiting_hands_it_over_once_and_runs_it_once(
        app, auth, login_as, world, short_lease, own_queue, extra_kind):
    calls = []
    extra_kind("counted", lambda job, config, progress: calls.append(job.id) or {})
    user = login_as("officer")
    job, _ = runner.start(user, "counted", runner.new_key(), {}, own_queue.enqueue)
    assert auth.post(f"/jobs/{job.id}/retry").status_code == 303  # waited less than a lease: nothing done
    assert own_queue.huey.pending_count() == 1
    queued_long_ago(job.id, LEASE * 2)
    assert auth.post(f"/jobs/{job.id}/retry").status_code == 303  # handed over again: twice in the queue
    assert own_queue.huey.pending_count() == 2 and Job.get_by_id(job.id).state == "queued"
    page = page_text(auth.post(f"/jobs/{job.id}/retry", follow_redirects=True))  # a second tap
    assert "Already being tried again." in page
    consumer = own_queue.start_in_process(periodic=False)
    try:
        assert wait_for(auth.client, job.id).state == "done"
        until(lambda: own_queue.huey.pending_count() == 0, "the queue kept its copies")
        assert calls == [job.id] and Job.get_by_id(job.id).attempts == 1
    finally:
        consumer.stop(graceful=True)


def test_a_job_waiting_while_every_worker_is_busy_says_so_and_not_that_none_runs(
        app, auth, login_as, world, short_lease, start_worker, extra_kind):
    jobs = start_worker("sqlite")  # two workers
    go_on = threading.Event()

    def long_work(job, config, progress):
        progress(0, 1, "Laying out the pages")
        assert go_on.wait(WAIT)
        return {}
    extra_kind("long_work", long_work)
    user = login_as("officer")
    busy = [runner.start(user, "long_work", runner.new_key(), {}, jobs.enqueue)[0] for _ in range(2)]
    try:
        until(lambda: all(Job.get_by_id(job.id).state == "running" for job in busy), "the workers never took them")
        waiting, _ = runner.start(user, "long_work", runner.new_key(), {}, jobs.enqueue)
        time.sleep(LEASE * 1.5)
        page = page_text(auth.client.get(f"/jobs/{waiting.id}"))
        assert "they are all busy with other work" in page and NO_WORKER not in page
        assert Job.get_by_id(waiting.id).state == "queued"
    finally:
        go_on.set()
    assert wait_for(auth.client, waiting.id).state == "done"


def test_the_district_page_says_the_worker_is_not_running_instead_of_being_brought_up_to_date(
        app, auth, login_as, world, monkeypatch, short_lease, own_queue):
    login_as("supervisor")
    auth.client.get("/supervisor")
    StudentStanding.update(stale=True).execute()  # a rule setting changed: every standing waits
    monkeypatch.setitem(app.config, "REFRESH_IN_REQUEST", 0)
    page = page_text(auth.client.get("/supervisor"))
    assert "not counted yet: the background worker that brings their standing up to date is not running" in page
    assert "Tell your administrator." in page and "brought up to date now" not in page
    students = page_text(auth.client.get("/supervisor/students"))
    assert "is not running" in students
    consumer = own_queue.start_in_process(periodic=False)
    try:
        page = page_text(auth.client.get("/supervisor"))
        assert "not counted yet" not in page or "brought up to date now" in page
        until(lambda: not StudentStanding.select().where(StudentStanding.stale == True).exists(),  # noqa: E712
              "no worker brought the standings up to date")
        assert "not counted yet" not in page_text(auth.client.get("/supervisor"))
    finally:
        consumer.stop(graceful=True)


def test_healthz_and_the_administrators_page_say_whether_a_worker_runs(
        app, auth, login_as, world, short_lease, own_queue, database_url):
    answer = auth.client.get("/healthz")
    assert answer.status_code == 200  # the balancer keeps a server whose workers are down
    assert answer.get_json() == {"status": "degraded", "database": "ok", "workers": "not running",
                                 "workers_heard_seconds_ago": None}
    assert auth.client.get("/healthz/workers").status_code == 503
    login_as("admin")
    assert "The background worker is not running" in page_text(auth.client.get("/admin/"))

    config = app.config
    worker = subprocess.Popen([sys.executable, "-m", "tests.job_worker_process", database_url, config["JOBS_URL"],
                               config["JOBS_QUEUE"], str(LEASE)],
                              cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        until(lambda: auth.client.get("/healthz/workers").status_code == 200, "the worker was never heard from")
        answer = auth.client.get("/healthz").get_json()
        assert answer["status"] == "ok" and answer["workers"] == "running"
        assert answer["workers_heard_seconds_ago"] <= LEASE
        assert "The background worker is not running" not in page_text(auth.client.get("/admin/"))
    finally:
        worker.send_signal(signal.SIGKILL)  # the worker service crashed, with no word to anyone
        worker.wait(10)
    until(lambda: auth.client.get("/healthz/workers").status_code == 503, "a killed worker still read as running")
    answer = auth.client.get("/healthz").get_json()
    assert answer["status"] == "degraded" and answer["workers"] == "not running"
    assert answer["workers_heard_seconds_ago"] >= LEASE
    page = page_text(auth.client.get("/admin/"))
    assert "The background worker is not running" in page and "last heard from" in page


def test_the_import_list_says_no_worker_runs_for_an_import_waiting(app, auth, login_as, world, own_queue):
    """The import page's list of imports under way says, as the job's own page
    does, that no worker is running, rather than "waiting for a worker"."""
    from tests.web.test_job_pages import a_job
    admin = login_as("admin")
    a_job(admin, "import_apply", {"run_id": 1, "filename": "att_new.csv"}, state="queued")
    page = page_text(auth.client.get("/admin/imports"))
    working = page[page.index('class="jobs-working"'):]
    assert "no background worker is running; tell your administrator" in working
    assert "waiting for a worker" not in working
    consumer = own_queue.start_in_process(periodic=False)
    try:
        until(lambda: own_queue.workers_running(), "no worker heard from")
        working = page_text(auth.client.get("/admin/imports"))
        assert "waiting for a worker" in working and "no background worker is running" not in working
    finally:
        consumer.stop(graceful=True)
