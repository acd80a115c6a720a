"""A roster that moves a student to another school moves their open case: the
new school's staff work it on every path (pages, sync, documents, lists,
letters) and the old school's staff lose access at once. One rule decides:
the student's current school."""
import pytest

from fieldapp import imports
from fieldapp.cases.history_text import note_text
from fieldapp.models import Case, CaseEvent, Contact, DocumentRecord
from fieldapp.rules.settings import RuleSettings
from tests import documents_support as support
from tests import factories
from tests.unit.sync_entries import entry
from tests.web.conftest import page_text, sign_in
from tests.jobs_support import post_job

USERS_HEADER = ("sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,"
                "givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password\n")


def transfer(student, school, tmp_path):
    """Import a OneRoster delta that moves student to school."""
    folder = tmp_path / "delta"
    folder.mkdir()
    (folder / "manifest.csv").write_text("propertyName,value\noneroster.version,1.1\nfile.users,delta\n")
    (folder / "users.csv").write_text(
        USERS_HEADER + f"{student.sourced_id},active,,true,{school.sourced_id},student,,,"
        f"{student.first_name},{student.last_name},,{student.local_id},,,,,05,\n", encoding="utf-8")
    run, report = imports.run("oneroster", str(folder), "delta", RuleSettings())
    assert run.outcome == "applied", (run.message, run.problems)
    return report


@pytest.fixture
def moved(world, tmp_path):
    """María (school A, case worked by the A officer, a letter due) moves to school B."""
    case = world["case_a"]
    Case.update(stage="first_notice").where(Case.id == case.id).execute()
    support.add_attendance(world["student_a"], world["school_a"], unexcused=4, tardies=0)
    before = factories.gen_contact(case, world["officer"])
    report = transfer(world["student_a"], world["school_b"], tmp_path)
    return {"case": Case.get_by_id(case.id), "report": report, "before": before}


def test_the_open_case_follows_the_student_with_a_line_in_its_history(world, moved):
    case = moved["case"]
    assert case.school_id == world["school_b"].id and case.officer_id == world["other_officer"].id
    assert moved["report"].counts["open cases moved with a transfer"] == 1
    event = CaseEvent.get(CaseEvent.case == case, CaseEvent.kind == "transferred")
    assert (event.note, event.note_code) == ("", "transferred")
    assert note_text(event).startswith("Transferred from Lincoln Elementary on ")


def test_on_the_web_the_new_officer_works_the_case_and_the_old_one_is_refused(client, auth, world, moved):
    sign_in(client, auth, world["other_officer"])
    page = client.get(f"/students/{world['student_a'].id}")
    assert page.status_code == 200 and "moved with the student from Lincoln Elementary to Roosevelt Middle" in page_text(page)
    assert client.get(f"/cases/{moved['case'].id}/contacts/new").status_code == 200
    sign_in(client, auth, world["officer"])
    assert client.get(f"/students/{world['student_a'].id}").status_code == 403
    assert client.get(f"/cases/{moved['case'].id}/contacts/new").status_code == 403
    assert "García, María" not in page_text(client.get("/caseload"))


def _sync(client, auth, user, case):
    sign_in(client, auth, user)
    token = client.get("/api/sync/session").get_json()["csrf_token"]
    sent = entry(case, user)
    body = client.post("/api/sync", json={"entries": [sent]}, headers={"X-CSRFToken": token}).get_json()
    return body["results"][0]["status"], sent["uuid"]


def test_through_sync_the_new_officer_logs_and_the_old_one_is_refused(client, auth, world, moved):
    status, uuid = _sync(client, auth, world["other_officer"], moved["case"])
    assert status == "created" and Contact.select().where(Contact.uuid == uuid).exists()
    status, uuid = _sync(client, auth, world["officer"], moved["case"])
    assert status != "created" and not Contact.select().where(Contact.uuid == uuid).exists()


