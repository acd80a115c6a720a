"""What a job's page and the user's recent work say: progress in the
reader's numbers and words, a finished job's when and what for, a failure
shown as an error, "Try again" sent twice, a job key sent again with other
parameters, and the way back to a letter batch, a case report or an export
after leaving its page."""
import datetime
import json
import re

from fieldapp.jobs import runner
from fieldapp.models import Job, User, utcnow
from tests.jobs_support import job_done, run_queued
from tests.web.conftest import page_text


def a_job(user, kind, params, **fields):
    return Job.create(key=runner.new_key(), kind=kind, user=user, params_json=json.dumps(params), **fields)


def test_progress_is_said_in_the_readers_numbers_and_words(auth, login_as, world):
    officer = login_as("officer")
    now = utcnow()
    job = a_job(officer, "letters_due", {"school_id": world["school_a"].id}, state="running",
                done=1200, total=3000, started_at=now, heartbeat_at=now)
    assert "1,200 of 3,000 letters" in page_text(auth.client.get(f"/jobs/{job.id}"))
    # a case report counts its steps, not its pages: "1 of 3" then "4 pages" read as a count that went wrong
    report = a_job(officer, "case_report", {"case_id": world["case_a"].id}, state="running",
                   done=1, total=3, step="Laying out the pages", started_at=now, heartbeat_at=now)
    assert "1 of 3 steps done" in page_text(auth.client.get(f"/jobs/{report.id}"))
    User.update(language="es").where(User.id == officer.id).execute()
    page = page_text(auth.client.get(f"/jobs/{job.id}"))
    assert "1.200 de 3.000 cartas" in page and "hecho" not in page
    assert "1 de 3 pasos hechos" in page_text(auth.client.get(f"/jobs/{report.id}"))


def test_a_finished_job_says_when_it_finished_and_what_it_was_for(auth, login_as, world):
    officer = login_as("officer")
    job = a_job(officer, "letters_due", {"school_id": world["school_a"].id}, state="done",
                done=1, total=1, result_json=json.dumps({"document_id": None, "letters": 0, "left_out": []}),
                started_at=utcnow(), finished_at=utcnow())
    page = page_text(auth.client.get(f"/jobs/{job.id}"))
    assert "You can leave this page" not in page
    assert re.search(r"Started [^;<]+; finished ", page) and "Letters due at Lincoln Elementary" in page
    # a job that failed says when it started, then when it stopped: not "Finished" above "This did not work"
    failed = a_job(officer, "letters_due", {"school_id": world["school_a"].id}, state="failed",
                   reason="The printer template is missing.", started_at=utcnow(), finished_at=utcnow())
    page = page_text(auth.client.get(f"/jobs/{failed.id}"))
    assert re.search(r"Started [^;<]+; stopped [^<]+</p>\s*<p class=\"flash error\" role=\"alert\"><strong>This did not"
                     r" work.", page) and "Finished" not in page
    User.update(language="es").where(User.id == officer.id).execute()
    assert re.search(r"Empezado: [^;<]+; detenido: ", page_text(auth.client.get(f"/jobs/{failed.id}")))
    User.update(language="en").where(User.id == officer.id).execute()
    running = a_job(officer, "letters_due", {"school_id": world["school_a"].id}, state="running",
                    started_at=utcnow(), heartbeat_at=utcnow())
    assert "You can leave this page" in page_text(auth.client.get(f"/jobs/{running.id}"))


def test_a_failed_job_is_shown_as_an_error(auth, login_as, world):
    officer = login_as("officer")
    job = a_job(officer, "letters_due", {"school_id": world["school_a"].id}, state="failed",
                reason="The printer template is missing.", finished_at=utcnow())
    page = page_text(auth.client.get(f"/jobs/{job.id}"))
    assert re.search(r'<p class="flash error" role="alert"><strong>This did not work.', page)
    assert f'action="/jobs/{job.id}/retry"' in page


def test_try_again_sent_twice_queues_it_once_and_says_so_without_an_error(auth, login_as, world):
    officer = login_as("officer")
    job = a_job(officer, "letters_due", {"school_id": world["school_a"].id, "origin": ["/letters/due", "127.0.0.1"]},
                state="failed", reason="The printer template is missing.", finished_at=utcnow())
    first = auth.post(f"/jobs/{job.id}/retry")
    second = auth.post(f"/jobs/{job.id}/retry")  # a double tap
    assert second.status_code == 303 and second.headers["Location"].endswith(f"/jobs/{job.id}")
    page = page_text(auth.client.get(f"/jobs/{job.id}"))
    assert "Already being tried again." in page and "Trying again." in page
    # no error but the one that says no worker runs beside this test
    assert "Only a job that failed can be tried again." not in page
    assert not re.findall(r'class="flash error" role="alert">(?!<strong>No worker has started)', page)
    assert first.status_code == 303 and Job.get_by_id(job.id).state == "queued"
    run_queued(auth.client.application)
    auth.post(f"/jobs/{job.id}/retry")  # sent again after it was done
    page = page_text(auth.client.get(f"/jobs/{job.id}"))
    assert "Already tried again." in page and "Only a job that failed" not in page


