"""Every kind of job's progress reaches its total by the time the job is
done: each step the work counts ends at its total (3 of 3, not 2 of 3), so the
bar and the count a user watches end full, whatever the kind of work."""
import pytest

from fieldapp.jobs import kinds, runner
from fieldapp.jobs.queue import queue_of
from fieldapp.models import Job
from tests.web.test_import_pages import post_upload, roster_zip
from tests.web.test_jobs import job_id_of, report_form, wait_for


@pytest.fixture
def said(monkeypatch, start_worker):
    """What each job's work reports, by job id: [(done, total, step), ...], the
    work run by a real worker."""
    reports = {}
    for kind, work in list(kinds.KINDS.items()):
        def recording(job, config, progress, work=work):
            def report(done, total, step=""):
                reports.setdefault(job.id, []).append((done, total, str(step)))
                progress(done, total, step)
            return work(job, config, report)
        monkeypatch.setitem(kinds.KINDS, kind, recording)
    start_worker("sqlite")
    return reports


def ends_full(reports):
    """The work's last count is at its total (a step without a count may follow: writing, say)."""
    counted = [(done, total) for done, total, _ in reports if total]
    return bool(counted) and counted[-1][0] == counted[-1][1]


def test_a_case_report_ends_at_three_of_three(auth, login_as, world, said):
    login_as("officer")
    case = world["case_a"]
    job = wait_for(auth.client, job_id_of(auth.post(f"/cases/{case.id}/report", data=report_form(auth, case.id))))
    assert job.state == "done", job.reason
    assert said[job.id][-1][:2] == (3, 3), said[job.id]
    assert ends_full(said[job.id]), said[job.id]


def test_a_letter_batch_ends_full(app, auth, login_as, world, said):
    from tests import documents_support as support
    for first in ("Ava", "Ben"):
        support.gen_truant_case(world["school_a"], world["officer"], first, "Brown")
    user = login_as("front_office")
    letters, _ = runner.start(user, "letters_due", runner.new_key(),
                              {"school_id": world["school_a"].id, "origin": ["", ""]}, queue_of(app).enqueue)
    letters = wait_for(auth.client, letters.id)
    assert letters.result["letters"] == 2, letters.reason
    assert ends_full(said[letters.id]), said[letters.id]


def test_an_export_and_an_import_each_end_full(auth, login_as, world, said):
    login_as("supervisor")
    export = wait_for(auth.client, job_id_of(auth.post("/supervisor/export/cases?status=all", {"format": "xlsx"})))
    login_as("admin")
    preview = wait_for(auth.client, job_id_of(post_upload(auth, "oneroster", roster_zip(), "r.zip")))
    url = f"/admin/imports/{preview.result['run_id']}"
    applied = wait_for(auth.client, job_id_of(auth.post(url + "/apply", {"confirmation": "deactivate 2"})))
    undone = wait_for(auth.client, job_id_of(auth.post(url + "/undo", {"confirmed": "yes"})))
    for job in (export, preview, applied, undone):
        assert job.state == "done", (job.kind, job.reason)
        assert ends_full(said[job.id]), (job.kind, said[job.id])
    assert Job.select().where(Job.state != "done").count() == 0
