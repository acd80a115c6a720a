"""Server time of the officer's everyday requests on a district of 100,000
students, each beside the time of the bare SQL the request runs.

    .venv/bin/python bench/bench_lookup.py                    # SQLite, bench/out/
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/fieldapp_bench \\
        .venv/bin/python bench/bench_lookup.py                # PostgreSQL

The first run seeds the database (minutes); later runs reuse it. Budgets are
in DESIGN.md section 6. See bench/README.md for what each figure means.
"""
import argparse
import datetime
import gzip
import random
import re
import time
import uuid
from urllib.parse import urlencode

from common import (
    bench_url, database, engine_name, ensure_seeded, forget_flashes, logged_in, machine_load,
    make_app, percentile, refresh_district, replay, settle, SqlRecorder, timed,
)
from fieldapp import codes
from fieldapp.demo.seed import DEMO_PASSWORD
from fieldapp.models import Case, Student, User, UserSchool, utcnow
from fieldapp.students.search import normalise, words
from fieldapp.timefmt import local_today, to_local

ROLES = (("officer", "officer@demo.fieldapp.test"), ("supervisor", "supervisor@demo.fieldapp.test"))
LOOKUP_BUDGET, LOGGING_BUDGET, HOME_BUDGET = 0.015, 0.025, 60 * 1024
FRAGMENT = {"HX-Request": "true"}
NOTES = ("Spoke with mother at the door; she says the bus no longer stops on their street.",
         "No answer; left the district's notice with our phone number.",
         "Father works nights and could not get the children up; agreed on an alarm plan.",
         "Student says she misses first period to look after her little brother.")


# -- what people type -----------------------------------------------------------

def name_query(student, rng):
    """What an officer types for a name, as the active search sends it."""
    last = words(student["last_name"]) or ["x"]
    first = words(student["first_name"]) or ["x"]
    kind = rng.choices(("start", "last", "both_starts", "full", "first_last"),
                       weights=(15, 20, 30, 20, 15))[0]
    if kind == "start":  # still typing: "ga", "garc"
        return last[0][:rng.randint(2, 4)]
    if kind == "last":
        return " ".join(last)
    if kind == "both_starts":  # "gar mar"
        return f"{last[0][:rng.randint(3, 5)]} {first[0][:rng.randint(2, 4)]}"
    typed = f"{student['last_name']} {student['first_name']}" if kind == "full" \
        else f"{student['first_name']} {student['last_name']}"
    return typed if rng.random() < 0.5 else normalise(typed)


def id_query(student, rng):
    """A local id as printed, a few digits of one, or the SIS id."""
    kind = rng.choices(("local", "partial", "sourced"), weights=(60, 20, 20))[0]
    if kind == "local":
        return student["local_id"]
    if kind == "partial":
        return student["local_id"][:rng.randint(4, 5)]
    return student["sourced_id"]


def contact_form(token, rng, before=None):
    """A valid contact form with a new UUID, happening now; with `before` (another
    such form), a minute before that one's contact.

    The contact with the follow-up date that happened last plans the case's
    follow-up (cases.followups.align). A contact recorded a minute before the
    one just timed plans none, and neither does its replay, stored after it
    under a new UUID at the same time: so the replay writes a new, valid
    contact (a replay of a contact that planned one would give a second
    follow-up to the contact recorded, whose id it repeats)."""
    method = rng.choice(("home_visit", "phone", "text"))
    happened = to_local(utcnow())
    if before is not None:
        happened = datetime.datetime.fromisoformat(before["occurred_at"]) - datetime.timedelta(minutes=1)
    return {
        "csrf_token": token, "uuid": str(uuid.uuid4()), "method": method,
        "outcome": rng.choice(codes.METHOD_OUTCOMES[method]),
        "reasons": rng.sample(("illness", "transportation", "housing", "work", "overslept"), 2),
        "people_present": ["parent", "student"] if method == "home_visit" else [],
        "notes": rng.choice(NOTES),
        "follow_up_on": (local_today() + datetime.timedelta(days=rng.randint(1, 14))).isoformat(),
        "occurred_at": happened.strftime("%Y-%m-%dT%H:%M"),
    }


