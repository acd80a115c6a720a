"""XLSX exports run as background jobs on a real Huey consumer (SQLite
storage, and Redis on 127.0.0.1:6379): the supervisor is taken to the job's
page, which counts the rows written, and gets a Download button when the
spreadsheet is ready; only they can download it; its students are logged as
disclosed once, however often it is downloaded; it is removed after
EXPORT_KEEP_HOURS and at log-out; asking again while it runs joins it; a
failure says why and can be tried again."""
import datetime
import html
import re
import threading
from urllib.parse import parse_qsl

import openpyxl
import io
import pytest

from fieldapp.exports import xlsx
from fieldapp.jobs import export_kinds, kinds
from fieldapp.models import AccessLog, Job, JobFile, utcnow
from tests import factories
from tests.conftest import Auth
from tests.web.conftest import looks_again_without_javascript, page_text, sign_in
from tests.web.test_jobs import WAIT, job_id_of, wait_for

CASES = "/supervisor/export/cases?status=all"


@pytest.fixture(params=["sqlite", "redis"])
def worker(request, start_worker):
    return start_worker(request.param)


@pytest.fixture
def held(monkeypatch):
    """The real export, held by its progress once some rows are written
    (a report after every row); release() lets it go on. fail_once makes
    the first attempt stop on an error there."""
    state = {"written": threading.Event(), "go_on": threading.Event(), "fail_once": False, "seen": []}

    def holding_export(job, config, progress):
        def report(done, total, step=""):
            progress(done, total, step)
            state["seen"].append((done, total, str(step)))
            if done and not state["written"].is_set():
                state["written"].set()
                assert state["go_on"].wait(WAIT)
                if state.pop("fail_once"):
                    raise OSError("disk full")
        return export_kinds.export_xlsx(job, config, report)
    monkeypatch.setattr(xlsx, "PROGRESS_EVERY", 1)
    monkeypatch.setitem(kinds.KINDS, export_kinds.KIND, holding_export)
    state["release"] = state["go_on"].set
    return state


def exported_students(user):
    return AccessLog.select().where((AccessLog.action == "export") & (AccessLog.user == user.id))


def test_an_xlsx_export_shows_its_rows_written_then_a_download(auth, login_as, world, worker, held):
    login_as("supervisor")
    job_id = job_id_of(auth.post(CASES, {"format": "xlsx"}))
    assert held["written"].wait(WAIT)
    job = Job.get_by_id(job_id)
    assert job.state == "running" and job.done == 1 and job.total == 2  # the world's two cases, counted first
    fragment = page_text(auth.client.get(f"/jobs/{job_id}", headers={"HX-Request": "true"}))
    assert '<progress value="1" max="2"' in fragment
    assert "Preparing the spreadsheet" in fragment and "1 of 2 rows" in fragment
    assert "Download" not in fragment
    page = auth.client.get(f"/jobs/{job_id}")  # a reload shows the same
    assert "1 of 2 rows" in page_text(page) and looks_again_without_javascript(page)
    assert exported_students(world["supervisor"]).count() == 0  # nothing disclosed before the file is made
    held["release"]()
    job = wait_for(auth.client, job_id)
    assert job.state == "done", job.reason
    page = page_text(auth.client.get(f"/jobs/{job_id}"))
    assert "The spreadsheet is ready." in page and "2 rows." in page
    assert f'href="/jobs/{job_id}/spreadsheet"' in page
    download = auth.client.get(f"/jobs/{job_id}/spreadsheet")
    assert download.status_code == 200 and download.mimetype == xlsx.XLSX_TYPE
    assert download.headers["Content-Disposition"].startswith('attachment; filename="cases-')
    sheet = openpyxl.load_workbook(io.BytesIO(download.get_data())).active
    assert sheet.max_row == 3 and sheet.cell(1, 1).value == "Case"


def test_the_disclosure_is_logged_once_however_often_it_is_downloaded(auth, login_as, world, worker):
    login_as("supervisor")
    job = wait_for(auth.client, job_id_of(auth.post(CASES, {"format": "xlsx"})))
    assert job.state == "done", job.reason
    logged = exported_students(world["supervisor"])
    assert sorted(line.student_id for line in logged) == sorted([world["student_a"].id, world["student_b"].id])
    assert {line.path for line in logged} == {CASES}
    for _ in range(3):
        assert auth.client.get(f"/jobs/{job.id}/spreadsheet").status_code == 200
    assert logged.count() == 2


