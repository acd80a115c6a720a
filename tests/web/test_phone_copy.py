"""What the phone keeps is logged for what it is, and logging out wipes it."""
import pytest

from fieldapp.models import AccessLog
from tests.conftest import Auth
from tests.web.conftest import sign_in


def _actions(student):
    return [r.action for r in AccessLog.select().where(AccessLog.student == student).order_by(AccessLog.id)]


def _copy_token(client):
    return client.get("/api/sync/offline-pages").get_json()["copy_token"]


def test_a_page_kept_for_offline_work_is_logged_as_an_offline_copy(client, world, login_as):
    student = world["student_a"]
    login_as("officer")
    token = _copy_token(client)
    assert client.get(f"/students/{student.id}", headers={"X-Offline-Copy": token}).status_code == 200
    assert client.get(f"/students/{student.id}").status_code == 200
    assert _actions(student) == ["offline copy", "view"]


def test_the_caseload_kept_for_offline_work_is_one_offline_copy_per_student(client, world, login_as):
    login_as("officer")
    token = _copy_token(client)
    assert client.get("/caseload", headers={"X-Offline-Copy": token}).status_code == 200
    assert _actions(world["student_a"]) == ["offline copy"]


@pytest.mark.parametrize("header", ["1", "true", "forged.token.value", "x" * 5000])
def test_a_header_the_server_did_not_issue_is_a_person_reading(client, world, login_as, header):
    student = world["student_a"]
    login_as("officer")
    client.get(f"/students/{student.id}", headers={"X-Offline-Copy": header})
    assert _actions(student) == ["view"]


def test_a_token_is_only_good_for_its_officer_and_their_own_caseload(app, client, world, login_as):
    officer_client = app.test_client()
    sign_in(officer_client, Auth(officer_client), world["officer"])
    token = _copy_token(officer_client)
    login_as("supervisor")  # someone else replaying the officer's token
    client.get(f"/students/{world['student_a'].id}", headers={"X-Offline-Copy": token})
    # The officer's own token on a record that is not on their caseload.
    from tests import factories
    other = factories.gen_student(world["school_a"], first="Luz", last="Ortiz")
    officer_client.get(f"/students/{other.id}", headers={"X-Offline-Copy": token})
    assert _actions(world["student_a"]) == ["view"] and _actions(other) == ["view"]


def test_an_expired_token_is_a_person_reading(client, world, login_as, monkeypatch):
    from fieldapp.web import offline_copy
    login_as("officer")
    token = _copy_token(client)
    monkeypatch.setattr(offline_copy, "LIFETIME", -1)
    client.get(f"/students/{world['student_a'].id}", headers={"X-Offline-Copy": token})
    assert _actions(world["student_a"]) == ["view"]


def test_logging_out_tells_the_browser_to_wipe_what_it_kept(client, auth, world):
    auth.login(world["officer"])
    response = auth.post("/logout")
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert client.get("/caseload").status_code == 302  # logged out


def test_one_tap_buttons_offer_only_methods_the_role_may_log(client, auth, world):
    new_contact = f"/cases/{world['case_a'].id}/contacts/new?method="
    auth.login(world["front"])
    page = client.get(f"/students/{world['student_a'].id}").get_data(as_text=True)
    assert new_contact + "phone" in page and new_contact + "excuse_note" in page
    assert new_contact + "home_visit" not in page
