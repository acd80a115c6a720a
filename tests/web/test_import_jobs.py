"""District imports run as background jobs, on a real Huey consumer on both
queues the app supports (SQLite storage, and Redis on 127.0.0.1:6379): the
upload is previewed, the preview applied, and an applied import undone, by a
worker; the job's page shows how far it has gone and survives a reload; a job
that fails says why and can be tried again; the same request starts one job,
and an import is applied once, and undone once, however often it is asked."""
import io
import json
import threading

import pytest

from fieldapp.jobs import import_kinds, kinds
from fieldapp.models import ImportChange, ImportFile, ImportRun, Job, JobFile, Student
from tests.web.conftest import looks_again_without_javascript, page_text
from tests.web.test_import_pages import post_upload, roster_zip
from tests.web.test_jobs import WAIT, job_id_of, wait_for

HEADER = b"studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor\n"


@pytest.fixture(params=["sqlite", "redis"])
def worker(request, start_worker):
    return start_worker(request.param)


def big_attendance(rows=20_000):
    """An attendance file of several hundred KB (its students unknown: it is refused row by row)."""
    return HEADER + b"".join(b"%d,sch-100,2025-09-02,Tardy\n" % (900000 + n) for n in range(rows))


def test_an_upload_is_previewed_then_applied_by_workers(auth, login_as, world, worker):
    login_as("admin")
    data = roster_zip().getvalue()
    job = wait_for(auth.client, job_id_of(post_upload(auth, "oneroster", io.BytesIO(data), "district.zip")))
    assert job.state == "done", job.reason
    assert job.done == job.total > 0  # all of it
    run = ImportRun.get_by_id(job.result["run_id"])
    assert run.outcome == "previewed" and run.source == "upload" and run.filename == "district.zip"
    assert bytes(ImportFile.get(ImportFile.run == run).data) == data  # kept for applying, from any worker
    assert JobFile.select().count() == 0  # the upload is not kept twice
    page = page_text(auth.client.get(f"/jobs/{job.id}"))  # a reload shows the result
    assert "The preview is ready: nothing has changed yet." in page
    assert f'href="/admin/imports/{run.id}"' in page and 'hx-trigger="every 1s"' not in page
    assert Student.select().where(Student.sourced_id.startswith("stu-10")).count() == 0

    applying = job_id_of(auth.post(f"/admin/imports/{run.id}/apply", {"confirmation": "deactivate 2"}))
    done = wait_for(auth.client, applying)
    assert done.state == "done" and done.result == {"run_id": run.id, "outcome": "applied"}, done.reason
    assert "Applied." in page_text(auth.client.get(f"/jobs/{applying}"))
    assert Student.select().where(Student.sourced_id.startswith("stu-10")).count() == 3
    detail = page_text(auth.client.get(f"/admin/imports/{run.id}"))
    assert "Applied" in detail and "3</strong> students created" in detail and "Undo this import" in detail


