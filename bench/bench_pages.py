"""The pages that read stored standings, on the bench district: the student
page, an officer's caseload of 150 and of 500 (paged), the worklist page,
and the command-line worklist of the whole district (time and memory).

    .venv/bin/python bench/bench_pages.py                     # SQLite, bench/out/
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/fieldapp_bench \\
        .venv/bin/python bench/bench_pages.py                 # PostgreSQL

Each page line is as in bench_lookup.py: server time p50/p95 beside the bare
SQL the request ran. The first run makes two bench officers holding 150 and
500 of the demo officer's open cases. Before timing, the district's stored
standings are brought up to date (what the hourly job does after midnight),
and that refresh is timed too. Options: --iterations N, --students N,
--figures student,caseload,worklist,cli (which to time; all by default).
"""
import argparse
import os
import random
import resource
import subprocess
import time

from bench_lookup import line, measure, scope_of
from common import (
    ROOT, SECRET, bench_url, database, engine_name, ensure_seeded, logged_in, machine_load, make_app,
    refresh_district, settle,
)
from fieldapp.demo.seed import DEMO_PASSWORD
from fieldapp.models import Case, Student, User, UserSchool

STUDENT_BUDGET, CASELOAD_BUDGET, WORKLIST_BUDGET = 0.015, 0.025, 0.200
SIZES = (150, 500)


def bench_officer(size):
    """An officer of the demo officer's schools holding `size` of their open cases."""
    email = f"bench-caseload-{size}@bench.fieldapp.test"
    demo = User.get(User.email == "officer@demo.fieldapp.test")
    officer = User.get_or_none(User.email == email)
    if officer is None:
        officer = User.create(email=email, name=f"Caseload {size}", role="officer",
                              password_hash=demo.password_hash)
        for link in UserSchool.select().where(UserSchool.user == demo):
            UserSchool.create(user=officer, school=link.school_id)
        ids = [c.id for c in Case.select(Case.id).where((Case.officer == demo) & (Case.status == "open"))
               .order_by(Case.id.desc()).limit(size)]
        Case.update(officer=officer).where(Case.id.in_(ids)).execute()
    return email


FIGURES = ("student", "caseload", "worklist", "cli")


def pages(app, iterations, rng, figures=FIGURES):
    with database.connection_context():
        emails = {size: bench_officer(size) for size in SIZES}
        scope = scope_of("officer@demo.fieldapp.test")
        students = [s for (s,) in Student.select(Student.id).where(
            Student.school.in_(scope) & (Student.active == True)).tuples()]  # noqa: E712
    officer, _ = logged_in(app, "officer@demo.fieldapp.test", DEMO_PASSWORD)
    chosen, figures = figures, []
    shown = rng.sample(students, iterations)  # drawn whatever is timed: the same students for the same seed
    if "student" in chosen:
        figures.append(("student page", "officer", officer, STUDENT_BUDGET,
                        [("GET", f"/students/{s}", None, {}) for s in shown]))
    for size in SIZES if "caseload" in chosen else ():
        client, _ = logged_in(app, emails[size], DEMO_PASSWORD)
        last = -(-size // 50)
        figures.append((f"caseload of {size}, page 1", "officer", client, CASELOAD_BUDGET,
                        [("GET", "/caseload", None, {})] * iterations))
        if last > 1:
            figures.append((f"caseload of {size}, page {last}", "officer", client, CASELOAD_BUDGET,
                            [("GET", f"/caseload?page={last}", None, {})] * iterations))
    if "worklist" in chosen:
        supervisor, _ = logged_in(app, "supervisor@demo.fieldapp.test", DEMO_PASSWORD)
        small = max(10, iterations // 10)
        figures.append(("worklist page (3 schools)", "officer", officer, WORKLIST_BUDGET,
                        [("GET", "/worklist", None, {})] * small))
        figures.append(("worklist page (district)", "supervisor", supervisor, WORKLIST_BUDGET,
                        [("GET", "/worklist", None, {})] * small))
    for _, _, client, _, requests in figures:
        warm_up(client, requests[0])
    settle()
    for label, role, client, budget, requests in figures:
        server, cpu, bare, counts = measure(client, requests)
        print(line(label, role, server, cpu, bare, counts, budget), flush=True)


def warm_up(client, request):
    """One request of a figure, not timed: a server process compiles each
    template (the worklist's three took about as long as ten pages on a
    loaded machine) and reads its first rows once, on the first request that
    needs them, and a figure of ten requests took that one as its p95."""
    method, url, make_data, headers = request
    answer = client.open(url, method=method, data=make_data() if make_data else None, headers=headers)
    if answer.status_code not in (200, 302):
        raise SystemExit(f"{method} {url} answered {answer.status_code}")


def cli_worklist(url):
    """`flask worklist --json` for the whole district: wall time, CPU and peak memory."""
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([os.path.join(ROOT, ".venv", "bin", "flask"), "--app", "fieldapp", "worklist", "--json"],
                          cwd=ROOT, env=env, capture_output=True, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    lines = done.stdout.count(b"\n")
    print(f"flask worklist --json (whole district): {lines:,} students listed in {wall:.1f} s "
          f"(CPU {after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime:.1f} s), "
          f"peak memory {after.ru_maxrss / 1024:.0f} MB (budget 10 s); {machine_load()}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--figures", default=",".join(FIGURES),
                        help="which to time, of " + ", ".join(FIGURES) + " (default: all)")
    args = parser.parse_args()
    figures = [name.strip() for name in args.figures.split(",") if name.strip()]
    unknown = set(figures) - set(FIGURES)
    if unknown:
        parser.error(f"no such figure: {', '.join(sorted(unknown))}")
    url = bench_url(args.students)
    app = make_app(url)
    ensure_seeded(args.students)
    print(f"{engine_name()}: {machine_load()}")
    with database.connection_context():
        refresh_district()
    pages(app, args.iterations, random.Random(7), figures)
    if "cli" in figures:
        cli_worklist(url)


if __name__ == "__main__":
    main()