def test_a_job_key_sent_again_with_another_case_starts_that_cases_own_job(auth, login_as, world):
    from tests import factories
    officer = login_as("officer")
    other_case = factories.gen_case(factories.gen_student(world["school_a"], first="Ana", last="Ruiz"), officer)
    key = runner.new_key()
    first = auth.post(f"/cases/{world['case_a'].id}/report", data={"recipient": "sarb", "job_key": key})
    again = auth.post(f"/cases/{world['case_a'].id}/report", data={"recipient": "sarb", "job_key": key})
    other = auth.post(f"/cases/{other_case.id}/report", data={"recipient": "sarb", "job_key": key})
    other_again = auth.post(f"/cases/{other_case.id}/report", data={"recipient": "sarb", "job_key": key})
    assert first.headers["Location"] == again.headers["Location"]  # the same request: one job
    assert other.headers["Location"] != first.headers["Location"]  # another request: its own job
    assert other_again.headers["Location"] == other.headers["Location"]
    job = job_done(auth, other)
    assert job.params["case_id"] == other_case.id and job.state == "done", job.reason
    assert f"Case {other_case.school_year}-{other_case.id:05d} at Lincoln Elementary" in page_text(
        auth.client.get(other.headers["Location"]))


def test_a_letter_batch_can_be_found_again_after_leaving_its_page(auth, login_as, world):
    officer = login_as("officer")
    school = world["school_a"]
    page = page_text(auth.client.get(f"/letters/due?school={school.id}"))
    key = re.search(r'name="job_key" value="([^"]+)"', page).group(1) if "job_key" in page else runner.new_key()
    job = job_done(auth, auth.post("/letters/due", data={"school": school.id, "job_key": key}))
    auth.client.get("/cases")  # off to the caseload
    back = page_text(auth.client.get(f"/letters/due?school={school.id}"))
    assert f'href="/jobs/{job.id}"' in back and "Your latest:" in back
    recent = page_text(auth.client.get("/jobs"))
    assert 'href="/jobs"' in recent  # reachable from the menu
    assert f'href="/jobs/{job.id}"' in recent and "Letters due at Lincoln Elementary" in recent


def test_recent_work_lists_the_users_own_jobs_newest_first_and_no_one_elses(auth, login_as, world):
    officer = login_as("officer")
    case = world["case_a"]
    old = a_job(officer, "case_report", {"case_id": case.id}, state="done",
                created_at=utcnow() - datetime.timedelta(days=40))
    report = a_job(officer, "case_report", {"case_id": case.id}, state="failed", finished_at=utcnow())
    export = a_job(officer, "export_xlsx", {"name": "office", "args": []})
    theirs = a_job(world["other_officer"], "letters_due", {"school_id": world["school_b"].id})
    page = page_text(auth.client.get("/jobs"))
    assert page.index(f'href="/jobs/{export.id}"') < page.index(f'href="/jobs/{report.id}"')
    assert f'href="/jobs/{old.id}"' not in page and f'href="/jobs/{theirs.id}"' not in page
    assert "Roosevelt Middle" not in page and "Did not work" in page and "Waiting for a worker" in page
    assert "The school&#39;s open cases" in page or "The school's open cases" in page
    paperwork = page_text(auth.client.get(f"/cases/{case.id}/paperwork"))
    assert f'href="/jobs/{report.id}"' in paperwork


def test_an_export_is_named_with_the_filters_it_was_made_with(auth, login_as, world):
    """Your recent work and the list's own page name an export by its list
    and its filters (the worklist's "due this week" and section, the case
    list's school, officer and stage), and the list's page names the latest
    export of the list as filtered now, not one made with other filters."""
    login_as("supervisor")
    school, officer = world["school_a"], world["officer"]
    worklist = f"/worklist?school={school.id}&section=overdue&due=week"
    cases = f"/supervisor/cases?school={school.id}&officer={officer.id}&stage=monitoring"
    made = {}
    for page, export in ((worklist, "/supervisor/export/worklist"), (cases, "/supervisor/export/cases")):
        answer = auth.post(export + page[page.index("?"):], data={"format": "xlsx"})
        assert answer.status_code == 303, page_text(answer)
        made[page] = int(answer.headers["Location"].rsplit("/", 1)[1])
    recent = page_text(auth.client.get("/jobs"))
    assert ("The worklist · School: Lincoln Elementary · Section: Overdue · Due: This week (the next 7 days)"
            in recent)
    assert (f"The district&#39;s cases · School: Lincoln Elementary · Officer: {officer.name} · Stage: Monitoring"
            in recent)
    shown = page_text(auth.client.get(worklist))
    latest = re.search(r'<p class="job-latest.*?</p>', shown, re.S).group(0)
    assert f'href="/jobs/{made[worklist]}"' in latest and "Section: Overdue" in latest and "This week" in latest
    other = page_text(auth.client.get(f"/worklist?school={school.id}"))  # other filters: not that export
    assert f'href="/jobs/{made[worklist]}"' not in other


def test_the_import_list_names_the_file_of_an_apply_that_stopped(auth, login_as, world):
    from tests.web.test_job_leases import previewed_roster
    admin = login_as("admin")
    run_id = previewed_roster(auth)  # the file "r.zip"
    a_job(admin, "import_apply", {"run_id": run_id}, state="failed", reason=runner.STOPPED, finished_at=utcnow())
    gone = a_job(admin, "import_undo", {"run_id": run_id + 100}, state="failed", reason=runner.STOPPED,
                 finished_at=utcnow())
    page = page_text(auth.client.get("/admin/imports"))
    working = page[page.index('class="jobs-working"'):]
    assert re.search(r">r\.zip</a>:\s*applying,\s*<strong class=\"error\">stopped on an error", working)
    assert f"import #{run_id}<" not in working and f"import #{gone.params['run_id']}<" in working