def test_the_job_page_shows_how_much_of_the_file_is_read(auth, login_as, world, worker, monkeypatch):
    """The real preview, held by its progress once a first part of the file is read."""
    read_some, go_on, seen = threading.Event(), threading.Event(), []

    def held_preview(job, config, progress):
        def holding(done, total, step=""):
            progress(done, total, step)
            seen.append((done, total, str(step)))
            if done and total and not read_some.is_set():
                read_some.set()
                assert go_on.wait(WAIT)
        return import_kinds.import_preview(job, config, holding)
    monkeypatch.setitem(kinds.KINDS, "import_preview", held_preview)
    login_as("admin")
    data = big_attendance()
    job_id = job_id_of(post_upload(auth, "attendance", io.BytesIO(data), "monday.csv"))
    assert read_some.wait(WAIT)
    total = -(-len(data) // 1024)
    job = Job.get_by_id(job_id)
    assert job.state == "running" and 0 < job.done < job.total == total
    fragment = page_text(auth.client.get(f"/jobs/{job_id}", headers={"HX-Request": "true"}))
    assert f'<progress value="{job.done}" max="{total}"' in fragment
    assert f"{job.done} of {total} KB read" in fragment and "Reading and checking the file" in fragment
    page = auth.client.get(f"/jobs/{job_id}")  # a reload, without JavaScript
    assert f"{job.done} of {total} KB read" in page_text(page) and looks_again_without_javascript(page)
    assert "Import preview" in page_text(page)
    go_on.set()
    done = wait_for(auth.client, job_id)
    assert done.state == "done" and done.result["outcome"] == "refused"
    counted = [done for done, _, step in seen if step == "Reading and checking the file"]
    assert counted == sorted(counted) and len(counted) > 3 and counted[-1] == total  # the last read counted
    assert seen[-1] == (0, 0, "Counting what applying it would change")
    page = page_text(auth.client.get(f"/jobs/{job_id}"))
    assert "The file was refused: nothing changed." in page and "See why" in page


def test_a_failed_import_job_says_why_and_can_be_tried_again(auth, login_as, world, worker, monkeypatch):
    waiting, go_on = threading.Event(), threading.Event()

    def held_preview(job, config, progress):
        waiting.set()
        assert go_on.wait(WAIT)
        return import_kinds.import_preview(job, config, progress)
    monkeypatch.setitem(kinds.KINDS, "import_preview", held_preview)
    admin = login_as("admin")
    job_id = job_id_of(post_upload(auth, "oneroster", roster_zip(), "roster.zip"))
    assert waiting.wait(WAIT)
    admin.role = "supervisor"  # while the job waited, the account lost the right
    admin.save()
    go_on.set()
    failed = wait_for(auth.client, job_id)
    assert failed.state == "failed" and failed.reason == "Your account may no longer manage imports."
    assert JobFile.select().where(JobFile.job == job_id).count() == 1  # kept for trying again
    admin.role = "admin"
    admin.save()
    page = page_text(auth.client.get(f"/jobs/{job_id}"))
    assert "This did not work." in page and "may no longer manage imports" in page
    assert auth.post(f"/jobs/{job_id}/retry").status_code == 303
    done = wait_for(auth.client, job_id)
    assert done.state == "done" and done.attempts == 2 and done.result["outcome"] == "previewed"
    assert ImportRun.select().count() == 1


def test_the_same_upload_sent_twice_is_previewed_once(auth, login_as, world, worker):
    login_as("admin")
    form = {"kind": "oneroster", "job_key": "0b8f7a2e-5c1d-4e3f-9a6b-7c8d9e0f1a2b"}
    first = job_id_of(auth.post("/admin/imports", {**form, "file": (roster_zip(), "r.zip")},
                                content_type="multipart/form-data"))
    second = job_id_of(auth.post("/admin/imports", {**form, "file": (roster_zip(), "r.zip")},
                                 content_type="multipart/form-data"))  # a double tap
    assert first == second
    wait_for(auth.client, first)
    assert Job.select().count() == 1 and ImportRun.select().count() == 1


def test_an_import_is_applied_once_however_often_it_is_asked(auth, login_as, world, worker):
    login_as("admin")
    job = wait_for(auth.client, job_id_of(post_upload(auth, "oneroster", roster_zip(), "r.zip")))
    url = f"/admin/imports/{job.result['run_id']}"
    asked = [job_id_of(auth.post(url + "/apply", {"confirmation": "deactivate 2"})) for _ in range(3)]
    assert len(set(asked)) == 1
    assert wait_for(auth.client, asked[0]).result["outcome"] == "applied"
    again = auth.post(url + "/apply", {"confirmation": "deactivate 2"})  # resent after it finished
    assert job_id_of(again) == asked[0]
    assert ImportRun.get_by_id(job.result["run_id"]).outcome == "applied"
    created = ImportChange.select().where((ImportChange.table == "student") & (ImportChange.action == "created"))
    journalled = [i for change in created for i in json.loads(change.after_json).get("rows", [change.row_id])]
    assert len(journalled) == 3 and Student.select().where(Student.sourced_id.startswith("stu-10")).count() == 3


def test_a_preview_being_applied_cannot_be_cancelled(auth, login_as, world):
    """No worker here: the apply job waits in the queue."""
    from tests.jobs_support import run_queued
    login_as("admin")
    answer = post_upload(auth, "oneroster", roster_zip(), "r.zip")
    run_queued(auth.client.application)
    run_id = Job.get_by_id(job_id_of(answer)).result["run_id"]
    url = f"/admin/imports/{run_id}"
    job_id = job_id_of(auth.post(url + "/apply", {"confirmation": "deactivate 2"}))
    page = page_text(auth.client.get(url))
    assert "This import is being applied." in page and f'href="/jobs/{job_id}"' in page
    assert "Apply this import" not in page and "Cancel: do not apply" not in page
    refused = auth.post(url + "/cancel", {})
    assert refused.status_code == 409 and "once applied it can be undone" in page_text(refused)
    assert ImportRun.get_by_id(run_id).outcome == "previewed"
    run_queued(auth.client.application)
    assert ImportRun.get_by_id(run_id).outcome == "applied"


def test_the_imports_page_lists_the_imports_still_being_checked(auth, login_as, world):
    login_as("admin")
    job_id = job_id_of(post_upload(auth, "attendance", io.BytesIO(HEADER), "tuesday.csv"))
    page = page_text(auth.client.get("/admin/imports"))
    assert "Being checked, applied or undone" in page and f'href="/jobs/{job_id}">tuesday.csv</a>' in page
    assert "waiting: no background worker is running" in page  # none runs in this test


def applied_roster(auth, worker_client):
    """A roster previewed and applied by the worker; returns its page's address."""
    job = wait_for(worker_client, job_id_of(post_upload(auth, "oneroster", roster_zip(), "r.zip")))
    url = f"/admin/imports/{job.result['run_id']}"
    applied = wait_for(worker_client, job_id_of(auth.post(url + "/apply", {"confirmation": "deactivate 2"})))
    assert applied.result["outcome"] == "applied", applied.reason
    return url


def active_students():
    return Student.select().where(Student.active == True).count()  # noqa: E712


def test_an_import_is_undone_by_a_worker_once_however_often_it_is_asked(auth, login_as, world, worker):
    login_as("admin")
    url = applied_roster(auth, auth.client)
    assert active_students() == 3
    asked = [job_id_of(auth.post(url + "/undo", {"confirmed": "yes"})) for _ in range(3)]  # a double tap, another desk
    assert len(set(asked)) == 1
    done = wait_for(auth.client, asked[0])
    assert done.state == "done" and done.result == {"run_id": int(url.rsplit("/", 1)[1]), "outcome": "undone"}
    job_page = page_text(auth.client.get(f"/jobs/{done.id}"))
    assert "Undoing an import" in job_page and "Undone." in job_page and f'href="{url}"' in job_page
    page = page_text(auth.client.get(url))
    assert "Undone" in page and "Undo this import" not in page and "being undone" not in page
    assert active_students() == 2  # the world's two
    counts = ImportRun.get_by_id(done.result["run_id"]).undo_counts
    again = auth.post(url + "/undo", {"confirmed": "yes"})  # the page from before, after it finished
    assert job_id_of(again) == done.id
    assert ImportRun.get_by_id(done.result["run_id"]).undo_counts == counts  # not undone twice
    assert Job.select().where(Job.kind == "import_undo").count() == 1


def test_an_undo_shows_its_progress_after_a_reload_and_a_failed_one_says_why_and_is_tried_again(
        auth, login_as, world, worker, monkeypatch):
    waiting, go_on = threading.Event(), threading.Event()

    def held_undo(job, config, progress):
        progress(0, 0, import_kinds.UNDOING)
        waiting.set()
        assert go_on.wait(WAIT)
        return import_kinds.import_undo(job, config, progress)
    admin = login_as("admin")
    url = applied_roster(auth, auth.client)
    monkeypatch.setitem(kinds.KINDS, "import_undo", held_undo)
    job_id = job_id_of(auth.post(url + "/undo", {"confirmed": "yes"}))
    assert waiting.wait(WAIT)
    page = auth.client.get(f"/jobs/{job_id}")  # a reload, without JavaScript
    assert "Putting back what the import changed" in page_text(page) and looks_again_without_javascript(page)
    run_page = page_text(auth.client.get(url))
    assert "This import is being undone." in run_page and f'href="/jobs/{job_id}"' in run_page
    assert "Undo this import" not in run_page
    admin.role = "supervisor"  # while the job ran, the account lost the right
    admin.save()
    go_on.set()
    failed = wait_for(auth.client, job_id)
    assert failed.state == "failed" and failed.reason == "Your account may no longer manage imports."
    assert active_students() == 3  # nothing undone
    admin.role = "admin"
    admin.save()
    run_page = page_text(auth.client.get(url))
    assert "Undoing it stopped: Your account may no longer manage imports." in run_page
    assert "See why and try again" in run_page
    page = page_text(auth.client.get(f"/jobs/{job_id}"))
    assert "This did not work." in page and "Try again" in page
    assert auth.post(f"/jobs/{job_id}/retry").status_code == 303
    done = wait_for(auth.client, job_id)
    assert done.state == "done" and done.attempts == 2 and done.result["outcome"] == "undone"
    assert active_students() == 2


def test_applying_and_undoing_attendance_bring_the_standings_up_to_date_before_done(
        app, auth, login_as, world, worker, monkeypatch):
    """The supervisor's dashboard counted the students an import touched only
    after someone opened a list (or within the hour): the job does it."""
    from fieldapp.models import StudentStanding
    from fieldapp.rules import stored
    from fieldapp.rules.settings import from_config
    login_as("admin")

    def previewed(stream, name):
        job = wait_for(auth.client, job_id_of(post_upload(auth, "oneroster" if name.endswith(".zip")
                                                          else "attendance", stream, name)))
        return f"/admin/imports/{job.result['run_id']}"
    roster = previewed(roster_zip(), "roster.zip")
    assert wait_for(auth.client, job_id_of(auth.post(roster + "/apply", {"confirmation": "deactivate 2"}))).state \
        == "done"
    stored.ensure_fresh(from_config(app.config))  # the hourly refresh ran
    monkeypatch.setitem(app.config, "REFRESH_IN_REQUEST", 0)  # a district too big for a page to do it
    absences = ("studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor\n"
                "1001,sch-100,2025-09-02,Unexcused Absence\n1002,sch-200,2025-09-02,Unexcused Absence\n")
    url = previewed(io.BytesIO(absences.encode()), "monday.csv")
    steps = []
    real_apply = kinds.KINDS["import_apply"]
    monkeypatch.setitem(kinds.KINDS, "import_apply", lambda job, config, progress: real_apply(
        job, config, lambda done, total, step="": steps.append(str(step)) or progress(done, total, step)))
    applied = wait_for(auth.client, job_id_of(auth.post(url + "/apply", {})))
    assert applied.state == "done" and applied.result["outcome"] == "applied", applied.reason
    stale = StudentStanding.select().where(StudentStanding.stale == True)  # noqa: E712
    assert stale.count() == 0
    login_as("supervisor")
    assert "not counted yet" not in page_text(auth.client.get("/supervisor"))
    assert steps[-1] == "Bringing the students' standings up to date"  # a step of its own on the job's page

    login_as("admin")
    undone = wait_for(auth.client, job_id_of(auth.post(url + "/undo", {"confirmed": "yes"})))
    assert undone.state == "done", undone.reason
    assert stale.count() == 0
    login_as("supervisor")
    assert "not counted yet" not in page_text(auth.client.get("/supervisor"))
