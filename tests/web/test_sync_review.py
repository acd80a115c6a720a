"""Supervisors review sync conflicts: keep the first, or add the second under its sender."""
from fieldapp.models import Contact, SyncConflict
from tests.unit.sync_entries import gen_conflict


def test_conflicts_page_shows_both_versions(client, login_as, world):
    gen_conflict(world["contact_a"], notes="Mother says he was sick.")
    login_as("supervisor")
    page = client.get("/supervisor/sync/conflicts").get_data(as_text=True)
    assert "Spoke with mother at the door." in page and "Mother says he was sick." in page
    assert world["officer"].name in page


def test_keep_first_resolves_without_a_new_contact(client, login_as, auth, world):
    conflict = gen_conflict(world["contact_a"])
    login_as("supervisor")
    response = auth.post(f"/supervisor/sync/conflicts/{conflict.id}/resolve",
                         {"resolution": "keep_first", "note": "Duplicate tap."})
    assert response.status_code == 302
    stored = SyncConflict.get_by_id(conflict.id)
    assert stored.resolution == "keep_first" and stored.resolved_by_id == world["supervisor"].id
    assert Contact.select().count() == 2
    assert "No conflicts wait" in client.get("/supervisor/sync/conflicts").get_data(as_text=True)


def test_add_second_logs_it_under_the_officer_who_sent_it_once(client, login_as, auth, world):
    conflict = gen_conflict(world["contact_a"], notes="Second visit the same day.")
    login_as("supervisor")
    url = f"/supervisor/sync/conflicts/{conflict.id}/resolve"
    assert auth.post(url, {"resolution": "add_second"}).status_code == 302
    added = Contact.get(Contact.notes == "Second visit the same day.")
    assert added.author_id == world["officer"].id and added.case_id == world["case_a"].id
    again = auth.post(url, {"resolution": "add_second"}, follow_redirects=True)
    assert "This conflict was already resolved." in again.get_data(as_text=True)
    assert Contact.select().where(Contact.notes == "Second visit the same day.").count() == 1


def test_resolving_without_a_choice_says_what_to_fix(client, login_as, auth, world):
    conflict = gen_conflict(world["contact_a"])
    login_as("supervisor")
    response = auth.post(f"/supervisor/sync/conflicts/{conflict.id}/resolve", {"resolution": "x"})
    assert response.status_code == 422
    assert "Choose what to do with the second version." in response.get_data(as_text=True)
    assert auth.post("/supervisor/sync/conflicts/999/resolve", {}).status_code == 404
