"""What the phone keeps is logged for what it is, and logging out wipes it."""
from fieldapp.models import AccessLog


def test_a_page_kept_for_offline_work_is_logged_as_an_offline_copy(client, world, login_as):
    student = world["student_a"]
    login_as("officer")
    assert client.get(f"/students/{student.id}", headers={"X-Offline-Copy": "1"}).status_code == 200
    assert client.get(f"/students/{student.id}").status_code == 200
    actions = [r.action for r in AccessLog.select().where(AccessLog.student == student)
               .order_by(AccessLog.id)]
    assert actions == ["offline copy", "view"]


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
