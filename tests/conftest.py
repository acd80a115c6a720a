"""Fixtures: the app on a real database (a temporary SQLite file, or
PostgreSQL when TEST_DATABASE_URL is set), the test client, logging in."""
import contextlib
import http.cookiejar
import os
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from werkzeug.serving import make_server

from fieldapp import create_app
from fieldapp.db import database, is_postgres, migrate
from tests import factories

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
# Any other mode is production, which refuses to start without a strong key
# and marks cookies Secure (the test client speaks plain HTTP).
os.environ.setdefault("FIELDAPP_ENV", "test")


def _light_password_hashing():
    """Argon2 at the app's cost (64 MiB, 3 passes, 4 lanes) takes up to a second
    on a busy machine, for every log-in through the form, every unknown email and
    every password set, hundreds of times in the suite. The suite's own process
    hashes at the lightest cost; tests/unit/test_password_hashing.py checks, in a
    process of its own, that the app hashes at its full cost."""
    from argon2 import PasswordHasher

    from fieldapp.accounts import login, passwords
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    passwords.DUMMY_HASH = login.DUMMY_HASH = passwords._hasher.hash("not-a-real-password-for-timing")


_light_password_hashing()


def _postgres_database_for_session():
    """A fresh database per test session, so parallel runs never collide."""
    import psycopg2
    base = PG_URL.rsplit("/", 1)[0]
    name = f"fieldapp_test_{os.getpid()}"
    admin = psycopg2.connect(PG_URL)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"')
        # A commit need not wait for its write-ahead log to reach the disk: a test
        # commits hundreds of times, and a database thrown away after the run
        # loses nothing if the server stops. What a transaction sees is unchanged.
        cur.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    admin.close()
    return f"{base}/{name}", name


def _drop_postgres(name):
    import psycopg2
    admin = psycopg2.connect(PG_URL)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if PG_URL:
        url, name = _postgres_database_for_session()
        yield url
        database.close()
        _drop_postgres(name)
    else:
        yield "sqlite:///" + str(tmp_path_factory.mktemp("db") / "fieldapp-test.db")


@pytest.fixture(scope="session")
def migrated_app(database_url, tmp_path_factory):
    app = create_app({"TESTING": True, "DATABASE_URL": database_url,
                      "SECRET_KEY": "test-secret-key-that-is-long-enough-123",
                      # jobs queued by pages wait here; tests/web/test_jobs.py runs real workers
                      "JOBS_URL": "sqlite:///" + str(tmp_path_factory.mktemp("jobs") / "jobs.db")})
    with database.connection_context():
        migrate()
    return app


def _empty_all_tables():
    from fieldapp.rules.calendar import forget_kept_books
    forget_kept_books()  # the ids of the calendars start again
    tables = [t for t in database.get_tables() if t != "schema_migration"]
    if is_postgres():
        _empty_postgres_tables(tables)
    else:
        database.execute_sql("PRAGMA foreign_keys = OFF")
        for table in tables:
            database.execute_sql(f'DELETE FROM "{table}"')
        database.execute_sql("DELETE FROM sqlite_sequence") if "sqlite_sequence" in \
            [r[0] for r in database.execute_sql("SELECT name FROM sqlite_master").fetchall()] else None
        database.execute_sql("PRAGMA foreign_keys = ON")


def _empty_postgres_tables(tables):
    """DELETE the rows of the tables that have any and restart their ids.

    TRUNCATE makes new files for every table and costs about a second even
    when all are empty; a test writes a few rows to a few tables."""
    probe = " UNION ALL ".join(f"SELECT '{t}' WHERE EXISTS (SELECT 1 FROM \"{t}\")" for t in tables)
    filled = [row[0] for row in database.execute_sql(probe).fetchall()]
    # Every id sequence that moved, even for a table left empty by a rollback.
    sequences = [row[0] for row in database.execute_sql(
        "SELECT sequencename FROM pg_sequences WHERE last_value IS NOT NULL")]
    if not filled and not sequences:
        return
    with database.atomic():
        database.execute_sql("SET LOCAL session_replication_role = replica")  # no FK order needed
        for table in filled:
            database.execute_sql(f'DELETE FROM "{table}"')
        for sequence in sequences:
            database.execute_sql(f'ALTER SEQUENCE "{sequence}" RESTART')


@pytest.fixture
def app(migrated_app):
    """The app with an empty database; the test's own connection is open."""
    database.connect(reuse_if_open=True)
    _empty_all_tables()
    yield migrated_app
    if not database.is_closed():
        database.close()


