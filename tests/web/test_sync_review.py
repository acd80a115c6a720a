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


def test_a_second_version_outside_the_senders_reach_is_invalid_and_not_kept(world):
    """A resend of an officer's own UUID naming another school's case, or with notes past
    the limit, is checked as a new entry would be: answered invalid, nothing kept."""
    from fieldapp.sync.batch import apply_batch
    from tests.unit.sync_entries import entry
    officer = world["officer"]
    first = entry(world["case_a"], officer)
    assert apply_batch(officer, [first])[0]["status"] == "created"
    elsewhere = {**first, "case_id": world["case_b"].id, "notes": "Another child."}
    too_long = {**first, "notes": "n" * 2_000_000}
    results = apply_batch(officer, [elsewhere, too_long])
    assert [r["status"] for r in results] == ["invalid", "invalid"]
    assert "may not log contacts" in results[0]["errors"]["case_id"]
    assert "too long" in results[1]["errors"]["notes"]
    assert SyncConflict.select().count() == 0


def test_resolving_re_checks_the_second_version_and_the_page_names_each_student(
        client, login_as, auth, world):
    import json
    conflict = gen_conflict(world["contact_a"], notes="Typed on the wrong child.")
    payload = json.loads(conflict.payload)
    conflict.payload = json.dumps({**payload, "case_id": world["case_b"].id})
    conflict.save()
    login_as("supervisor")
    page = client.get("/supervisor/sync/conflicts").get_data(as_text=True)
    assert "Roosevelt Middle" in page and "Lincoln Elementary" in page
    assert "Núñez" in page and "Another student:" in page
    response = auth.post(f"/supervisor/sync/conflicts/{conflict.id}/resolve",
                         {"resolution": "add_second"})
    assert response.status_code == 422
    assert "may not log contacts on that student" in response.get_data(as_text=True)
    assert not Contact.select().where(Contact.notes == "Typed on the wrong child.").exists()
    assert SyncConflict.get_by_id(conflict.id).resolved_at is None
