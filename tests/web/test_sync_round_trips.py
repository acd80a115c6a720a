"""A phone's sync of a chunk of its outbox costs a few statements and one
commit, whatever the chunk holds: the fixed cost of each request is what made
twenty requests of 50 slower than one batch of 1,000 (bench/bench_sync.py)."""
import contextlib

import psycopg2.extensions

from fieldapp.db import database, is_postgres
from fieldapp.models import Case, Contact, DeviceReport
from tests.unit.sync_entries import entry


def recorded(send):
    """(the answer of send(), the SQL of each statement it ran, the commits it made)."""
    statements, commits = [], []
    db = database.obj
    hook = lambda event: statements.append(event.sql)  # noqa: E731
    commit = db.commit

    def counted_commit(*args, **kwargs):
        commits.append(1)
        return commit(*args, **kwargs)
    db.query_hooks.append(hook)
    db.commit = counted_commit
    try:
        answer = send()
    finally:
        db.query_hooks.remove(hook)
        del db.commit
    return answer, statements, len(commits)


def test_a_chunk_of_fifty_with_its_report_runs_few_statements_and_commits_once(client, login_as, world):
    officer = login_as("officer")
    token = client.get("/api/sync/session").get_json()["csrf_token"]
    entries = [entry(world["case_a"], officer, notes=f"Visit {i}.") for i in range(50)]
    device = {"id": "phone-0002-abcd", "pending": 50, "oldest_at": entries[0]["saved_at"]}
    answer, statements, commits = recorded(lambda: client.post(
        "/api/sync", json={"device": device, "entries": entries}, headers={"X-CSRFToken": token}))
    assert answer.status_code == 200 and answer.get_json()["counts"] == {"created": 50}
    assert Contact.select().where(Contact.uuid.in_([e["uuid"] for e in entries])).count() == 50
    assert DeviceReport.get(DeviceReport.device_id == "phone-0002-abcd").pending == 50
    # The session, the rate limit's count, the user's schools, the chunk's cases, the
    # UUIDs already stored, the contacts, the cases moved on, the phone's report:
    # 15 statements and three commits before (the stored contacts, the cases and
    # the report read again, the rate limit's count read twice for the headers),
    # then 9 with a savepoint for the chunk in a transaction of its own.
    assert len(statements) <= 8, "\n".join(statements)
    assert commits == 1
    assert not [s for s in statements if 'FROM "rate_limit_counter"' in s]
    assert answer.headers["X-RateLimit-Remaining"] == "599"
    again, _, _ = recorded(lambda: client.post(
        "/api/sync", json={"entries": entries[:1]}, headers={"X-CSRFToken": token}))
    assert again.get_json()["counts"] == {"duplicate": 1}
    assert again.headers["X-RateLimit-Remaining"] == "598"  # each request's own count


def test_a_chunk_answers_each_entry_with_the_receipt_of_the_row_stored(client, login_as, world):
    officer = login_as("officer")
    token = client.get("/api/sync/session").get_json()["csrf_token"]
    entries = [entry(world["case_a"], officer, notes=f"Visit {i}.") for i in range(3)]
    before = Case.get_by_id(world["case_a"].id).contact_count
    body = client.post("/api/sync", json={"entries": entries}, headers={"X-CSRFToken": token}).get_json()
    for sent, result in zip(entries, body["results"]):
        stored = Contact.get(Contact.uuid == sent["uuid"])
        assert result["receipt"]["contact_id"] == stored.id
        assert result["receipt"]["student_id"] == stored.student_id
    assert Case.get_by_id(world["case_a"].id).contact_count == before + 3


@contextlib.contextmanager
def statements_on_kept_connections():
    """Every statement sent on the connections the pool keeps (not yet handed
    out), as the driver sends it: also the pool's own check of a connection,
    which no query hook sees."""
    sent = []
    kept = [conn for _, _, conn in database.obj._connections]
    if is_postgres():
        class Recording(psycopg2.extensions.cursor):
            def execute(self, sql, params=None):
                sent.append(sql if isinstance(sql, str) else sql.decode())
                return super().execute(sql, params)
        for conn in kept:
            conn.cursor_factory = Recording
    else:
        for conn in kept:
            conn.set_trace_callback(sent.append)
    try:
        yield sent
    finally:
        for conn in kept:
            if is_postgres():
                conn.cursor_factory = psycopg2.extensions.cursor
            elif not _is_closed_sqlite(conn):
                conn.set_trace_callback(None)


def _is_closed_sqlite(conn):
    try:
        conn.total_changes
    except Exception:
        return True
    return False


def test_a_chunk_on_a_kept_connection_asks_nothing_before_its_begin(client, login_as, world):
    """The pool asked a kept connection SELECT 1 before each request, a round
    trip of its own on every chunk; the request's BEGIN asks the same."""
    officer = login_as("officer")
    token = client.get("/api/sync/session").get_json()["csrf_token"]
    entries = [entry(world["case_a"], officer, notes=f"Visit {i}.") for i in range(3)]
    database.close()  # the request takes a kept connection, as in a server
    with statements_on_kept_connections() as sent:
        answer = client.post("/api/sync", json={"entries": entries}, headers={"X-CSRFToken": token})
    database.connect()
    assert answer.get_json()["counts"] == {"created": 3}
    assert sent[0].startswith("BEGIN"), sent[:3]


def test_a_kept_connection_the_database_ended_is_dropped_and_the_chunk_stored(client, login_as, world):
    officer = login_as("officer")
    token = client.get("/api/sync/session").get_json()["csrf_token"]
    entries = [entry(world["case_a"], officer, notes=f"Visit {i}.") for i in range(3)]
    database.close()
    kept = [conn for _, _, conn in database.obj._connections]
    assert kept
    if is_postgres():  # the server ends them, as a restart or an idle time-out does
        with psycopg2.connect(database.obj.connect_params.get("dsn") or "", **{
                k: v for k, v in database.obj.connect_params.items() if k != "dsn"},
                dbname=database.obj.database) as admin:
            admin.cursor().execute("SELECT pg_terminate_backend(pid) FROM unnest(%s) AS pid",
                                   ([conn.get_backend_pid() for conn in kept],))
    else:
        for conn in kept:
            conn.close()
    answer = client.post("/api/sync", json={"entries": entries}, headers={"X-CSRFToken": token})
    database.connect(reuse_if_open=True)
    assert answer.status_code == 200 and answer.get_json()["counts"] == {"created": 3}
    assert Contact.select().where(Contact.uuid.in_([e["uuid"] for e in entries])).count() == 3
