"""The letters sent district-wide: a supervisor lists them by school, kind and
day sent, pages through them and exports what the list shows; each student
listed is logged; other roles are told what they may not do."""
import csv
import datetime
import io

from fieldapp.models import AccessLog, Letter, utcnow
from tests.documents_support import gen_issued_letter
from tests.web.conftest import page_text


def _sent(world, case_key, kind, days_ago, how="mail"):
    letter = gen_issued_letter(world[case_key], world["officer"])
    Letter.update(kind=kind, sent_how=how, sent_at=utcnow() - datetime.timedelta(days=days_ago)).where(
        Letter.id == letter.id).execute()
    return Letter.get_by_id(letter.id)


def _csv(answer):
    assert answer.status_code == 200, page_text(answer)[:300]
    return list(csv.DictReader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))


def test_a_supervisor_lists_and_exports_the_letters_sent_by_school_kind_and_day(auth, login_as, world):
    a_old = _sent(world, "case_a", "first_notice", 40)
    a_new = _sent(world, "case_a", "conference_invitation", 2, how="certified_mail")
    b_new = _sent(world, "case_b", "first_notice", 1)
    gen_issued_letter(world["case_b"], world["officer"])  # made, never sent: not listed
    login_as("supervisor")
    everything = page_text(auth.client.get("/supervisor/letters"))
    assert "3 letters" in everything and "Letters sent" in everything
    assert "Roosevelt Middle" in everything and "Certified mail" in everything
    assert "Invitation to an attendance conference" in everything and "conference_invitation<" not in everything
    by_school = page_text(auth.client.get(f"/supervisor/letters?school={world['school_a'].id}"))
    assert "2 letters" in by_school and "Roosevelt Middle</td>" not in by_school
    by_kind = auth.client.get("/supervisor/letters?kind=first_notice")
    assert "2 letters" in page_text(by_kind)
    since = (utcnow() - datetime.timedelta(days=10)).date().isoformat()
    recent = page_text(auth.client.get(f"/supervisor/letters?kind=first_notice&date_from={since}"))
    assert "1 letter" in recent and world["student_b"].last_name in recent
    # The export holds what the list shows, with the same filters.
    rows = _csv(auth.post(f"/supervisor/export/letters?kind=first_notice&date_from={since}", data={"format": "csv"}))
    assert [int(r["Letter"]) for r in rows] == [b_new.id]
    rows = _csv(auth.post(f"/supervisor/export/letters?school={world['school_a'].id}", data={"format": "csv"}))
    assert [int(r["Letter"]) for r in rows] == [a_new.id, a_old.id]


def test_the_students_listed_are_logged_and_a_bad_filter_is_said(auth, login_as, world):
    _sent(world, "case_a", "first_notice", 1)
    login_as("admin")
    before = AccessLog.select().count()
    assert auth.client.get("/supervisor/letters").status_code == 200
    assert [line.student_id for line in AccessLog.select().where(AccessLog.id > before)] == [world["student_a"].id]
    wrong = auth.client.get("/supervisor/letters?kind=parking_ticket&date_from=yesterday")
    assert wrong.status_code == 422
    text = page_text(wrong)
    assert "is not one of the choices" in text and "parking_ticket" in text
    refused = auth.post("/supervisor/export/letters?kind=parking_ticket", data={"format": "csv"})
    assert refused.status_code in (403, 422)  # an administrator exports nothing; a bad filter is no file


def test_other_roles_are_told_the_list_is_the_supervisors(auth, login_as, world):
    for role in ("officer", "front_office"):
        login_as(role)
        refused = auth.client.get("/supervisor/letters")
        assert refused.status_code == 403
        assert "may not see the letters sent district-wide" in page_text(refused)
