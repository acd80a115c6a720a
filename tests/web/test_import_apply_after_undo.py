"""Applying again an import undone since (the browser's back button, then Apply once more) applies
nothing and says the import was undone, when and by whom, instead of "Applied"."""
from fieldapp.models import ImportRun, Job, Student, User
from tests.jobs_support import job_done
from tests.web.conftest import page_text
from tests.web.test_import_pages import roster_zip, upload, upload_and_apply


def test_apply_posted_again_after_an_undo_says_undone_and_applies_nothing(auth, login_as):
    admin = login_as("admin")
    url = upload_and_apply(auth, "oneroster", roster_zip(), "roster.zip")
    run = ImportRun.get_by_id(int(url.rsplit("/", 1)[1]))
    assert job_done(auth, auth.post(url + "/undo", {"confirmed": "yes"})).state == "done"
    students = Student.select().where(Student.active == True).count()  # noqa: E712
    jobs = Job.select().count()
    again = auth.post(url + "/apply", {"confirmation": run.confirm_phrase})
    assert again.status_code == 409
    said = page_text(again)
    assert "This import was applied, then undone" in said and admin.name in said and "Applied." not in said
    assert "not applied again" in said
    assert Job.select().count() == jobs
    assert Student.select().where(Student.active == True).count() == students  # noqa: E712
    assert ImportRun.get_by_id(run.id).undone_at is not None


def test_apply_posted_again_after_an_undo_says_so_in_spanish(auth, login_as):
    admin = login_as("admin")
    url = upload_and_apply(auth, "oneroster", roster_zip(), "roster.zip")
    run = ImportRun.get_by_id(int(url.rsplit("/", 1)[1]))
    assert job_done(auth, auth.post(url + "/undo", {"confirmed": "yes"})).state == "done"
    User.update(language="es").where(User.id == admin.id).execute()
    again = auth.post(url + "/apply", {"confirmation": run.confirm_phrase})
    assert again.status_code == 409
    assert "se deshizo" in page_text(again)


def test_the_old_apply_job_page_says_the_import_was_undone_since(auth, login_as):
    admin = login_as("admin")
    url = upload(auth, "oneroster", roster_zip(), "roster.zip")
    run = ImportRun.get_by_id(int(url.rsplit("/", 1)[1]))
    applying = auth.post(url + "/apply", {"confirmation": run.confirm_phrase})
    job_page = applying.headers["Location"]
    assert job_done(auth, applying).state == "done"
    assert "Undone" not in page_text(auth.client.get(job_page))
    assert job_done(auth, auth.post(url + "/undo", {"confirmed": "yes"})).state == "done"
    said = page_text(auth.client.get(job_page))
    assert "Applied." in said and "Undone " in said and f"by {admin.name}" in said
