"""Sync 1,000 queued contacts in one batch (budget ≤ 2 s server time, exactly
once), then re-send the same batch (all duplicates). Not a test: prints figures.

    .venv/bin/python bench/bench_sync.py                      # SQLite, bench/out/
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/fieldapp_bench \\
        .venv/bin/python bench/bench_sync.py                  # PostgreSQL

Options: --entries N (default 1000), --cases N (the officer's open cases the
entries are spread over, default 50; 500 is a worst case: every case refreshed),
--rounds N (fresh batches, default 3), --students N (the seeded district,
default 100,000), --history N (first give each of those cases N contacts, a
long history; default 400), --chunk N (also send each round's entries as a
phone does, N per request, default 50, and print the two side by side).

Server time is the request inside the process (Flask test client): wall clock
and CPU time, which the other work on a shared machine inflates less: the
process's, and on PostgreSQL also the database server's for this process's
connections ("db"), added up in the ratio. The load average is printed beside them.
"""
import argparse
import datetime
import json
import os
import statistics
import time
import uuid

from common import (bench_url, engine_name, ensure_seeded, logged_in, make_app, server_cpu,  # noqa: I100
                    server_cpu_since, timed, vacuum_tables)

from fieldapp.cases.lifecycle import caseload
from fieldapp.db import database
from fieldapp.demo.seed import DEMO_PASSWORD
from fieldapp.models import Contact, SyncConflict, User

BUDGET = 2.0
OFFICER = "officer@demo.fieldapp.test"
# (method, outcome) pairs an officer logs; each outcome fits its method (codes.METHOD_OUTCOMES).
PAIRS = (("home_visit", "notice_at_door"), ("phone", "voicemail"), ("text", "reached_parent"),
         ("home_visit", "reached_parent"), ("phone", "no_answer"), ("text", "no_answer"))


def outbox(officer, cases, count):
    """`count` entries as a phone queues them: spread over the caseload, times today."""
    zone = datetime.timezone(datetime.timedelta(hours=-7))
    start = datetime.datetime.now(zone).replace(microsecond=0) - datetime.timedelta(hours=6)
    return [{"uuid": str(uuid.uuid4()), "user_id": officer.id, "case_id": cases[i % len(cases)].id,
             "method": PAIRS[i % len(PAIRS)][0], "outcome": PAIRS[i % len(PAIRS)][1], "reasons": ["transportation"],
             "people_present": ["parent"], "notes": f"Bench visit {i}: spoke with the family.",
             "follow_up_on": "", "interpreter_used": False, "language": "", "siblings": [],
             "latitude": None, "longitude": None,
             "occurred_at": (start + datetime.timedelta(seconds=i * 15)).isoformat(),
             "saved_at": (start + datetime.timedelta(seconds=i * 15 + 5)).isoformat()}
            for i in range(count)]


def send(client, token, entries):
    """POST the batch; return (wall seconds, process CPU seconds, database server CPU
    seconds, counts by status)."""
    body = {"device": {"id": "bench-phone-0001", "pending": len(entries),
                       "oldest_at": entries[0]["saved_at"]}, "entries": entries}
    server, cpu = server_cpu(), time.process_time()
    seconds, answer = timed(lambda: client.post(
        "/api/sync", data=json.dumps(body), content_type="application/json",
        headers={"X-CSRFToken": token}))
    cpu, server = time.process_time() - cpu, server_cpu_since(server)
    if answer.status_code != 200:
        raise SystemExit(f"sync answered {answer.status_code}: {answer.get_data(as_text=True)[:300]}")
    return seconds, cpu, server, answer.get_json()["counts"]


def give_history(officer, cases, per_case):
    """Bring each case up to per_case contacts (one INSERT per case), as a case
    worked all year has; the cases' derived fields are derived once after."""
    from fieldapp.cases.contacts import refresh_case
    with database.connection_context():
        for case in cases:
            have = Contact.select().where(Contact.case == case).count()
            if have >= per_case:
                continue
            start = datetime.datetime.utcnow() - datetime.timedelta(days=200)
            Contact.insert_many([{
                "uuid": uuid.uuid4(), "case": case.id, "student": case.student_id, "author": officer.id,
                "method": "phone", "outcome": "no_answer", "notes": "Earlier call.",
                "occurred_at": start + datetime.timedelta(hours=i), "received_at": start}
                for i in range(per_case - have)]).execute()
            refresh_case(case)
        print(f"history: every case has at least {per_case} contacts", flush=True)


