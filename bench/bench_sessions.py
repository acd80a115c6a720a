"""What server-side sessions cost per request.

Times the same logged-in request two ways on one app and one database:
  before: the user loaded from the id in the signed cookie (what fieldapp
          did when sessions lived only in the cookie: one SELECT of the user);
  after:  the session looked up on the server by its token's hash, joined to
          its user, idle and absolute limits checked, last use written at
          most once a minute.
The request is GET /api/sync/session (JSON, no template), so the session's
share of it shows. Blocks of each alternate, to share the machine's noise.
The session table holds --sessions old sessions, as after months of use.

    .venv/bin/python bench/bench_sessions.py [--iterations 2000] [--sessions 50000]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/fieldapp_bench .venv/bin/python bench/bench_sessions.py
"""
import argparse
import datetime
import hashlib

from common import (bench_url, engine_name, ensure_seeded, logged_in, machine_load, make_app,
                    percentile, settle, timed)
from fieldapp import login_manager  # noqa: E402
from fieldapp.db import database  # noqa: E402
from fieldapp.models import User, UserSession, utcnow  # noqa: E402


def cookie_only_loader(user_id):
    """The user loader before sessions lived on the server."""
    if not str(user_id).isdigit():
        return None
    user = User.get_or_none(User.id == int(user_id))
    return user if user and user.active else None


def old_sessions(count):
    """Fill the session table as months of log-ins would (all ended)."""
    have = UserSession.select().count()
    users = [u.id for u in User.select(User.id)]
    now, rows = utcnow(), []
    for n in range(have, count):
        when = now - datetime.timedelta(minutes=n)
        rows.append({"token_hash": hashlib.sha256(f"old-{n}".encode()).hexdigest(),
                     "user": users[n % len(users)], "created_at": when, "last_seen_at": when,
                     "ended_at": when, "ended_why": "logout"})
    with database.atomic():
        for start in range(0, len(rows), 1000):
            UserSession.insert_many(rows[start:start + 1000]).execute()


def run(client, n):
    times = []
    for _ in range(n):
        seconds, answer = timed(lambda: client.get("/api/sync/session"))
        assert answer.status_code == 200, answer.status_code
        times.append(seconds * 1000)
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--iterations", type=int, default=2000)
    parser.add_argument("--sessions", type=int, default=50000)
    parser.add_argument("--students", type=int, default=2000,
                        help="the district's size does not change a session's cost")
    args = parser.parse_args()
    app = make_app(bench_url(args.students))
    ensure_seeded(args.students)
    with database.connection_context():
        old_sessions(args.sessions)
    client, _ = logged_in(app, "officer@demo.fieldapp.test", "field-demo-2026!")
    server_side = login_manager._user_callback
    figures = {"before (cookie only)": [], "after (server-side)": []}
    settle()
    for _ in range(10):
        login_manager._user_callback = cookie_only_loader
        figures["before (cookie only)"] += run(client, args.iterations // 10)
        login_manager._user_callback = server_side
        figures["after (server-side)"] += run(client, args.iterations // 10)
    print(f"GET /api/sync/session as an officer, {engine_name()}, {args.iterations} requests each, "
          f"{UserSession.select().count():,} sessions stored; {machine_load()}")
    for name, times in figures.items():
        print(f"  {name:22} p50 {percentile(times, 50):6.2f} ms   p95 {percentile(times, 95):6.2f} ms")
    before, after = (percentile(t, 50) for t in figures.values())
    print(f"  cost per request (p50): {after - before:+.2f} ms")
    lookups(app, client, args.iterations)


def lookups(app, client, n):
    """The loaders alone, without the rest of the request: the bare difference."""
    from fieldapp.accounts import sessions
    with client.session_transaction() as cookie:
        token, user_id = cookie["_sid"], cookie["_user_id"]
    limits = sessions.limits_from(app.config)
    with database.connection_context():
        figures = {"User by id": [], "session check": []}
        for _ in range(10):
            figures["User by id"] += [timed(lambda: cookie_only_loader(user_id))[0] * 1000
                                      for _ in range(n // 10)]
            figures["session check"] += [timed(lambda: sessions.check(token, limits))[0] * 1000
                                         for _ in range(n // 10)]
    print("  the loader alone:")
    for name, times in figures.items():
        print(f"  {name:22} p50 {percentile(times, 50):6.3f} ms   p95 {percentile(times, 95):6.3f} ms")


if __name__ == "__main__":
    main()
