"""What every fieldapp benchmark needs: a seeded bench database, logged-in
test clients, percentiles, and the SQL a request runs, replayed bare.

Benchmarks measure server time inside the process with the Flask test client,
so network and browser time stay out of the figures.
"""
import contextlib
import gc
import os
import re
import sys
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:  # run as `python bench/x.py` from anywhere
    sys.path.insert(0, ROOT)

from fieldapp import create_app  # noqa: E402
from fieldapp.db import database, is_postgres, migrate  # noqa: E402

OUT = os.path.join(ROOT, "bench", "out")
SECRET = "bench-secret-key-not-for-production-0123456789"


def bench_url(students):
    """DATABASE_URL when given, else a SQLite file under bench/out/ (git-ignored)."""
    return os.environ.get("DATABASE_URL") or \
        "sqlite:///" + os.path.join(OUT, f"fieldapp-bench-{students}.db")


def engine_name():
    return "postgresql" if is_postgres() else "sqlite"


def make_app(url):
    # The settings read from the environment follow FIELDAPP_ENV: without it
    # they are production's, which asks supervisors for a second factor, and
    # every desk page would answer with a redirect to enrol one.
    os.environ.setdefault("FIELDAPP_ENV", "test")
    return create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET, "ENV_MODE": "test"})


def ensure_seeded(students, say=print):
    """Migrate, then seed a demo district of `students` unless one is there already."""
    from fieldapp.demo.seed import seed
    from fieldapp.models import Case, Student, User
    with database.connection_context():
        applied = migrate()
        if applied:
            say(f"applied migrations: {', '.join(applied)}")
        present = Student.select().count()
        if present >= students and Case.select().exists():
            say(f"reusing the seeded bench database ({present:,} students)")
            return False
        if User.select().exists():
            raise SystemExit(f"The bench database holds other data ({present:,} students); "
                             "give an empty one (delete the file or drop the database).")
        say(f"seeding {students:,} students (takes minutes; done once, reused after)")
        started = time.perf_counter()
        counts = seed(students=students)
        if is_postgres():
            vacuum()
        say(f"seeded in {time.perf_counter() - started:.0f} s: {counts}")
    return True


def vacuum():
    """Bring a freshly loaded PostgreSQL database to the state autovacuum keeps
    one in: planner statistics, and the visibility map that lets index-only
    scans skip the table. (A SQLite file in use has no statistics unless
    someone runs ANALYZE, so the bench leaves it without, and this does nothing there.)"""
    if is_postgres():
        database.execute_sql("VACUUM ANALYZE")


def vacuum_tables(*tables):
    """vacuum() for the tables a bench writes to again and again (PostgreSQL):
    on a server without autovacuum (a test server) every earlier run's updates
    are left as dead rows and index entries, which the next run reads past
    and adds to, and its figures grow with the number of runs before it."""
    if is_postgres():
        database.execute_sql("VACUUM ANALYZE " + ", ".join(f'"{table}"' for table in tables))


# -- logging in ------------------------------------------------------------------

CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token_from(html):
    match = CSRF_INPUT.search(html)
    return match.group(1) if match else None


def logged_in(app, email, password):
    """A test client logged in through the real login form, and its CSRF token."""
    client = app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    answer = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    if answer.status_code != 302:
        raise SystemExit(f"could not log in as {email}: {answer.status_code}")
    token = csrf_token_from(client.get("/students").get_data(as_text=True))
    return client, token


def forget_flashes(client):
    """Drop flashed messages a redirect would have shown. The bench does not
    follow redirects, and unread messages would pile up in the session
    cookie, making every later request slower."""
    with client.session_transaction() as session:
        session.pop("_flashes", None)


# -- figures ---------------------------------------------------------------------

def percentile(values, p):
    """Nearest-rank percentile of a list of numbers (p in 0..100)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def machine_load():
    """CPUs and load average, to print beside figures taken on a shared machine."""
    one, five, _ = os.getloadavg()
    return f"{os.cpu_count()} CPUs, load {one:.1f} (5 min {five:.1f})"


def settle():
    """Collect garbage and freeze what is left before timing. The bench holds
    what a server would not (the seeding library, sampled rows); without this
    every full collection would walk it in the middle of a timed request."""
    gc.collect()
    gc.freeze()


def server_cpu():
    """{backend pid: CPU seconds (user + system)} of the PostgreSQL server
    processes behind this process's pooled connections, read from /proc (the
    server runs on this machine); {} on SQLite, whose work is the process's
    own. On a loaded machine CPU moves less than wall time, and a request's
    cost on PostgreSQL is split between the two processes."""
    if not is_postgres():
        return {}
    pool = database.obj
    connections = [c for _, _, c in pool._connections] + [p.connection for p in pool._in_use.values()]
    used = {}
    for connection in connections:
        pid = connection.get_backend_pid()  # asks the server nothing
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:  # a server on another machine: nothing to read
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return used


def server_cpu_since(before):
    """CPU seconds the server spent for this process since server_cpu() gave
    `before` (a connection opened since counts whole)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in server_cpu().items())


def timed(call):
    """Run call(); return (seconds, its result)."""
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


# -- bare SQL --------------------------------------------------------------------

class SqlRecorder:
    """Collect the (sql, params) of every statement run while active."""

    def __init__(self):
        self.statements = []

    def _hook(self, event):
        if event.exception is None:
            self.statements.append((event.sql, tuple(event.params or ())))

    def __enter__(self):
        database.obj.query_hooks.append(self._hook)
        return self

    def __exit__(self, *exc):
        database.obj.query_hooks.remove(self._hook)


def replay(statements, fresh_uuids=()):
    """Run recorded statements straight on the driver's cursor on an open
    connection, as the app ran them: reads one by one, and when the request
    wrote, all in one transaction. Return the seconds taken.

    fresh_uuids: hex UUIDs in the parameters to replace with new ones, so a
    replayed insert of a unique contact does not collide with the original.
    """
    swap = {old: uuid.uuid4().hex for old in fresh_uuids}
    prepared = [(sql, tuple(swap.get(p, p) if isinstance(p, str) else p for p in params))
                for sql, params in statements]
    writes = any(not sql.lstrip().upper().startswith("SELECT") for sql, _ in prepared)
    connection = database.connection()
    started = time.perf_counter()
    with database.atomic() if writes else contextlib.nullcontext():
        for sql, params in prepared:
            cursor = connection.cursor()
            cursor.execute(sql, params)
            if cursor.description is not None:
                cursor.fetchall()
    return time.perf_counter() - started


def refresh_district():
    """Bring every stored standing up to date (what the hourly job does after
    midnight), timed: a page read on a stale standing computes and stores it,
    so a figure taken without this depends on what other benches left."""
    from fieldapp.rules import stored
    from fieldapp.rules.settings import RuleSettings
    from fieldapp.timefmt import local_today
    started, cpu = time.perf_counter(), time.process_time()
    count = stored.ensure_fresh(RuleSettings(), local_today())
    print(f"stored standings brought up to date: {count:,} students in {time.perf_counter() - started:.1f} s "
          f"(CPU {time.process_time() - cpu:.1f} s); {machine_load()}", flush=True)
