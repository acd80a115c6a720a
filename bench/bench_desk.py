"""Server time of the supervisor's desk on a district of 100,000 students:
the district at a glance, a page of each district list, and exports of the
whole district streamed to the end, each beside the bare SQL it runs.

    .venv/bin/python bench/bench_desk.py                      # SQLite, bench/out/
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/fieldapp_bench \\
        .venv/bin/python bench/bench_desk.py                  # PostgreSQL

Budgets (DESIGN.md section 6 and the desk's own): the dashboard p95 <= 150 ms,
a page of a district list p95 <= 60 ms, an export of 100,000 rows <= 10 s in
bounded memory (bench/bench_exports.py, which can also top the district up
to 100,000 rows per export). See bench/README.md.
"""
import argparse
import random

from bench_exports import FRONT_OFFICE, bench_exports
from bench_lookup import line, measure
from common import (
    bench_url, database, engine_name, ensure_seeded, logged_in, machine_load, make_app, settle,
    timed, vacuum,
)
from fieldapp.db import is_postgres
from fieldapp.demo.seed import DEMO_PASSWORD
from fieldapp.models import Case, School, User

SUPERVISOR = "supervisor@demo.fieldapp.test"
DASHBOARD_BUDGET, LIST_BUDGET = 0.150, 0.060


def list_pages(rng, iterations):
    """(label, budget, [url]) of the pages measured, picked from the seeded district."""
    with database.connection_context():
        schools = [s.id for s in School.select(School.id)]
        officers = [u.id for u in User.select(User.id).where(User.role == "officer")]
        cases = Case.select().where(Case.status == "open").count()
    last_page = max(1, -(-cases // 50))
    pick = lambda make: [make() for _ in range(iterations)]  # noqa: E731
    return [
        ("dashboard /supervisor", DASHBOARD_BUDGET, pick(lambda: "/supervisor")),
        ("cases, a page", LIST_BUDGET, pick(lambda: f"/supervisor/cases?page={rng.randint(1, last_page)}")),
        ("cases by school+stage", LIST_BUDGET,
         pick(lambda: f"/supervisor/cases?school={rng.choice(schools)}&stage=monitoring")),
        ("cases by officer, overdue", LIST_BUDGET,
         pick(lambda: f"/supervisor/cases?officer={rng.choice(officers)}&follow_up=overdue")),
        ("cases by follow-up date", LIST_BUDGET, pick(lambda: "/supervisor/cases?sort=follow_up&status=all")),
        ("cases by stage, a page", LIST_BUDGET,
         pick(lambda: f"/supervisor/cases?sort=stage&page={rng.randint(1, last_page)}")),
        ("cases in a band", LIST_BUDGET,
         pick(lambda: f"/supervisor/cases?band={rng.choice(('at_risk', 'moderate', 'severe'))}")),
        ("students in a band", LIST_BUDGET,
         pick(lambda: f"/supervisor/students?school={rng.choice(schools)}&band=moderate")),
        ("unassigned queue", LIST_BUDGET, pick(lambda: "/supervisor/unassigned")),
        ("contact log, with count", LIST_BUDGET,
         pick(lambda: f"/supervisor/contacts?school={rng.choice(schools)}")),
        ("contact log, by reason", LIST_BUDGET, pick(lambda: "/supervisor/contacts?reason=transportation")),
        ("letters sent, a page", LIST_BUDGET, pick(lambda: f"/supervisor/letters?page={rng.randint(1, 50)}")),
        ("letters sent by school+kind", LIST_BUDGET,
         pick(lambda: f"/supervisor/letters?school={rng.choice(schools)}&kind=first_notice")),
        ("letters sent in a month", LIST_BUDGET,
         pick(lambda: "/supervisor/letters?date_from=2026-10-01&date_to=2026-10-31")),
    ]


def fresh_standings(app):
    """Bring every stored standing up to each school's today before timing:
    otherwise the desk's figures leave the stale students out (and say so),
    and would be timed counting less than the district."""
    from fieldapp.rules import stored
    from fieldapp.rules.settings import from_config
    with app.app_context(), database.connection_context():
        seconds, refreshed = timed(lambda: stored.ensure_fresh(from_config(app.config), None))
    print(f"stored standings refreshed first: {refreshed:,} students in {seconds:.1f} s", flush=True)
    if is_postgres():
        # A refresh rewrites the rows it brings up to date, and other benches
        # write cases and contacts; autovacuum (off on the development machine)
        # would then set the tables' visibility maps and statistics, without
        # which every index-only scan reads the table as well (bench/README.md).
        with database.connection_context():
            seconds, _ = timed(vacuum)
        print(f"vacuumed and analyzed, as autovacuum would: {seconds:.1f} s", flush=True)


def bench_pages(client, plan):
    for label, budget, urls in plan:
        answer = client.get(urls[0])
        if answer.status_code != 200:  # a redirect (to log in, to enrol MFA) would time nothing
            raise SystemExit(f"GET {urls[0]} answered {answer.status_code} {answer.headers.get('Location', '')}")
        server, cpu, bare, counts = measure(client, [("GET", url, None, {}) for url in urls])
        print(line(label, "supervisor", server, cpu, bare, counts, budget), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--iterations", type=int, default=40, help="requests per figure")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-exports", action="store_true")
    parser.add_argument("--only", default="", help="time only the pages whose label starts so (e.g. 'contact log')")
    args = parser.parse_args()
    app = make_app(bench_url(args.students))
    ensure_seeded(args.students)
    print(f"fieldapp bench_desk · {engine_name()} · {args.students:,} students · "
          f"{args.iterations} requests per figure · {machine_load()}")
    fresh_standings(app)
    client, token = logged_in(app, SUPERVISOR, DEMO_PASSWORD)
    plan = [page for page in list_pages(random.Random(args.seed), args.iterations) if page[0].startswith(args.only)]
    settle()
    bench_pages(client, plan)
    if not args.no_exports:
        bench_exports(client, token, office=logged_in(app, FRONT_OFFICE, DEMO_PASSWORD))
    print(f"done · {machine_load()}")


if __name__ == "__main__":
    main()
