"""A phone's sync of a chunk is one transaction: the session's check, the
rate limit's count and the chunk commit together, once. A commit of its own
for the count (on PostgreSQL a flush of the log to disk) was a fixed cost of
every chunk, which made twenty requests of 50 slower than one batch of 1,000
(bench/bench_sync.py). A request that fails is still counted."""
import contextlib

import pytest
from peewee import DatabaseError

from fieldapp.db import database, is_postgres
from fieldapp.models import Contact
from tests.unit.sync_entries import entry

REFUSED = "Refused by the database."


@contextlib.contextmanager
def database_refusing_contacts_noted(text):
    """The database refuses to store a contact whose notes are `text` (a trigger),
    as a full disk or a lost connection would fail a request half way."""
    if is_postgres():
        database.execute_sql(
            "CREATE FUNCTION refuse_noted_contact() RETURNS trigger AS $$ BEGIN "
            f"IF NEW.notes = '{text}' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ "
            "LANGUAGE plpgsql")
        database.execute_sql("CREATE TRIGGER refuse_noted_contact BEFORE INSERT ON contact "
                             "FOR EACH ROW EXECUTE FUNCTION refuse_noted_contact()")
    else:
        database.execute_sql(f"CREATE TRIGGER refuse_noted_contact BEFORE INSERT ON contact "
                             f"WHEN NEW.notes = '{text}' BEGIN SELECT RAISE(ABORT, 'refused'); END")
    try:
        yield
    finally:
        database.connect(reuse_if_open=True)
        database.execute_sql("DROP TRIGGER refuse_noted_contact" + (" ON contact" if is_postgres() else ""))
        if is_postgres():
            database.execute_sql("DROP FUNCTION refuse_noted_contact()")


def sync(client, token, entries):
    return client.post("/api/sync", json={"entries": entries}, headers={"X-CSRFToken": token})


def test_a_chunks_sync_commits_once_with_its_session_check_and_rate_limit_count(client, login_as, world):
    officer = login_as("officer")
    token = client.get("/api/sync/session").get_json()["csrf_token"]
    entries = [entry(world["case_a"], officer, notes=f"Visit {i}.") for i in range(50)]
    outside = []
    hook = lambda event: database.in_transaction() or outside.append(event.sql)  # noqa: E731
    database.obj.query_hooks.append(hook)
    try:
        answer = client.post("/api/sync", json={"device": {"id": "phone-0003-abcd", "pending": 50},
                                                "entries": entries}, headers={"X-CSRFToken": token})
    finally:
        database.obj.query_hooks.remove(hook)
    assert answer.get_json()["counts"] == {"created": 50}
    # Before: the session's check and the count ran on their own, the count committing alone.
    assert outside == []
    assert answer.headers["X-RateLimit-Remaining"] == "599"


def test_a_sync_the_database_fails_is_still_counted_and_stores_nothing(client, login_as, world):
    officer = login_as("officer")
    token = client.get("/api/sync/session").get_json()["csrf_token"]
    entries = [entry(world["case_a"], officer, notes=f"Visit {i}.") for i in range(3)]
    entries[1]["notes"] = REFUSED
    with database_refusing_contacts_noted(REFUSED):
        with pytest.raises(DatabaseError):  # the test app lets the error through; a server answers 500
            sync(client, token, entries)
    assert Contact.select().where(Contact.uuid.in_([e["uuid"] for e in entries])).count() == 0
    later = sync(client, token, [entry(world["case_a"], officer)])
    assert later.get_json()["counts"] == {"created": 1}
    assert later.headers["X-RateLimit-Remaining"] == "598"  # the failed request counted


def test_a_batch_whose_second_chunk_fails_keeps_the_first_and_is_counted_once(client, login_as, world):
    officer = login_as("officer")
    token = client.get("/api/sync/session").get_json()["csrf_token"]
    entries = [entry(world["case_a"], officer, notes=f"Visit {i}.") for i in range(150)]
    entries[120]["notes"] = REFUSED  # in the second chunk of 100
    with database_refusing_contacts_noted(REFUSED):
        with pytest.raises(DatabaseError):
            sync(client, token, entries)
    stored = {str(c.uuid) for c in Contact.select().where(Contact.uuid.in_([e["uuid"] for e in entries]))}
    assert stored == {e["uuid"] for e in entries[:100]}  # the first chunk was committed on its own
    later = sync(client, token, entries[100:120])
    assert later.get_json()["counts"] == {"created": 20}
    assert later.headers["X-RateLimit-Remaining"] == "598"  # counted once, not again after the failure