# -- samples from the seeded district ---------------------------------------------

def scope_of(email):
    user = User.get(User.email == email)
    if user.role == "supervisor":
        return None
    return [link.school_id for link in UserSchool.select().where(UserSchool.user == user)]


def students_in(scope):
    query = Student.select(Student.id, Student.first_name, Student.last_name, Student.local_id,
                           Student.sourced_id).where(Student.active == True)  # noqa: E712
    if scope is not None:
        query = query.where(Student.school.in_(scope))
    return list(query.dicts())


def open_cases_in(scope):
    query = Case.select(Case.id, Case.student).where(Case.status == "open")
    if scope is not None:
        query = query.where(Case.school.in_(scope))
    return list(query.tuples())


# -- one measured operation -------------------------------------------------------

def measure(client, requests, record_uuids=False):
    """Time each request; then record its SQL (a second, untimed run) and replay it bare.

    requests: list of (method, url, make_data, headers); for writes,
    make_data(before=None) builds the form, so every submission has a new
    UUID; the recorded run's is given the timed run's form as `before`.
    """
    server, cpu, bare, counts = [], [], [], []
    for method, url, make_data, headers in requests:
        data = timed_data = make_data() if make_data else None
        started = time.process_time()
        seconds, answer = timed(lambda: client.open(url, method=method, data=data, headers=headers))
        cpu.append(time.process_time() - started)
        if answer.status_code not in (200, 302):
            raise SystemExit(f"{method} {url} answered {answer.status_code}")
        server.append(seconds)
        forget_flashes(client)
        data = make_data(before=timed_data) if make_data else None
        with SqlRecorder() as recorder:
            client.open(url, method=method, data=data, headers=headers)
        forget_flashes(client)
        uuids = [uuid.UUID(data["uuid"]).hex] if record_uuids else ()
        with database.connection_context():
            bare.append(replay(recorder.statements, fresh_uuids=uuids))
        counts.append(len(recorder.statements))
    return server, cpu, bare, counts


def line(label, role, server, cpu, bare, counts, budget=None):
    p50, p95 = percentile(server, 50), percentile(server, 95)
    s50, s95 = percentile(bare, 50), percentile(bare, 95)
    verdict = "" if budget is None else \
        f"  budget p95 <= {budget * 1000:.0f} ms: {'ok' if p95 <= budget else 'OVER'}"
    return (f"{label:<28} {role:<10} server p50 {p50 * 1000:6.2f} ms  p95 {p95 * 1000:6.2f} ms"
            f" | bare SQL p50 {s50 * 1000:5.2f} ms  p95 {s95 * 1000:5.2f} ms"
            f" ({max(counts)} stmts) | ratio p50 {p50 / s50:4.1f}x  p95 {p95 / s95:4.1f}x"
            f" | app CPU p95 {percentile(cpu, 95) * 1000:5.2f} ms{verdict}")


