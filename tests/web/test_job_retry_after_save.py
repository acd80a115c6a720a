"""A job tried again after its work was kept does not do it twice.

Each test lets the real work of a kind run and keep what it makes (a
document, a spreadsheet, an import's preview or apply), then ends that
attempt on an error before the job is marked done -- as when the worker's
connection drops or its server is stopped right after the commit. The
user's Try again must give what was kept, not a second copy of it."""
import pytest

from fieldapp.jobs import export_kinds, kinds, runner
from fieldapp.models import AccessLog, DocumentRecord, ImportRun, Job, JobFile, Letter, Student
from tests import documents_support as support
from tests.jobs_support import run_queued
from tests.web.conftest import page_text
from tests.web.test_import_pages import post_upload, roster_zip
from tests.web.test_jobs import job_id_of, report_form


@pytest.fixture
def stops_after_keeping(monkeypatch):
    """stops_after_keeping(kind): the real work of kind, whose first attempt
    ends on an error once its work is kept. Returns the list of attempts made."""
    def wrap(kind):
        real, attempts = kinds.KINDS[kind], []

        def work(job, config, progress):
            attempts.append(job.attempts)
            result = real(job, config, progress)
            if len(attempts) == 1:
                raise ConnectionError("server closed the connection unexpectedly")
            return result
        monkeypatch.setitem(kinds.KINDS, kind, work)
        return attempts
    return wrap


def tried_again(auth, job_id):
    """The job stopped on its error, its page offers Try again, and it is done once tried."""
    assert Job.get_by_id(job_id).state == "failed"
    assert f'action="/jobs/{job_id}/retry"' in page_text(auth.client.get(f"/jobs/{job_id}"))
    assert auth.post(f"/jobs/{job_id}/retry").status_code == 303
    run_queued(auth.client.application)
    job = Job.get_by_id(job_id)
    assert job.state == "done" and job.attempts == 2, job.reason
    return job


def test_a_case_report_tried_again_after_its_document_was_kept_makes_no_second_one(
        auth, login_as, world, stops_after_keeping):
    stops_after_keeping("case_report")
    login_as("officer")
    case = world["case_a"]
    job_id = job_id_of(auth.post(f"/cases/{case.id}/report", data=report_form(auth, case.id)))
    run_queued(auth.client.application)
    kept = DocumentRecord.get(DocumentRecord.kind == "case_report")
    job = tried_again(auth, job_id)
    assert DocumentRecord.select().where(DocumentRecord.kind == "case_report").count() == 1
    assert AccessLog.select().where(AccessLog.action == "disclose").count() == 1  # disclosed once
    assert job.result == {"document_id": kept.id, "pages": kept.page_count}
    assert f"/documents/{kept.id}" in page_text(auth.client.get(f"/jobs/{job_id}"))


def test_a_letter_batch_tried_again_after_it_was_kept_gives_the_same_document(
        auth, login_as, world, stops_after_keeping):
    stops_after_keeping("letters_due")
    for first in ("Ava", "Ben"):
        support.gen_truant_case(world["school_a"], world["officer"], first, "Brown")
    user = login_as("front_office")
    job, _ = runner.start(user, "letters_due", runner.new_key(),
                          {"school_id": world["school_a"].id, "origin": ["", ""]}, lambda job_id: None)
    run_queued(auth.client.application)
    kept = DocumentRecord.get(DocumentRecord.kind == "letter_batch")
    job = tried_again(auth, job.id)
    assert DocumentRecord.select().where(DocumentRecord.kind == "letter_batch").count() == 1
    assert Letter.select().count() == 2
    # the page links the letters made, not "no letters are due"
    assert job.result["document_id"] == kept.id and job.result["letters"] == 2
    page = page_text(auth.client.get(f"/jobs/{job.id}"))
    assert f"/documents/{kept.id}" in page and "No letters are due" not in page


def test_an_import_preview_tried_again_after_it_was_kept_gives_the_same_preview(
        auth, login_as, world, stops_after_keeping):
    stops_after_keeping("import_preview")
    login_as("admin")
    job_id = job_id_of(post_upload(auth, "oneroster", roster_zip(), "r.zip"))
    run_queued(auth.client.application)
    kept = ImportRun.get()
    job = tried_again(auth, job_id)
    assert ImportRun.select().count() == 1 and job.result == {"run_id": kept.id, "outcome": "previewed"}
    assert "upload it again" not in page_text(auth.client.get(f"/jobs/{job_id}"))


def test_an_import_apply_tried_again_after_it_was_applied_applies_it_once(
        auth, login_as, world, stops_after_keeping):
    login_as("admin")
    job_id = job_id_of(post_upload(auth, "oneroster", roster_zip(), "r.zip"))
    run_queued(auth.client.application)
    run_id = Job.get_by_id(job_id).result["run_id"]
    stops_after_keeping("import_apply")
    applying = job_id_of(auth.post(f"/admin/imports/{run_id}/apply", {"confirmation": "deactivate 2"}))
    run_queued(auth.client.application)
    assert ImportRun.get_by_id(run_id).outcome == "applied"
    job = tried_again(auth, applying)
    assert job.result == {"run_id": run_id, "outcome": "applied"}
    assert Student.select().where(Student.sourced_id.startswith("stu-10")).count() == 3
    assert ImportRun.select().count() == 1


def test_an_export_tried_again_after_its_file_was_kept_keeps_one_and_logs_each_student_once(
        auth, login_as, world, stops_after_keeping):
    stops_after_keeping(export_kinds.KIND)
    user = login_as("supervisor")
    job_id = job_id_of(auth.post("/supervisor/export/cases?status=all", {"format": "xlsx"}))
    run_queued(auth.client.application)
    logged = AccessLog.select().where((AccessLog.action == "export") & (AccessLog.user == user.id)).count()
    assert logged > 0 and JobFile.select().count() == 1
    job = tried_again(auth, job_id)
    assert JobFile.select().where(JobFile.job == job_id).count() == 1
    assert AccessLog.select().where((AccessLog.action == "export") & (AccessLog.user == user.id)).count() == logged
    assert job.result["rows"] > 0
    assert auth.client.get(f"/jobs/{job_id}/spreadsheet").status_code == 200


def test_an_attempt_finding_the_document_kept_meanwhile_keeps_nothing(app, auth, login_as, world):
    """Two attempts of one job at work at once (a task delivered twice, the
    first slow): the one that comes to keep its document second finds the
    result kept, and its document and disclosure are rolled back."""
    login_as("officer")
    case = world["case_a"]
    job_id = job_id_of(auth.post(f"/cases/{case.id}/report", data=report_form(auth, case.id)))
    run_queued(app)
    kept = Job.get_by_id(job_id).result
    with pytest.raises(runner.AlreadyKept):  # the second attempt's work, as its worker runs it
        kinds.KINDS["case_report"](Job.get_by_id(job_id), app.config, lambda *said: None)
    assert DocumentRecord.select().where(DocumentRecord.kind == "case_report").count() == 1
    assert AccessLog.select().where(AccessLog.action == "disclose").count() == 1
    assert Job.get_by_id(job_id).kept == kept