def test_asking_again_while_it_runs_joins_the_running_job(auth, login_as, world, worker, held):
    login_as("supervisor")
    first = job_id_of(auth.post(CASES, {"format": "xlsx"}))
    assert job_id_of(auth.post(CASES, {"format": "xlsx"})) == first  # same list, same filters
    other = job_id_of(auth.post("/supervisor/export/cases?status=open", {"format": "xlsx"}))
    assert other != first  # other filters: another export
    held["release"]()
    assert wait_for(auth.client, first).state == "done"
    assert wait_for(auth.client, other).state == "done"
    assert Job.select().where(Job.kind == export_kinds.KIND).count() == 2
    again = job_id_of(auth.post(CASES, {"format": "xlsx"}))
    assert again not in (first, other)  # once finished, asking again makes a fresh file
    assert wait_for(auth.client, again).state == "done"


def test_a_failed_export_says_why_logs_nobody_and_can_be_tried_again(auth, login_as, world, worker, held):
    held["fail_once"] = True
    login_as("supervisor")
    job_id = job_id_of(auth.post(CASES, {"format": "xlsx"}))
    assert held["written"].wait(WAIT)
    held["release"]()
    job = wait_for(auth.client, job_id)
    assert job.state == "failed"
    page = page_text(auth.client.get(f"/jobs/{job_id}"))
    assert "This did not work." in page and "Try again" in page
    assert auth.client.get(f"/jobs/{job_id}/spreadsheet").status_code == 404
    assert exported_students(world["supervisor"]).count() == 0 and JobFile.select().count() == 0
    assert auth.post(f"/jobs/{job_id}/retry", {}).status_code == 303
    job = wait_for(auth.client, job_id)
    assert job.state == "done" and job.attempts == 2, job.reason
    assert auth.client.get(f"/jobs/{job_id}/spreadsheet").status_code == 200
    assert exported_students(world["supervisor"]).count() == 2


def test_only_the_user_who_asked_may_download_it(app, auth, login_as, world, worker):
    login_as("supervisor")
    job = wait_for(auth.client, job_id_of(auth.post(CASES, {"format": "xlsx"})))
    assert job.state == "done", job.reason
    colleague = factories.gen_user("supervisor", email="second.supervisor@example.org")
    client = app.test_client()
    sign_in(client, Auth(client), colleague)
    assert client.get(f"/jobs/{job.id}/spreadsheet").status_code == 403
    # Its page names how many rows it holds and links the file: the requester's alone.
    refused = client.get(f"/jobs/{job.id}")
    assert refused.status_code == 403 and "/spreadsheet" not in page_text(refused)
    assert "This export was made for another user" in page_text(refused)
    officer = app.test_client()
    sign_in(officer, Auth(officer), world["officer"])
    assert officer.get(f"/jobs/{job.id}/spreadsheet").status_code == 403
    assert exported_students(colleague).count() == 0


def test_the_file_is_removed_after_the_hours_kept_and_at_log_out(app, auth, login_as, world, worker):
    login_as("supervisor")
    job = wait_for(auth.client, job_id_of(auth.post(CASES, {"format": "xlsx"})))
    url = f"/jobs/{job.id}/spreadsheet"
    hours = app.config["EXPORT_KEEP_HOURS"]
    assert hours == 24

    def made_ago(**ago):  # as if the file had been made that long ago
        Job.update(finished_at=utcnow() - datetime.timedelta(**ago)).where(Job.id == job.id).execute()
    made_ago(hours=hours - 1)
    assert auth.client.get(url).status_code == 200
    assert export_kinds.remove_expired(hours) == 0
    made_ago(hours=hours, minutes=1)
    assert auth.client.get(url).status_code == 404
    assert JobFile.select().count() == 0  # gone from the database, not only refused

    second = wait_for(auth.client, job_id_of(auth.post("/supervisor/export/contacts", {"format": "xlsx"})))
    assert JobFile.select().where(JobFile.job == second.id).count() == 1
    auth.post("/logout", {})
    assert JobFile.select().count() == 0


FILTERED = "/supervisor/export/cases?status=open&stage=monitoring&stage=first_notice"


