"""Entries no phone should send, mixed into a batch with good ones: each bad one is
answered `invalid` with what is wrong, every good one is stored, and nothing answers 500."""
import json

import pytest

from fieldapp.models import Contact, DeviceReport
from tests.unit.sync_entries import entry
from tests.web.test_sync_api import send, session


def deep(levels):
    value = []
    for _ in range(levels):
        value = [value]
    return value


# (field, value, the field the answer names)
POISON = [
    ("occurred_at", "9999-12-31T23:30:00-08:00", "occurred_at"),
    ("occurred_at", "0001-01-01T00:10:00+01:00", "occurred_at"),
    ("case_id", "²", "case_id"),
    ("case_id", "9" * 5000, "case_id"),
    ("case_id", 2 ** 63, "case_id"),
    ("case_id", 2 ** 64 + 7, "case_id"),
    ("user_id", "٣", "user_id"),
    ("user_id", 2 ** 63, "user_id"),
    ("siblings", ["²"], "siblings"),
    ("siblings", [2 ** 63], "siblings"),
    ("latitude", 1e309, "location"),
    ("notes", deep(50), "notes"),
    ("reasons", deep(50), "reasons"),
    ("uuid", 12, "uuid"),
    ("notes", "n" * 2_000_000, "notes"),
]


@pytest.mark.parametrize("field,value,named", POISON, ids=[f"{p[0]}-{i}" for i, p in enumerate(POISON)])
def test_a_poison_entry_is_invalid_and_the_rest_of_the_batch_is_stored(client, login_as, world,
                                                                     field, value, named):
    officer = login_as("officer")
    token = session(client)["csrf_token"]
    before, after = entry(world["case_a"], officer), entry(world["case_a"], officer)
    bad = {**entry(world["case_a"], officer), field: value}
    response = send(client, token, {"entries": [before, bad, after]})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    results = response.get_json()["results"]
    assert [r["status"] for r in results] == ["created", "invalid", "created"]
    assert named in results[1]["errors"] and results[1]["errors"][named]
    stored = {str(c.uuid) for c in Contact.select()}
    assert {before["uuid"], after["uuid"]} <= stored


@pytest.mark.parametrize("oldest", ["9999-12-31T23:30:00-08:00", "0001-01-01T00:10:00+01:00", 5])
def test_a_device_report_that_cannot_be_read_does_not_block_the_entries(client, login_as, world,
                                                                       oldest):
    officer = login_as("officer")
    token = session(client)["csrf_token"]
    body = {"device": {"id": "phone-0001-abcd", "pending": 2, "oldest_at": oldest},
            "entries": [entry(world["case_a"], officer)]}
    response = send(client, token, body)
    assert response.status_code == 200 and response.get_json()["counts"] == {"created": 1}
    assert DeviceReport.select().count() == 0


def test_a_body_nested_too_deep_is_refused_whole_with_a_reason_not_a_500(client, login_as, world):
    """The phone splits a batch refused whole until the one entry is left (outbox-store.js)."""
    officer = login_as("officer")
    token = session(client)["csrf_token"]
    # Written by hand: Python's own encoder refuses to go this deep.
    body = json.dumps({"entries": [entry(world["case_a"], officer, notes="@")]})
    body = body.replace('"@"', "[" * 2000 + "]" * 2000)
    response = client.post("/api/sync", data=body, content_type="application/json",
                           headers={"X-CSRFToken": token})
    assert response.status_code == 400 and response.is_json
    assert "nested" in response.get_json()["error"]
    assert response.get_json()["whole"] is True
