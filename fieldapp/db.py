"""The database proxy and how a URL becomes a connection.

SQLite is the embedded default (WAL, foreign keys, busy timeout); PostgreSQL is
chosen with a postgresql:// URL. Models bind to `database`, a proxy that
create_app initialises, so nothing connects at import time.
"""
import os

from peewee import DatabaseProxy, PostgresqlDatabase
from playhouse.db_url import parse
from playhouse.pool import PooledPostgresqlDatabase, PooledSqliteDatabase

database = DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "synchronous": "normal",
    "cache_size": -32000,
}


# Each request takes a connection and gives it back at teardown. A new
# PostgreSQL connection costs more than a whole look-up, so connections are
# kept open and reused; a connection older than stale_timeout seconds is
# closed and replaced.
POOL = {"max_connections": 32, "stale_timeout": 300, "timeout": 10}


class WritingSqliteDatabase(PooledSqliteDatabase):
    """SQLite whose transactions take the write lock when they begin (BEGIN
    IMMEDIATE). A deferred transaction that reads, then writes, fails at once
    with "database is locked" when another connection wrote in between (WAL
    cannot move its snapshot forward); one that asks for the lock first waits
    its turn under busy_timeout. Every transaction here is there to write, so
    nothing is lost by asking first."""

    def begin(self, lock_type=None):
        return super().begin(lock_type or "IMMEDIATE")


def open_database(url):
    """Build (but do not connect) a database object for a DATABASE_URL."""
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///"):]
        if path != ":memory:":
            folder = os.path.dirname(os.path.abspath(path))
            os.makedirs(folder, exist_ok=True)
        # A pooled connection is handed to one thread at a time, but not
        # always the thread that opened it.
        return WritingSqliteDatabase(path, pragmas=SQLITE_PRAGMAS, check_same_thread=False, **POOL)
    if url.startswith(("postgresql://", "postgres://")):
        params = parse(url)
        name = params.pop("database")
        return PooledPostgresqlDatabase(name, **params, **POOL)
    raise ValueError("DATABASE_URL must start with sqlite:/// or postgresql://")


def bind(url):
    """Point the proxy at the database named by url and return it."""
    db = open_database(url)
    database.initialize(db)
    return db


def is_postgres():
    return isinstance(database.obj, PostgresqlDatabase)


def migrations_folder():
    return os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "migrations")


def migrate():
    """Apply every pending numbered migration; return the names applied."""
    from playhouse.migrations import Runner

    runner = Runner(database.obj, directory=migrations_folder())
    return runner.up()
