"""The cost of writing a list of students to the access log.

A list page (caseload, school list, worklist, search results, an export) logs
one line per student it shows. This measures, on the bench district:

- record_list_access: the lines written by one INSERT ... SELECT;
- the same lines written one INSERT per student (what a loop would cost);
- the bare statement, replayed on the driver's cursor;
- the officer's caseload page with its logging, and the same page with the
  logging switched off (what the log adds to a page's server time).

Writes are rolled back or deleted after, so the bench leaves the access log
as it found it. Not a test: it prints figures.
"""
import argparse
import random

from common import (
    SqlRecorder, bench_url, database, engine_name, ensure_seeded, logged_in, machine_load, make_app,
    percentile, replay, settle, timed,
)
from fieldapp.demo.seed import DEMO_PASSWORD
from fieldapp.models import Student, User
from fieldapp.students import records

SIZES = (25, 150, 500, 5000)


def _rolled_back(call):
    """Seconds call() takes inside a transaction that is then undone."""
    with database.atomic() as txn:
        seconds, _ = timed(call)
        txn.rollback()
    return seconds


def _line(label, seconds):
    p50, p95 = percentile(seconds, 50) * 1000, percentile(seconds, 95) * 1000
    print(f"  {label:<46} p50 {p50:8.2f} ms   p95 {p95:8.2f} ms")


def bench_sizes(user, ids, iterations, rng):
    for size in SIZES:
        print(f"{size:,} students in a list:")
        one, loop, bare = [], [], []
        for _ in range(iterations):
            chosen = rng.sample(ids, size)
            with SqlRecorder() as recorded:
                one.append(_rolled_back(lambda: records.record_list_access(
                    user, chosen, "list", "/caseload", "10.0.0.1")))
            with database.atomic() as txn:
                bare.append(replay(recorded.statements))
                txn.rollback()
            if size <= 500:
                loop.append(_rolled_back(lambda: [records.record_access(
                    user, student_id, "list", "/caseload", "10.0.0.1") for student_id in chosen]))
        _line("record_list_access (one statement)", one)
        _line("the same statement, bare SQL", bare)
        if loop:
            _line("one INSERT per student (for comparison)", loop)


def bench_caseload(app, iterations):
    """The caseload page timed with its logging and without; the lines it wrote are removed after."""
    import fieldapp.web.helpers as helpers
    from fieldapp.cases.lifecycle import caseload
    from fieldapp.models import AccessLog
    with database.connection_context():
        officer = User.get(User.email == "officer@demo.fieldapp.test")
        shown, last = len(caseload(officer)), AccessLog.select().order_by(AccessLog.id.desc()).first()
    client, _ = logged_in(app, officer.email, DEMO_PASSWORD)
    print(f"officer's caseload page ({shown} students), the two kinds of request taken in turn:")
    writers = {"with the access log": helpers.record_list_access,
               "logging switched off": lambda *args: 0}
    seconds = {label: [] for label in writers}
    for _ in range(iterations):
        for label, writer in writers.items():
            helpers.record_list_access = writer
            took, answer = timed(lambda: client.get("/caseload"))
            assert answer.status_code == 200, answer.status_code
            seconds[label].append(took)
    for label, values in seconds.items():
        _line(label, values)
    helpers.record_list_access = records.record_list_access
    with database.connection_context():
        AccessLog.delete().where(AccessLog.id > (last.id if last else 0)).execute()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--iterations", type=int, default=100, help="samples per figure")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    app = make_app(bench_url(args.students))
    ensure_seeded(args.students)
    print(f"fieldapp bench_access_log · {engine_name()} · {args.students:,} students · "
          f"{args.iterations} samples per figure · {machine_load()}")
    rng = random.Random(args.seed)
    with database.connection_context():
        ids = [row[0] for row in Student.select(Student.id).tuples()]
        user = User.get(User.email == "supervisor@demo.fieldapp.test")
        settle()
        bench_sizes(user, ids, args.iterations, rng)
    bench_caseload(app, args.iterations)


if __name__ == "__main__":
    main()
