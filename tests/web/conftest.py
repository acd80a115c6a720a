"""Helpers for the page tests: logging in by role, counting rows, another app."""
import contextlib
import os

import pytest

from fieldapp import create_app
from fieldapp.db import database
from tests.conftest import PG_URL, csrf_token_from

# The world fixture's user for each role.
WORLD_USER = {"officer": "officer", "front_office": "front", "supervisor": "supervisor",
              "admin": "admin"}
ROLES = tuple(WORLD_USER)


# Counters of requests (rate limits) count refused requests too; they hold no record.
NOT_RECORDS = ("rate_limit_counter",)
# The stored standings a page refreshes when it reads a stale one, and their
# tally kept by the database's triggers: copies of derived state, not data.
DERIVED = ("student_standing", "standing_tally")


# A monitor's own answer, not a fault of the server: /healthz/workers says 503
# while no background worker runs, as in these tests (tests/web/test_no_worker.py
# checks it says 200 when one does).
MONITORS_ANSWERING_503 = ("/healthz/workers",)


def server_failed(response, url):
    """Whether a response is the server failing (a 5xx), not a monitor's 503 by design."""
    if response.status_code == 503 and url.split("?")[0] in MONITORS_ANSWERING_503:
        return False
    return response.status_code >= 500


def row_counts(skip=("access_log",)):
    """Rows in every table; equal counts before and after prove nothing was written.

    The access log is left out: a refused form is shown again with the record
    on it, and that look is logged (tests/web/test_access_log.py checks it)."""
    return {table: database.execute_sql(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
            for table in database.get_tables() if table not in skip and table not in NOT_RECORDS}


def page_text(response):
    return response.get_data(as_text=True)


def looks_again_without_javascript(response):
    """Does the page reload itself every 3 s where there is no JavaScript
    (a refresh in <noscript>: with JavaScript, HTMX looks again instead)?"""
    return '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page_text(response)


def anonymous_token(client):
    """A CSRF token for a client that is not logged in (from the login page)."""
    return csrf_token_from(page_text(client.get("/login")))


def sign_in(client, auth, user):
    """Put user in the client's session, as a successful log-in does; return a CSRF token.

    Checking a password costs about a second of argon2 on a busy machine, so
    tests that are not about logging in skip the form; tests/web/test_login.py
    covers the form itself."""
    from fieldapp.accounts import sessions
    token = sessions.start(user, "127.0.0.1", "test client", mfa_done=True)
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
        session["_sid"] = token  # the server-side session a log-in opens
    auth.token = auth.csrf()
    assert auth.token, "the signed-in client got no CSRF token"
    return auth.token


@pytest.fixture
def login_as(client, auth, world):
    """login_as(role or user) signs the test client in as the world's user of that role."""
    def login(who):
        user = world[WORLD_USER[who]] if isinstance(who, str) else who
        sign_in(client, auth, user)
        return user
    return login


@pytest.fixture
def other_app(database_url, migrated_app):
    """other_app(config, env) builds a second app on the test database (for
    settings such as production mode) and puts the test app's database back after."""
    saved = database.obj

    def build(config=None, **env):
        import os
        old = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            return create_app({"TESTING": True, "DATABASE_URL": database_url, **(config or {})})
        finally:
            for key, value in old.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
    yield build
    if database.obj is not saved:
        if not database.is_closed():
            database.close()
        database.initialize(saved)
        database.connect(reuse_if_open=True)


@contextlib.contextmanager
def empty_database(tmp_path, label, options=""):
    """The URL of a new database with no tables: a file on SQLite, on PostgreSQL
    a database made with `options` (CREATE DATABASE ... options) and dropped after."""
    if not PG_URL:
        yield "sqlite:///" + str(tmp_path / f"{label}.db")
        return
    import psycopg2
    name = f"fieldapp_{label}_{os.getpid()}"
    admin = psycopg2.connect(PG_URL)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}" {options}')
    try:
        yield PG_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        if not database.is_closed():
            database.close()
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
