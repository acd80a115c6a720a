"""A write that waits too long for another one (an import holding SQLite's one
writer, or the rows it needs on PostgreSQL) gives up with a clear "busy"
answer, not a 500: the page says to send it again and keeps the form, the
phone's sync is told to retry (503, Retry-After) and keeps its entries, and
nothing is stored until it is sent again; then it is stored once.

The other write is a real transaction on its own connection, held open; the
app is bound to its database with a one-second wait (DATABASE_BUSY_SECONDS)."""
import datetime
import uuid

import pytest

from fieldapp.models import Contact
from fieldapp.timefmt import to_local
from tests.races import holding, impatient_database
from tests.unit.sync_entries import entry
from tests.web.conftest import page_text


@pytest.fixture
def impatient(app):
    with impatient_database(app.config["DATABASE_URL"]):
        yield


def _contact_form(case_id):
    when = to_local(datetime.datetime.utcnow() - datetime.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")
    return {"uuid": str(uuid.uuid4()), "method": "phone", "outcome": "voicemail", "reasons": "illness",
            "notes": "Called while the database was busy", "occurred_at": when, "follow_up_on": ""}


def test_a_contact_sent_while_the_database_is_busy_is_answered_busy_then_stored_once(auth, world, impatient):
    auth.login(world["officer"])
    case = world["case_a"]
    form = _contact_form(case.id)
    release = holding(case)
    try:
        busy = auth.post(f"/cases/{case.id}/contacts/new", form, headers={"HX-Request": "true"})
    finally:
        release()
    text = page_text(busy)
    assert busy.status_code == 503, text[:500]
    assert "busy" in text.lower() and "send it again" in text.lower()
    assert int(busy.headers["Retry-After"]) > 0
    assert not Contact.select().where(Contact.notes == form["notes"]).exists()

    again = auth.post(f"/cases/{case.id}/contacts/new", form)
    assert again.status_code in (302, 303), page_text(again)[:500]
    assert Contact.select().where(Contact.notes == form["notes"]).count() == 1


def test_a_phone_syncing_while_the_database_is_busy_is_told_to_retry_and_its_entries_land_once(
        client, login_as, world, impatient):
    officer = login_as("officer")
    token = client.get("/api/sync/session").get_json()["csrf_token"]
    sent = entry(world["case_a"], officer)
    release = holding(world["case_a"])
    try:
        busy = client.post("/api/sync", json={"entries": [sent]}, headers={"X-CSRFToken": token})
    finally:
        release()
    assert busy.status_code == 503, busy.get_data(as_text=True)[:500]
    assert busy.get_json()["error"] == "Busy just now" and int(busy.headers["Retry-After"]) > 0
    assert not Contact.select().where(Contact.uuid == sent["uuid"]).exists()

    again = client.post("/api/sync", json={"entries": [sent]}, headers={"X-CSRFToken": token})
    assert again.status_code == 200
    assert [r["status"] for r in again.get_json()["results"]] == ["created"]
    assert Contact.select().where(Contact.uuid == sent["uuid"]).count() == 1