def test_a_removed_file_is_offered_again_of_the_same_list_and_filters(app, auth, login_as, world, worker):
    """Past the hours kept, or after logging out, the page no longer offers a
    download that answers 'Not found': it says the file is gone and makes it
    again from the same list with the same filters."""
    login_as("supervisor")
    job = wait_for(auth.client, job_id_of(auth.post(FILTERED, {"format": "xlsx"})))
    page = page_text(auth.client.get(f"/jobs/{job.id}"))
    assert "Download" in page and "Make it again" not in page
    Job.update(finished_at=utcnow() - datetime.timedelta(hours=app.config["EXPORT_KEEP_HOURS"], minutes=1)
               ).where(Job.id == job.id).execute()
    for headers in ({}, {"HX-Request": "true"}):
        page = page_text(auth.client.get(f"/jobs/{job.id}", headers=headers))
        assert "The file has been removed" in page and f"/jobs/{job.id}/spreadsheet" not in page
        action = html.unescape(re.search(r'<form[^>]*action="([^"]*)"[^>]*class="make-again"', page).group(1))
        path, _, query = action.partition("?")
        assert path == "/supervisor/export/cases" and sorted(parse_qsl(query)) == sorted(parse_qsl(FILTERED[25:]))
    again = job_id_of(auth.post(FILTERED, {"format": "xlsx"}))
    assert again != job.id
    made = wait_for(auth.client, again)
    assert made.state == "done" and made.params["args"] == job.params["args"]
    assert "Download" in page_text(auth.client.get(f"/jobs/{again}"))
    # Logging out removes the file: back in, the page offers to make it again.
    auth.post("/logout", {})
    login_as("supervisor")
    page = page_text(auth.client.get(f"/jobs/{again}"))
    assert "The file has been removed" in page and "Make it again" in page


@pytest.mark.parametrize("ended_by", ["logout", "revoked"])
def test_a_file_finished_after_its_requester_logged_out_is_not_kept(app, auth, login_as, world, worker, held,
                                                                   ended_by):
    """The page promises files go at log-out: one still being written then is
    not kept when it finishes, nobody is logged as disclosed, and the job says so."""
    supervisor = login_as("supervisor")
    job_id = job_id_of(auth.post(CASES, {"format": "xlsx"}))
    assert held["written"].wait(WAIT)
    if ended_by == "logout":
        assert auth.post("/logout", {}).status_code == 302
    else:  # ended from another device ("log out everywhere else") or by an administrator
        from fieldapp.accounts import sessions
        sessions.end_all(supervisor, "others")
    held["release"]()
    job = wait_for(auth.client, job_id)
    assert job.state == "done", job.reason
    assert JobFile.select().count() == 0 and exported_students(supervisor).count() == 0
    login_as("supervisor")  # next log-in: nothing to download
    page = page_text(auth.client.get(f"/jobs/{job_id}"))
    assert "Download" not in page and "finished after you logged out, so it was not kept" in page
    assert auth.client.get(f"/jobs/{job_id}/spreadsheet").status_code == 404
    again = wait_for(auth.client, job_id_of(auth.post(CASES, {"format": "xlsx"})))  # asked again: a new file
    assert again.id != job_id and JobFile.select().where(JobFile.job == again.id).count() == 1


def test_a_file_is_written_in_the_language_of_whoever_asked_for_it(auth, login_as, world, worker):
    """A supervisor who reads their screens in Spanish gets the columns and
    the labels of the file in Spanish too, as a CSV now and as a spreadsheet
    from a worker; an English reader's file stays in English."""
    supervisor = login_as("supervisor")
    english = auth.post(CASES, {"format": "csv"}).get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert english[0].startswith("Case,Local id,SIS id,Last name,First name") and ",Monitoring," in english[1]
    supervisor.language = "es"
    supervisor.save()
    spanish = auth.post(CASES, {"format": "csv"}).get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert spanish[0].startswith("Caso,ID local,ID del SIS,Apellido,Nombre") and ",Observación," in spanish[1]
    job = wait_for(auth.client, job_id_of(auth.post(CASES, {"format": "xlsx"})))
    assert job.state == "done", job.reason
    sheet = openpyxl.load_workbook(io.BytesIO(auth.client.get(f"/jobs/{job.id}/spreadsheet").get_data())).active
    assert [sheet.cell(1, c).value for c in (1, 4, 10)] == ["Caso", "Apellido", "Etapa"]
    assert sheet.cell(2, 10).value == "Observación"