def stored(entries):
    with database.connection_context():
        return Contact.select().where(Contact.uuid.in_([e["uuid"] for e in entries])).count()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--cases", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--history", type=int, default=400)
    parser.add_argument("--chunk", type=int, default=50)
    args = parser.parse_args()
    app = make_app(bench_url(args.students))
    ensure_seeded(args.students)
    client, token = logged_in(app, OFFICER, DEMO_PASSWORD)
    with database.connection_context():
        officer = User.get(User.email == OFFICER)
        cases = caseload(officer, limit=args.cases)
        conflicts_before = SyncConflict.select().count()
        give_history(officer, cases, args.history)
        # As autovacuum keeps them; the rounds below are timed on what they leave.
        vacuum_tables("case", "contact", "student_standing", "standing_tally", "follow_up", "device_report",
                      "rate_limit_counter", "user_session", "sync_conflict")
    print(f"{engine_name()}: {args.entries:,} entries per batch over {len(cases)} open cases "
          f"of {officer.name}, {args.rounds} rounds")
    first, again = [], []
    for round_number in range(1, args.rounds + 1):
        entries = outbox(officer, cases, args.entries)
        wall, cpu, server, counts = send(client, token, entries)
        exactly_once = counts == {"created": args.entries} and stored(entries) == args.entries
        first.append((wall, cpu, server))
        wall_again, cpu_again, server_again, counts_again = send(client, token, entries)
        still_once = counts_again == {"duplicate": args.entries} and stored(entries) == args.entries
        again.append((wall_again, cpu_again, server_again))
        print(f"  round {round_number}: new batch {wall:6.3f} s (CPU {cpu:.3f} s{db(server)}) {counts} "
              f"{'exactly once' if exactly_once else 'NOT EXACTLY ONCE'}; re-sent "
              f"{wall_again:6.3f} s (CPU {cpu_again:.3f} s{db(server_again)}) {counts_again} "
              f"{'no new rows' if still_once else 'ROWS CHANGED'}; load {os.getloadavg()[0]:.1f}")
    chunked = []
    for round_number in range(1, args.rounds + 1):
        entries = outbox(officer, cases, args.entries)
        parts = [send(client, token, entries[i:i + args.chunk]) for i in range(0, len(entries), args.chunk)]
        wall, cpu, server = (sum(p[column] for p in parts) for column in range(3))
        created = sum(p[3].get("created", 0) for p in parts)
        chunked.append((wall, cpu, server))
        print(f"  round {round_number}: {len(parts)} requests of {args.chunk} {wall:6.3f} s "
              f"(CPU {cpu:.3f} s{db(server)}), "
              f"{created} created, {'exactly once' if stored(entries) == args.entries == created else 'NOT EXACTLY ONCE'}; "
              f"load {os.getloadavg()[0]:.1f}")
    with database.connection_context():
        new_conflicts = SyncConflict.select().count() - conflicts_before
    report(f"new batch of {args.entries:,}", first, budget=True)
    report(f"the same sent {args.chunk} at a time", chunked)
    print(f"{args.chunk} at a time / one batch (median server time): "
          f"{statistics.median(f[0] for f in chunked) / statistics.median(f[0] for f in first):.2f}x "
          f"(target within 1.5x); CPU "
          f"{statistics.median(f[1] for f in chunked) / statistics.median(f[1] for f in first):.2f}x"
          + (f"; CPU with the database server's "
             f"{statistics.median(f[1] + f[2] for f in chunked) / statistics.median(f[1] + f[2] for f in first):.2f}x"
             if engine_name() == "postgresql" else ""))
    report("re-sent batch (all duplicates)", again)
    print(f"conflicts recorded: {new_conflicts}")


def db(seconds):
    """", db 0.012 s": the database server's CPU, on PostgreSQL."""
    return f", db {seconds:.3f} s" if engine_name() == "postgresql" else ""


def report(what, figures, budget=False):
    walls, cpus, servers = ([f[column] for f in figures] for column in range(3))
    mark = f" ({'within' if max(walls) <= BUDGET else 'OVER'} the {BUDGET:.0f} s budget)" if budget else ""
    server = f", database server {statistics.median(servers):.3f} s" if engine_name() == "postgresql" else ""
    print(f"{what}: server time median {statistics.median(walls):.3f} s, worst {max(walls):.3f} s"
          f"{mark}; CPU median {statistics.median(cpus):.3f} s{server}")


if __name__ == "__main__":
    main()
