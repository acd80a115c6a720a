"""A running job holds a lease: its worker's heartbeat. When the worker
stops mid-job (a restart, a crash), the job does not read "running" for
ever: once the lease lapses its page says it stopped and what was kept, and
Try again works; an import it was applying can be applied again or
cancelled. Workers are real: a Huey consumer in a process of its own, killed."""
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from fieldapp.jobs import runner
from fieldapp.jobs.import_kinds import apply_key
from fieldapp.jobs.queue import queue_of
from fieldapp.models import ImportRun, Job, Student, utcnow
from tests.web.conftest import page_text
from tests.web.test_import_pages import post_upload, roster_zip
from tests.web.test_jobs import WAIT, extra_kind, job_id_of, wait_for, worker  # noqa: F401 -- fixtures

LEASE = 2  # seconds


@pytest.fixture
def short_lease(app, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_LEASE_SECONDS", LEASE)


def until(condition, what):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} after {WAIT} s")


@pytest.mark.parametrize("queue_kind", ["sqlite", "redis"])
def test_a_job_whose_worker_process_is_killed_says_it_stopped_and_is_tried_again(
        app, auth, login_as, world, database_url, tmp_path, short_lease, start_worker, monkeypatch, queue_kind):
    name = f"fieldapp-killed-{os.getpid()}"
    jobs_url = f"sqlite:///{tmp_path / 'killed.db'}" if queue_kind == "sqlite" else "redis://127.0.0.1:6379/0"
    monkeypatch.setitem(app.config, "JOBS_URL", jobs_url)
    monkeypatch.setitem(app.config, "JOBS_QUEUE", name)
    queue = queue_of(app)
    monkeypatch.setattr(queue, "_huey", None)
    monkeypatch.setattr(queue, "_run", None)
    monkeypatch.setattr(queue, "_beats", None)
    worker = subprocess.Popen([sys.executable, "-m", "tests.job_worker_process", database_url, jobs_url, name,
                               str(LEASE)], cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        user = login_as("officer")
        job, _ = runner.start(user, "endless", runner.new_key(), {}, queue.enqueue)
        until(lambda: Job.get_by_id(job.id).step == "Gathering the record", "the worker never took the job")
        time.sleep(LEASE * 1.5)  # a worker at it keeps its lease however long the work takes
        page = page_text(auth.client.get(f"/jobs/{job.id}"))
        assert "Gathering the record" in page and "This did not work." not in page
    finally:
        worker.send_signal(signal.SIGKILL)  # the server gone mid-job, with no word to anyone
        worker.wait(10)
    assert Job.get_by_id(job.id).state == "running"
    until(lambda: f'action="/jobs/{job.id}/retry"' in page_text(auth.client.get(f"/jobs/{job.id}")),
          "the job never said it stopped")
    page = page_text(auth.client.get(f"/jobs/{job.id}"))
    assert "This did not work." in page and "restarted or shut down, before it finished" in page
    assert 'hx-trigger="every 1s"' not in page and "Gathering the record" not in page

    calls = []
    from fieldapp.jobs import kinds
    monkeypatch.setitem(kinds.KINDS, "endless", lambda job, config, progress: calls.append(job.id) or {})
    queue = start_worker("sqlite")
    assert auth.post(f"/jobs/{job.id}/retry").status_code == 303
    done = wait_for(auth.client, job.id)
    assert done.state == "done" and done.attempts == 2 and calls == [job.id], (done.reason, done.attempts)


def stopped_mid_job(job, seconds_ago):
    """The job as a worker left it when it stopped: running, its last heartbeat seconds_ago."""
    beat = utcnow() - __import__("datetime").timedelta(seconds=seconds_ago)
    Job.update(state="running", started_at=beat, heartbeat_at=beat, attempts=1, step="Writing the changes") \
        .where(Job.id == job.id).execute()


def previewed_roster(auth):
    from tests.jobs_support import run_queued
    answer = post_upload(auth, "oneroster", roster_zip(), "r.zip")
    run_queued(auth.client.application)
    return Job.get_by_id(job_id_of(answer)).result["run_id"]


def test_an_import_whose_apply_job_lost_its_worker_can_be_cancelled_or_applied_again(
        auth, login_as, world, short_lease):
    from tests.jobs_support import run_queued
    login_as("admin")
    run_id = previewed_roster(auth)
    url = f"/admin/imports/{run_id}"
    job_id = job_id_of(auth.post(url + "/apply", {"confirmation": "deactivate 2"}))
    stopped_mid_job(Job.get_by_id(job_id), seconds_ago=LEASE / 2)  # still within its lease
    page = page_text(auth.client.get(url))
    assert "This import is being applied." in page and "Apply this import" not in page
    assert auth.post(url + "/cancel", {}).status_code == 409

    stopped_mid_job(Job.get_by_id(job_id), seconds_ago=LEASE * 3)  # its worker is gone
    page = page_text(auth.client.get(url))
    assert "restarted or shut down" in page and "Apply this import" in page and "Cancel: do not apply" in page
    job_page = page_text(auth.client.get(f"/jobs/{job_id}"))
    assert "Writing the changes" not in job_page and f'action="/jobs/{job_id}/retry"' in job_page
    again = job_id_of(auth.post(url + "/apply", {"confirmation": "deactivate 2"}))
    assert Job.get_by_id(job_id).state == "failed"  # kept as the page said
    run_queued(auth.client.application)
    assert Job.get_by_id(again).state == "done" and ImportRun.get_by_id(run_id).outcome == "applied"
    assert Student.select().where(Student.sourced_id.startswith("stu-10")).count() == 3

    other = previewed_roster(auth)
    stopped_job = job_id_of(auth.post(f"/admin/imports/{other}/apply", {"confirmation": "deactivate 2"}))
    stopped_mid_job(Job.get_by_id(stopped_job), seconds_ago=LEASE * 3)
    assert auth.post(f"/admin/imports/{other}/cancel", {}).status_code == 303
    assert ImportRun.get_by_id(other).outcome == "not_applied"


def test_another_administrators_failed_import_job_is_theirs_and_the_import_is_applied_again_as_me(
        auth, login_as, world):
    from tests.factories import gen_user
    from tests.jobs_support import run_queued
    first = login_as("admin")
    run_id = previewed_roster(auth)
    url = f"/admin/imports/{run_id}"
    job_id = job_id_of(auth.post(url + "/apply", {"confirmation": "deactivate 2"}))
    Job.update(state="failed", reason="Your account may no longer manage imports.", finished_at=utcnow()) \
        .where(Job.id == job_id).execute()
    second = login_as(gen_user("admin", email="second.admin@example.org", name="Dana Second"))
    page = page_text(auth.client.get(url))
    assert "Your account may no longer" not in page and f'href="/jobs/{job_id}"' not in page
    assert f"as {first.name} asked, stopped" in page and "Apply this import" in page
    assert auth.post(f"/jobs/{job_id}/retry").status_code == 403
    again = auth.post(url + "/apply", {"confirmation": "deactivate 2"})
    mine = Job.get_by_id(job_id_of(again))
    assert mine.id != job_id and mine.user_id == second.id and mine.key == apply_key(run_id, 1)
    login_as(first)  # the first administrator's old job may not run beside it
    assert "later request does the work" in page_text(auth.post(f"/jobs/{job_id}/retry", follow_redirects=True))
    assert Job.get_by_id(job_id).state == "failed"
    run_queued(auth.client.application)
    assert Job.get_by_id(mine.id).state == "done" and ImportRun.get_by_id(run_id).outcome == "applied"
    assert "This import is being applied, as" not in page_text(auth.client.get(url))


def test_a_job_whose_one_write_outlasts_its_lease_still_reads_as_running(
        app, auth, login_as, world, short_lease, worker, extra_kind):
    """A big import's apply or a long letter batch writes in one transaction,
    which holds the database (SQLite's one writer; on PostgreSQL, the job's
    row its progress wrote) for longer than the lease: the job is at it, and
    its page never says it stopped, nor may it be tried again beside itself."""
    from fieldapp.db import database
    from fieldapp.models import School
    holding, go_on = threading.Event(), threading.Event()

    def one_long_write(job, config, progress):
        with database.atomic():
            progress(1, 2, "Writing the changes")  # said inside the transaction, as an import's apply does
            School.update(name=School.name).execute()  # a real write: the lock is held from here
            holding.set()
            assert go_on.wait(WAIT)
        progress(2, 2)
        return {}
    extra_kind("one_long_write", one_long_write)
    user = login_as("officer")
    job, _ = runner.start(user, "one_long_write", runner.new_key(), {}, worker.enqueue)
    try:
        assert holding.wait(WAIT), "the worker never took the job"
        time.sleep(LEASE * 2)  # the lease lapsed twice over while the write holds
        page = page_text(auth.client.get(f"/jobs/{job.id}"))
        assert "This did not work." not in page and "restarted or shut down" not in page
        assert 'hx-trigger="every 1s"' in page and f'action="/jobs/{job.id}/retry"' not in page
        auth.post(f"/jobs/{job.id}/retry")  # a stale page's Try again: refused, not run beside it
        assert runner.reap_all(LEASE, worker.beats) == 0  # nor kept as failed by the reaper
        assert Job.get_by_id(job.id).state == "running"
    finally:
        go_on.set()
    done = wait_for(auth.client, job.id)
    assert done.state == "done" and done.attempts == 1, done.reason


BUSY = 5  # seconds the long write is held past the first report (SQLite: DATABASE_BUSY_SECONDS caps a wait)


def test_another_jobs_long_write_does_not_stop_a_job_at_its_work(
        app, auth, login_as, world, short_lease, worker, extra_kind):
    """While one job's write holds SQLite's one writer past the busy timeout,
    another job's progress cannot be written, nor its end: it goes on
    without that report, and says it is done once the write ends."""
    from fieldapp.db import database
    from fieldapp.models import School
    reading, holding, go_on = threading.Event(), threading.Event(), threading.Event()

    def one_long_write(job, config, progress):
        with database.atomic():
            School.update(name=School.name).execute()
            holding.set()
            assert go_on.wait(WAIT)
        return {}

    def reads_a_while(job, config, progress):
        reading.set()
        assert holding.wait(WAIT)
        progress(1, 2, "Gathering the record")
        return {"read": 2}
    extra_kind("one_long_write", one_long_write)
    extra_kind("reads_a_while", reads_a_while)
    user = login_as("officer")
    reader, _ = runner.start(user, "reads_a_while", runner.new_key(), {}, worker.enqueue)
    assert reading.wait(WAIT), "the worker never took the job"
    writer, _ = runner.start(user, "one_long_write", runner.new_key(), {}, worker.enqueue)
    try:
        assert holding.wait(WAIT), "the worker never took the job"
        time.sleep(BUSY + 2)
    finally:
        go_on.set()
    done = wait_for(auth.client, reader.id)
    assert done.state == "done" and done.result == {"read": 2} and done.attempts == 1, done.reason
    assert wait_for(auth.client, writer.id).state == "done"
