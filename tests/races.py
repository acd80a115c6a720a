"""Two people at the same moment, on two real connections: the first one's
work is written in a transaction held open (its rows locked, not yet
committed) until the second one's work is waiting on it, then committed.

On PostgreSQL the second waits on the first's row lock (pg_locks says so);
on SQLite a write transaction takes the database's lock as it begins, so the
second waits for the first's commit before it reads anything, and a moment's
pause stands in for "it is waiting"."""
import contextlib
import threading
import time

from fieldapp.db import database, is_postgres

WAIT = 60  # seconds any step may take before the test says it hung


def in_thread(work, results, key):
    """Run work() on its own connection in a thread; results[key] is what it
    returned, or the exception it raised. Returns the started thread."""
    def run():
        database.connect(reuse_if_open=True)
        try:
            results[key] = work()
        except Exception as error:  # noqa: BLE001 - the test reads it
            results[key] = error
        finally:
            database.close()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def until_waiting(thread, seconds=1.0):
    """Until the other thread waits on a lock (PostgreSQL says so), or a moment (SQLite)."""
    if not is_postgres():
        time.sleep(seconds)
        return
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline and thread.is_alive():
        if database.execute_sql("SELECT count(*) FROM pg_locks WHERE NOT granted").fetchone()[0]:
            return
        time.sleep(0.05)
    raise AssertionError("the second never waited on the first")


def held(work, written, commit):
    """work, run in a transaction that sets written once work is done and
    commits when commit is set."""
    def run():
        with database.atomic():
            result = work()
            written.set()
            assert commit.wait(WAIT)
        return result
    return run


def race(first, second, join=WAIT):
    """Run first held uncommitted (see held), then second until it waits on
    first, then commit first. Returns (first's result, second's result),
    each what it returned or the exception it raised; first must not fail.
    join: the seconds each is given to finish once first commits."""
    results, written, commit = {}, threading.Event(), threading.Event()
    holder = in_thread(held(first, written, commit), results, "first")
    assert written.wait(WAIT * 2), results.get("first")
    other = in_thread(second, results, "second")
    try:
        until_waiting(other)
    finally:
        commit.set()
        holder.join(join)
        other.join(join)
    assert not isinstance(results["first"], Exception), results["first"]
    return results["first"], results["second"]


@contextlib.contextmanager
def impatient_database(url):
    """The database proxy bound, for the block, to the database at url with
    writes that wait 1 s for another (DATABASE_BUSY_SECONDS), then as before."""
    from fieldapp.db import bind
    patient = database.obj
    database.close()
    bind(url, busy_seconds=1)
    database.connect()
    try:
        yield
    finally:
        if not database.is_closed():
            database.close()
        database.obj.close_all()
        database.initialize(patient)
        database.connect(reuse_if_open=True)


def holding(row):
    """Start a transaction on another connection that holds what a write
    about row (a model instance) needs: SQLite's one writer; on PostgreSQL
    the row itself (FOR UPDATE). Returns release(), which commits it."""
    results, written, commit = {}, threading.Event(), threading.Event()
    model = type(row)

    def hold():
        if is_postgres():
            model.select().where(model._meta.primary_key == row.get_id()).for_update().get()
        else:
            database.execute_sql("SELECT 1")  # the transaction's BEGIN IMMEDIATE took the writer
    thread = in_thread(held(hold, written, commit), results, "holder")
    assert written.wait(WAIT), results.get("holder")

    def release():
        commit.set()
        thread.join(WAIT)
        assert not isinstance(results.get("holder"), Exception), results["holder"]
    return release