def bench_role(app, role, email, iterations, rng):
    with database.connection_context():
        scope = scope_of(email)
        students = students_in(scope)
        cases = open_cases_in(scope)
    client, token = logged_in(app, email, DEMO_PASSWORD)
    picks = rng.sample(students, iterations)
    with_case = [student_id for _, student_id in rng.sample(cases, iterations // 2)]
    shown = [s["id"] for s in picks[:iterations - len(with_case)]] + with_case
    rng.shuffle(shown)
    writes = [case_id for case_id, _ in random.Random().sample(cases, iterations)]
    plan = [
        ("name look-up (HTMX fragment)", LOOKUP_BUDGET, False,
         [("GET", "/students", None, FRAGMENT) for _ in picks], [name_query(s, rng) for s in picks]),
        ("name look-up (full page)", LOOKUP_BUDGET, False,
         [("GET", "/students", None, {}) for _ in picks], [name_query(s, rng) for s in picks]),
        ("id look-up (HTMX fragment)", LOOKUP_BUDGET, False,
         [("GET", "/students", None, FRAGMENT) for _ in picks], [id_query(s, rng) for s in picks]),
        ("student page", None, False,
         [("GET", f"/students/{i}", None, {}) for i in shown], None),
        ("log a contact (POST)", LOGGING_BUDGET, True,
         [("POST", f"/cases/{c}/contacts/new", lambda before=None: contact_form(token, rng, before), {}) for c in writes],
         None),
    ]
    del students, cases
    settle()
    for label, budget, is_write, requests, queries in plan:
        if queries:
            requests = [(m, f"{u}?{urlencode({'q': q})}", d, h)
                        for (m, u, d, h), q in zip(requests, queries)]
        server, cpu, bare, counts = measure(client, requests, record_uuids=is_write)
        print(line(label, role, server, cpu, bare, counts, budget), flush=True)


# -- the officer's home page -----------------------------------------------------

# What the page makes the browser fetch to show it: stylesheets and scripts.
ASSET = re.compile(r'<(?:link rel="stylesheet"[^>]*href|script[^>]*src)="(/static/[^"]+)"')


def home_page_weight(app, iterations):
    client, _ = logged_in(app, ROLES[0][1], DEMO_PASSWORD)
    times = []
    for _ in range(iterations):
        seconds, page = timed(lambda: client.get("/caseload"))
        times.append(seconds)
    html = page.get_data()
    cases = len(re.findall(rb'<li class="card', html))
    parts = [("HTML /caseload", html, page.headers.get("Content-Encoding"), len(html))]
    for path in dict.fromkeys(ASSET.findall(html.decode())):
        # The file itself, then as a browser asks for it (a pre-compressed copy if the app has one).
        raw = client.get(path)
        served = client.get(path, headers={"Accept-Encoding": "gzip, br"})
        parts.append((path, raw.get_data(), served.headers.get("Content-Encoding"), len(served.get_data())))
        raw.close()
        served.close()
    total = 0
    print(f"officer home page /caseload  server p50 {percentile(times, 50) * 1000:6.2f} ms"
          f"  p95 {percentile(times, 95) * 1000:6.2f} ms  ({cases} open cases listed)")
    for name, body, encoding, sent in parts:
        packed = len(gzip.compress(body, 6))
        total += packed
        print(f"  {name:<46} {len(body):>9,} B raw  {packed:>8,} B gzip-6"
              f"  served as: {encoding or 'uncompressed'}" + (f", {sent:,} B" if encoding else ""))
    verdict = "ok" if total <= HOME_BUDGET else "OVER"
    print(f"officer home page, HTML + CSS + JS gzip-6     {total:>8,} B"
          f"  budget <= {HOME_BUDGET:,} B: {verdict}")
    # The HTML compressed by the proxy (gzip-6), the files as the app sends them.
    sent = len(gzip.compress(html, 6)) + sum(size for _, _, encoding, size in parts[1:])
    print(f"officer home page as served (files pre-compressed) {sent:>8,} B")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--iterations", type=int, default=200, help="requests per figure")
    parser.add_argument("--seed", type=int, default=1, help="picks the students looked up")
    args = parser.parse_args()
    url = bench_url(args.students)
    app = make_app(url)
    ensure_seeded(args.students)
    print(f"fieldapp bench_lookup · {engine_name()} · {args.students:,} students · "
          f"{args.iterations} requests per figure · {machine_load()}")
    # The student page reads the stored standing; one left stale by another bench
    # (a contact logged, a mark stored) would be computed inside the timed request.
    with database.connection_context():
        refresh_district()
    rng = random.Random(args.seed)
    for role, email in ROLES:
        bench_role(app, role, email, args.iterations, rng)
    home_page_weight(app, max(10, args.iterations // 10))


if __name__ == "__main__":
    main()