def test_documents_follow_the_student(client, auth, world, moved):
    sign_in(client, auth, world["other_officer"])
    made = post_job(auth, f"/cases/{moved['case'].id}/report", {"recipient": "sarb"})
    record = DocumentRecord.get(DocumentRecord.case == moved["case"])
    assert made.result["document_id"] == record.id
    assert record.school_id == world["school_b"].id
    assert client.get(f"/documents/{record.id}").status_code == 200
    sign_in(client, auth, world["officer"])
    assert client.get(f"/documents/{record.id}").status_code == 403
    assert auth.post(f"/cases/{moved['case'].id}/report", data={"recipient": "sarb"}).status_code == 403


def test_lists_and_letters_of_the_old_school_drop_the_student(client, auth, world, moved):
    sign_in(client, auth, world["front"])  # school A's front office
    assert "García" not in page_text(client.get("/office"))
    assert "García, María" not in page_text(client.get("/letters/due"))
    assert client.get(f"/cases/{moved['case'].id}/letters/new").status_code == 403
    front_b = factories.gen_user("front_office", [world["school_b"]])
    sign_in(client, auth, front_b)
    assert "García" in page_text(client.get("/office"))
    assert "García, María" in page_text(client.get("/letters/due"))


def test_undoing_the_roster_moves_the_case_back(world, moved):
    run = imports.history.recent(1)[0]
    imports.undo(run, world["admin"])
    case = Case.get_by_id(moved["case"].id)
    assert case.school_id == world["school_a"].id and case.officer_id == world["officer"].id
    last = CaseEvent.select().where(CaseEvent.case == case).order_by(CaseEvent.id.desc()).first()
    assert (last.kind, last.from_value, last.to_value) == ("transferred", "Roosevelt Middle", "Lincoln Elementary")
    assert f"Import #{run.id} (delta) was undone" in note_text(last) and last.by_id == world["admin"].id


def test_a_waiting_referral_follows_the_student_to_the_new_schools_officer(client, auth, world, tmp_path):
    """Referred by school A's front office, then moved to school B before an
    officer answered: A's officer no longer sees it (name, reason, note), B's
    officer gets it to answer."""
    from fieldapp.cases import desk_records
    from fieldapp.models import Referral
    pupil = factories.gen_student(world["school_a"], first="Lucía", last="Quispe")
    referral = desk_records.refer(world["front"], pupil, {"reason": "illness", "note": "Out since Monday"})
    assert referral.officer_id == world["officer"].id
    sign_in(client, auth, world["officer"])
    assert "Quispe" in page_text(client.get("/caseload"))
    transfer(pupil, world["school_b"], tmp_path)
    assert "Quispe" not in page_text(client.get("/caseload"))
    moved = Referral.get_by_id(referral.id)
    assert (moved.school_id, moved.officer_id) == (world["school_b"].id, world["other_officer"].id)
    sign_in(client, auth, world["other_officer"])
    assert "Quispe" in page_text(client.get("/caseload"))
    assert client.get(f"/referrals/{referral.id}/decline").status_code == 200
    imports.undo(imports.history.recent(1)[0], world["admin"])  # undone: back to A's officer
    back = Referral.get_by_id(referral.id)
    assert (back.school_id, back.officer_id) == (world["school_a"].id, world["officer"].id)


def test_a_case_reports_job_page_says_why_its_document_cannot_be_opened_once_the_student_moved(
        client, auth, world, tmp_path):
    sign_in(client, auth, world["officer"])
    case = world["case_a"]
    job = post_job(auth, f"/cases/{case.id}/report", {"recipient": "sarb"})
    document_id = job.result["document_id"]
    assert f'href="/documents/{document_id}"' in page_text(client.get(f"/jobs/{job.id}"))
    transfer(world["student_a"], world["school_b"], tmp_path)
    page = page_text(client.get(f"/jobs/{job.id}"))
    assert f'href="/documents/{document_id}"' not in page and "Open the document" not in page
    assert "You can no longer open this document: its student is now at a school your account does not cover." \
        in page
    assert client.get(f"/documents/{document_id}").status_code == 403  # as the page said
    sign_in(client, auth, world["other_officer"])  # the new school's officer: not their job's page
    assert client.get(f"/jobs/{job.id}").status_code == 403
