"""A number that reached a stranger or a dead line is marked from the student
page (or from the contact that found it out): it is no longer offered but
stays on the record. A roster's empty phone clears it."""
import os

from fieldapp import imports
from fieldapp.models import Guardian, PhoneMark
from fieldapp.rules.settings import RuleSettings
from tests import factories
from tests.web.conftest import page_text


def test_an_officer_marks_a_number_wrong_and_it_is_no_longer_offered(auth, client, world, login_as):
    officer = login_as("officer")
    student = world["student_a"]
    guardian = Guardian.get(Guardian.first_name == "Ana")
    page = page_text(client.get(f"/students/{student.id}"))
    assert "Call (555) 201-3344" in page and "Number wrong or disconnected?" in page
    answer = auth.post(f"/students/{student.id}/numbers",
                       {"guardian_id": guardian.id, "field": "phone", "status": "disconnected"})
    assert answer.status_code == 303
    page = page_text(client.get(answer.headers["Location"]))
    assert "Call (555) 201-3344" not in page and 'href="tel:(555)201-3344"' not in page
    assert "<s>(555) 201-3344</s> — disconnected, marked by " + officer.name in page
    assert Guardian.get_by_id(guardian.id).phone == "(555) 201-3344"  # kept on the record
    again = auth.post(f"/students/{student.id}/numbers",
                      {"guardian_id": guardian.id, "field": "phone", "status": "wrong"})
    assert again.status_code == 422 and "This number is marked already." in page_text(again)


def test_a_contact_with_a_wrong_number_offers_to_mark_it_and_names_the_contact(auth, client, world, login_as):
    officer = login_as("officer")
    contact = factories.gen_contact(world["case_a"], officer, method="phone", outcome="wrong_number",
                                    reasons=[], people_present=[])
    guardian = Guardian.get(Guardian.first_name == "Ana")
    page = page_text(client.get(f"/students/{world['student_a'].id}"))
    assert "The last call reached a wrong or disconnected number: mark which one" in page
    assert f'name="contact_id" value="{contact.id}"' in page
    auth.post(f"/students/{world['student_a'].id}/numbers",
              {"guardian_id": guardian.id, "field": "phone", "status": "wrong", "contact_id": str(contact.id)})
    assert PhoneMark.get().contact_id == contact.id


def test_bad_marks_are_refused_without_an_error_page(auth, client, world, login_as):
    login_as("officer")
    guardian = Guardian.get(Guardian.first_name == "Ana")
    url = f"/students/{world['student_a'].id}/numbers"
    g = guardian.id
    assert auth.post(url, {"guardian_id": g, "field": "alt_phone", "status": "wrong"}).status_code == 422
    assert auth.post(url, {"guardian_id": g, "field": "phone", "status": "maybe"}).status_code == 422
    assert auth.post(url, {"guardian_id": "x" * 500, "field": "phone", "status": "wrong"}).status_code == 422
    assert auth.post(url, {"guardian_id": g, "field": "phone", "status": "wrong",
                           "contact_id": "9" * 40}).status_code == 303
    other = f"/students/{world['student_b'].id}/numbers"
    assert auth.post(other, {"guardian_id": g, "field": "phone", "status": "wrong"}).status_code == 403
    login_as("admin")
    assert auth.post(url, {"guardian_id": g, "field": "phone", "status": "wrong"}).status_code == 403


def test_a_new_number_from_the_district_is_offered_again(auth, client, world, login_as):
    officer = login_as("officer")
    guardian = Guardian.get(Guardian.first_name == "Ana")
    auth.post(f"/students/{world['student_a'].id}/numbers",
              {"guardian_id": guardian.id, "field": "phone", "status": "wrong"})
    Guardian.update(phone="(555) 999-0000").where(Guardian.id == guardian.id).execute()
    page = page_text(client.get(f"/students/{world['student_a'].id}"))
    assert "Call (555) 999-0000" in page and officer


def test_an_empty_oneroster_phone_or_email_clears_the_stored_value(app):
    data = os.path.join(os.path.dirname(__file__), "..", "data", "oneroster-bulk")
    imports.run("oneroster", data, "bulk", RuleSettings())
    ana = Guardian.get(Guardian.sourced_id == "par-1")
    assert (ana.email, ana.phone) == ("ana.garcia@example.org", "(555) 201-3344")
    folder = os.path.join(os.path.dirname(__file__), "..", "data", "oneroster-delta")
    import shutil
    import tempfile
    target = tempfile.mkdtemp()
    shutil.copy(os.path.join(folder, "manifest.csv"), target)
    with open(os.path.join(data, "users.csv"), encoding="utf-8") as f:
        header, *rows = f.read().splitlines()
    ana_row = next(r for r in rows if r.startswith("par-1,"))
    with open(os.path.join(target, "users.csv"), "w", encoding="utf-8") as f:
        f.write(header + "\n" + ana_row.replace("ana.garcia@example.org,(555) 201-3344", ",") + "\n")
    preview = imports.preview("oneroster", target, "delta", RuleSettings()).report
    assert preview.counts["values cleared"] == 2  # the preview says what an empty cell clears
    assert preview.examples["values cleared"] == ["Ana García: phone, email"]
    run, report = imports.run("oneroster", target, "delta", RuleSettings())
    assert run.outcome == "applied", run.message
    ana = Guardian.get_by_id(ana.id)
    assert (ana.email, ana.phone) == ("", "")


def test_a_text_to_a_wrong_number_is_not_called_a_call(auth, client, world, login_as):
    """A bounced text showed 'The last call reached a wrong or disconnected number'."""
    officer = login_as("officer")
    factories.gen_contact(world["case_a"], officer, method="text", outcome="wrong_number",
                          reasons=[], people_present=[])
    page = page_text(client.get(f"/students/{world['student_a'].id}"))
    assert "The last call reached" not in page
    assert "The last text went to a wrong or disconnected number: mark which one" in page
    officer.language = "es"
    officer.save()
    page = page_text(client.get(f"/students/{world['student_a'].id}"))
    assert "El último mensaje de texto fue a un número equivocado o desconectado: marque cuál" in page
