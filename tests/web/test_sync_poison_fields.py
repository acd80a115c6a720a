"""Every field of an entry holding a value no phone should send, beside good entries:
the bad one is answered `invalid` naming the field, each good one is stored once, no 500."""
import json

import pytest

from fieldapp.models import Contact
from tests.unit.sync_entries import entry
from tests.web.test_sync_api import send, session

LONE = "\ud800"
HUGE = "9" * 5000
BIG = 10 ** 4000  # a JSON number Python itself can still write

# (field, value)
POISON = [
    ("notes", "Door closed " + LONE),
    ("method", LONE), ("outcome", "reached" + LONE), ("language", LONE),
    ("reasons", [LONE]), ("people_present", ["parent" + LONE]),
    ("occurred_at", "2026-01-01T10:00:00" + LONE), ("follow_up_on", LONE),
    ("uuid", LONE), ("uuid", HUGE), ("uuid", ["x"]),
    ("method", 5), ("method", {"a": 1}), ("outcome", [1]), ("notes", 12),
    ("notes", {"text": "x"}), ("reasons", "transportation"), ("reasons", HUGE),
    ("people_present", [[["parent"]]]), ("interpreter_used", {"x": 1}),
    ("interpreter_used", HUGE), ("latitude", "north"), ("latitude", BIG),
    ("longitude", [1]), ("latitude", 91.0), ("longitude", -181.0),
    ("siblings", HUGE), ("siblings", [BIG]), ("siblings", [True]),
    ("case_id", -1), ("case_id", 1.5), ("case_id", True), ("case_id", "٣"),
    ("user_id", HUGE), ("user_id", None),
    ("occurred_at", "２０２６-01-01T10:00:00+00:00"), ("occurred_at", HUGE),
    ("occurred_at", 2 ** 63), ("occurred_at", "9999-12-31T23:59:59-23:59"),
    ("follow_up_on", "9999-12-31T23:30:00-08:00"), ("follow_up_on", "٢٠٢٦-١٢-٠١"),
    ("follow_up_on", HUGE), ("follow_up_on", 20261201), ("follow_up_on", "0000-01-01"),
    ("saved_at", "9999-12-31T23:30:00-08:00"), ("saved_at", HUGE), ("saved_at", {"a": 1}),
]


@pytest.mark.parametrize("field,value", POISON, ids=[f"{p[0]}-{i}" for i, p in enumerate(POISON)])
def test_poison_in_any_field_is_answered_and_the_good_entries_are_stored_once(
        client, login_as, world, field, value):
    officer = login_as("officer")
    token = session(client)["csrf_token"]
    before, after = entry(world["case_a"], officer), entry(world["case_a"], officer)
    bad = {**entry(world["case_a"], officer), field: value}
    response = send(client, token, {"entries": [before, bad, after]})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    results = response.get_json()["results"]
    statuses = [r["status"] for r in results]
    assert statuses[0] == statuses[2] == "created", results
    # A value the server may fairly read (a list for a code...) may be stored; otherwise invalid.
    assert statuses[1] in ("invalid", "created"), results[1]
    if statuses[1] == "invalid":
        assert results[1]["errors"], results[1]
    stored = [str(c.uuid) for c in Contact.select()]
    assert stored.count(before["uuid"]) == 1 and stored.count(after["uuid"]) == 1
    again = send(client, token, {"entries": [before, bad, after]})
    assert again.status_code == 200
    assert [str(c.uuid) for c in Contact.select()].count(after["uuid"]) == 1


@pytest.mark.parametrize("field", ["case_id", "user_id", "latitude", "siblings"])
def test_a_number_of_5000_digits_is_answered_not_a_500(client, login_as, world, field):
    officer = login_as("officer")
    token = session(client)["csrf_token"]
    good = entry(world["case_a"], officer)
    bad = {**entry(world["case_a"], officer), field: "@"}
    body = json.dumps({"entries": [good, bad]}).replace('"@"', HUGE)
    response = client.post("/api/sync", data=body, content_type="application/json",
                           headers={"X-CSRFToken": token})
    assert response.status_code in (200, 400), response.get_data(as_text=True)[:300]
    if response.status_code == 400:  # refused whole: the phone splits the batch
        assert response.get_json()["whole"] is True
    else:
        assert [r["status"] for r in response.get_json()["results"]] == ["created", "invalid"]
