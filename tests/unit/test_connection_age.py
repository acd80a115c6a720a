"""A pooled SQLite connection is used again however long it has been open:
it holds its page cache and parsed schema, which a new one reads again on
the request that opens it. A PostgreSQL connection is still replaced once
older than the pool's stale_timeout (fieldapp.db.POOL)."""
import heapq

from fieldapp.db import POOL, database, is_postgres


def _age_pooled_connections(seconds):
    pool = database.obj
    pool._connections = [(opened - seconds, count, conn) for opened, count, conn in pool._connections]
    heapq.heapify(pool._connections)


def _raw_connection():
    with database.connection_context():
        return database.connection()


def test_an_old_sqlite_connection_is_kept_and_a_postgresql_one_replaced(app):
    database.close()  # the test's own: give it back to the pool
    first = _raw_connection()
    _age_pooled_connections(POOL["stale_timeout"] * 10)
    again = _raw_connection()
    if is_postgres():
        assert again is not first
    else:
        assert again is first
        assert again.execute("SELECT 1").fetchone() == (1,)