@pytest.fixture
def start_worker(request, app, tmp_path):
    """start_worker("sqlite" or "redis"): a job queue of this test's own (SQLite
    storage in a temporary file, or Redis on 127.0.0.1:6379) and a real Huey
    consumer working it in this process, stopped after the test."""
    from fieldapp.jobs import queue
    started = []

    def start(kind="sqlite"):
        name = f"fieldapp-test-{os.getpid()}-{request.node.name}"
        url = f"sqlite:///{tmp_path / 'jobs.db'}" if kind == "sqlite" else "redis://127.0.0.1:6379/0"
        started.append((app.config["JOBS_URL"], app.config.get("JOBS_QUEUE"), app.extensions[queue.EXTENSION]))
        app.config.update(JOBS_URL=url, JOBS_QUEUE=name)
        queue.init_app(app)
        jobs = queue.queue_of(app)
        jobs.huey.flush()
        # Without the periodic tasks: the standings' hourly refresh (minute 7 of the clock on
        # the wall) ran beside a test that spanned it, and refreshed the standings the test
        # was reading, or its worklist, as the test's own job wrote them: such a test failed
        # only near seven past the hour. Tests of the periodic work call it themselves.
        started.append(jobs.start_in_process(workers=2, periodic=False))
        return jobs
    yield start
    if started:
        saved, consumer = started
        consumer.stop(graceful=True)
        queue.queue_of(app).huey.flush()
        app.config["JOBS_URL"], app.config["JOBS_QUEUE"], app.extensions[queue.EXTENSION] = saved


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_token_from(html):
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or \
        re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html)
    return match.group(1) if match else None


class Auth:
    """Log a test client in and out through the real login form."""

    def __init__(self, client):
        self.client = client
        self.token = None

    def login(self, user, password=factories.PASSWORD):
        page = self.client.get("/login")
        token = csrf_token_from(page.get_data(as_text=True))
        response = self.client.post("/login", data={"email": user.email, "password": password,
                                                    "csrf_token": token})
        self.token = self.csrf()
        return response

    def csrf(self):
        """A CSRF token valid for this client's session."""
        page = self.client.get("/students")
        return csrf_token_from(page.get_data(as_text=True))

    def post(self, url, data=None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.token or self.csrf())
        return self.client.post(url, data=data, **kwargs)


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def world(app):
    """Two schools, one student in each, and a user of every role scoped to school A."""
    school_a, school_b = factories.gen_school("Lincoln Elementary"), factories.gen_school("Roosevelt Middle")
    officer = factories.gen_user("officer", [school_a])
    other_officer = factories.gen_user("officer", [school_b])
    front = factories.gen_user("front_office", [school_a])
    supervisor = factories.gen_user("supervisor")
    admin = factories.gen_user("admin")
    student_a = factories.gen_student(school_a)
    student_b = factories.gen_student(school_b, first="José", last="Núñez")
    factories.gen_guardian([student_a])
    case_a = factories.gen_case(student_a, officer)
    case_b = factories.gen_case(student_b, other_officer)
    contact_a = factories.gen_contact(case_a, officer)
    contact_b = factories.gen_contact(case_b, other_officer)
    return dict(school_a=school_a, school_b=school_b, officer=officer, other_officer=other_officer,
                front=front, supervisor=supervisor, admin=admin, student_a=student_a,
                student_b=student_b, case_a=case_a, case_b=case_b, contact_a=contact_a,
                contact_b=contact_b)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a skipped test is a failure: a browser or database that is
    missing there must not pass silently."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which counts as a failure: {report.longrepr}"


@contextlib.contextmanager
def served_as(app, user):
    """app on a real threaded server (a free port on 127.0.0.1) and a
    cookie-keeping urllib opener logged in there as user, for requests sent
    at the same moment: yields (base address, opener); the server stops on
    leaving."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_port}"
    try:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = opener.open(f"{base}/login", timeout=60).read().decode()
        opener.open(f"{base}/login", timeout=120, data=urllib.parse.urlencode({
            "email": user.email, "password": factories.PASSWORD,
            "csrf_token": csrf_token_from(page)}).encode())
        yield base, opener
    finally:
        httpd.shutdown()
        thread.join(5)


def posted(opener, url, fields):
    """The status a POST of fields (a dict) to url answers, errors included."""
    try:
        return opener.open(url, data=urllib.parse.urlencode(fields).encode(), timeout=120).status
    except urllib.error.HTTPError as answer:
        return answer.code
