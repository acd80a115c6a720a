"""How many officers one app server carries: gunicorn (as many workers as
cores) on the bench database, driven from this machine by Locust, headless.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/fieldapp_bench \\
        .venv/bin/python bench/bench_load.py

1. A realistic mix (officers 6 : front offices 3 : supervisors 1; look-ups,
   student pages, contacts, syncs of 20 entries, caseloads, the district
   log, the worklist), users rising step by step, each sending its next
   request when answered. Per step: requests/s and p95. Reported: the best
   sustained rate with p95 <= 100 ms.
2. The same steps on the trivial health check: the framework's floor, and
   the ratio between the two.
3. The 8 a.m. storm: 300 phones, each its own officer, each sending 20
   queued contacts in one sync at a random moment within a minute; the
   time until the last is stored, and whether every entry is stored once.

Locust runs from its own environment (bench/.venv-load, made on first use
from bench/requirements-load.txt), so it never changes the app's packages.
All traffic goes to 127.0.0.1; every run is bounded in users and time.
Options: --students N (the bench district, default 100,000), --steps
"2:20,4:20,8:20,16:20" (users:seconds), --phones N, --entries N, --window S,
--parts mix,storm (either or both), --port P (gunicorn's; default a free one). The storm's phones each come from their
own address through one trusted proxy (TRUSTED_PROXIES=1), as phones reach a
district's server; the check that every entry was stored exactly once is a
count in the database of the rows of each UUID sent.
"""
import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from common import OUT, ROOT, SECRET, bench_url, engine_name, ensure_seeded, machine_load, make_app, percentile

from peewee import fn

from fieldapp.db import database
from fieldapp.demo.seed import DEMO_PASSWORD
from fieldapp.models import Case, Contact, School, Student, User, UserSchool
from fieldapp.timefmt import school_zone

BENCH = os.path.dirname(os.path.abspath(__file__))
LOAD_VENV = os.path.join(BENCH, ".venv-load")
BUDGET_MS = 100
WARM_UP = 5  # seconds at the start of each step left out of its figures


def load_python():
    """The Locust environment's python, made on first use."""
    python = os.path.join(LOAD_VENV, "bin", "python")
    if not os.path.exists(os.path.join(LOAD_VENV, "bin", "locust")):
        print("making bench/.venv-load with Locust (once)", flush=True)
        # The interpreter the app's environment was made from (not the app's environment itself).
        base = getattr(sys, "_base_executable", "") or "python3"
        subprocess.run([base, "-m", "venv", LOAD_VENV], check=True)
        subprocess.run([python, "-m", "pip", "install", "-q", "-r",
                        os.path.join(BENCH, "requirements-load.txt")], check=True)
    return python


# -- the people and cases the simulated users work on ---------------------------------

def _bench_users(role, count, schools, password_hash):
    """count users of role named load-<role>-<n>@bench.fieldapp.test, one school each."""
    made = []
    for n in range(count):
        email = f"load-{role}-{n:03d}@bench.fieldapp.test"
        school = schools[n % len(schools)]
        user = User.get_or_none(User.email == email)
        if user is None:
            user = User.create(email=email, name=f"Load {role} {n}", role=role if role != "phone" else "officer",
                               password_hash=password_hash)
            if role != "supervisor":
                UserSchool.create(user=user, school=school)
        made.append({"id": user.id, "email": email, "school": school})
    return made


def plan(phones):
    """Users for every simulated person (sharing the demo password) and, per
    school, open cases with what an officer types to find their student."""
    with database.connection_context():
        password_hash = User.get(User.email == "officer@demo.fieldapp.test").password_hash
        schools = [s.id for s in School.select().order_by(School.id)]
        people = {"officer": _bench_users("officer", 40, schools, password_hash),
                  "front_office": _bench_users("front_office", 12, schools, password_hash),
                  "supervisor": _bench_users("supervisor", 4, schools, password_hash),
                  "phone": _bench_users("phone", phones, schools, password_hash)}
        # A contact form takes the time as the school's clock shows it.
        zones = {str(school): school_zone(school) for school in schools}
        cases = {}
        for school in schools:
            rows = (Case.select(Case.id, Student.id, Student.last_name, Student.first_name).join(Student)
                    .where((Case.school == school) & (Case.status == "open")).limit(200).tuples())
            cases[str(school)] = [{"case": c, "student": s, "typed": f"{last[:4]} {first[:3]}"}
                                  for c, s, last, first in rows]
    path = os.path.join(OUT, "load-plan.json")
    with open(path, "w", encoding="utf-8") as out:
        json.dump({"password": DEMO_PASSWORD, "people": people, "cases": cases, "zones": zones}, out)
    return path


# -- the server ---------------------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(url, port, workers):
    # One proxy in front, as in production: the storm's phones each come from their own address.
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET, "FIELDAPP_ENV": "development",
           "JOBS_URL": "sqlite:///" + os.path.join(OUT, "load-jobs.db"), "TRUSTED_PROXIES": "1"}
    server = subprocess.Popen(
        [os.path.join(ROOT, ".venv", "bin", "gunicorn"), "--workers", str(workers), "--bind",
         f"127.0.0.1:{port}", "--access-logfile", "/dev/null", "--error-logfile",
         os.path.join(OUT, "load-gunicorn.log"), "fieldapp:create_app()"], cwd=ROOT, env=env,
        start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    stop(server)
    raise SystemExit("gunicorn did not answer within 2 minutes; see bench/out/load-gunicorn.log")


def server_cpu(server):
    """CPU seconds gunicorn's processes (its master, the workers alive and those it
    reaped) have used so far: the app's own work, which a shared machine's load
    slows but does not grow. PostgreSQL's work runs in its own processes."""
    ticks = 0
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="ascii") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) != server.pid:  # the process group gunicorn leads
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
        if int(name) == server.pid:
            ticks += int(fields[13]) + int(fields[14])  # workers it reaped
    return ticks / os.sysconf("SC_CLK_TCK")


def stop(server):
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=60)


# -- running Locust and reading its figures -----------------------------------------------

def run_locust(python, host, plan_path, steps, users_class, label):
    out = os.path.join(OUT, f"load-{label}.json")
    if os.path.exists(out):  # an earlier run's figures
        os.remove(out)
    env = {**os.environ, "LOAD_PLAN": plan_path, "LOAD_OUT": out, "LOAD_STEPS": json.dumps(steps)}
    total = sum(seconds for _, seconds in steps)
    done = subprocess.run([python, "-m", "locust", "-f", os.path.join(BENCH, "load_users.py"), "--headless",
                           "--host", host, "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10",
                           *users_class], cwd=BENCH, env=env, timeout=total + 600, stdout=subprocess.DEVNULL)
    # Locust exits 1 when some requests failed: they are counted per step below, not a reason to stop.
    if done.returncode not in (0, 1) or not os.path.exists(out):
        raise SystemExit(f"locust ({label}) stopped with exit status {done.returncode}")
    with open(out, encoding="utf-8") as handle:
        return json.load(handle)


def per_step(seen, steps, skip=("login",)):
    """[(users, requests/s, p95 ms, failures)] of each step, warm-up and log-ins left out."""
    timed = [r for r in seen if r[1] not in skip]
    if not timed:
        return []
    start, figures = min(r[0] for r in seen), []
    for users, seconds in steps:
        lo, hi = start + WARM_UP, start + seconds
        inside = [r for r in timed if lo <= r[0] < hi]
        times = [r[2] for r in inside]
        figures.append((users, len(inside) / (hi - lo), percentile(times, 95) if times else float("nan"),
                        sum(1 for r in inside if not r[3])))
        start += seconds
    return figures


def best_within_budget(figures):
    fitting = [f for f in figures if f[2] <= BUDGET_MS and not f[3]]
    return max(fitting, key=lambda f: f[1]) if fitting else None


def by_name(seen):
    names = {}
    for _, name, ms, _ in seen:
        names.setdefault(name, []).append(ms)
    return {name: (len(v), percentile(v, 50), percentile(v, 95)) for name, v in sorted(names.items())}


def storm(python, host, plan_path, phones, entries, window):
    out = os.path.join(OUT, "load-storm.json")
    env = {**os.environ, "LOAD_PLAN": plan_path, "LOAD_HOST": host, "STORM_OUT": out,
           "PHONES": str(phones), "ENTRIES": str(entries), "WINDOW": str(window)}
    subprocess.run([python, os.path.join(BENCH, "load_storm.py")], env=env, check=True, timeout=window + 1200)
    with open(out, encoding="utf-8") as handle:
        report = json.load(handle)
    return report, stored_once(report["uuids"])


def stored_once(uuids):
    """(rows, distinct UUIDs among them, UUIDs stored more than once) in the
    database for the UUIDs the phones sent."""
    rows, distinct, twice = 0, 0, 0
    with database.connection_context():
        for i in range(0, len(uuids), 500):
            counts = (Contact.select(Contact.uuid, fn.COUNT(Contact.id)).where(Contact.uuid.in_(uuids[i:i + 500]))
                      .group_by(Contact.uuid).tuples())
            for _, n in counts:
                rows, distinct, twice = rows + n, distinct + 1, twice + (n > 1)
    return rows, distinct, twice


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--steps", default="2:20,4:20,8:20,16:20")
    parser.add_argument("--phones", type=int, default=300)
    parser.add_argument("--entries", type=int, default=20)
    parser.add_argument("--window", type=int, default=60)
    parser.add_argument("--parts", default="mix,storm", help="mix (with the floor) and/or storm")
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port on 127.0.0.1 (default: a free one)")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    steps = [[int(u), int(s)] for u, s in (part.split(":") for part in args.steps.split(","))]
    if max(u for u, _ in steps) > 64 or sum(s for _, s in steps) > 600 or args.phones > 500:
        raise SystemExit("bounded: at most 64 users, 600 s of steps and 500 phones")
    url = bench_url(args.students)
    make_app(url)
    ensure_seeded(args.students)
    python = load_python()
    plan_path = plan(args.phones)
    workers = os.cpu_count()
    port = args.port or free_port()
    host = f"http://127.0.0.1:{port}"
    print(f"{engine_name()}: gunicorn with {workers} workers on {host}; {machine_load()}", flush=True)
    server = start_gunicorn(url, port, workers)
    try:
        if "mix" in parts:
            cpu = server_cpu(server)
            mix = run_locust(python, host, plan_path, steps, ["Officer", "FrontOffice", "Supervisor"], "mix")
            mix_cpu, cpu = server_cpu(server) - cpu, server_cpu(server)
            print(f"  load after the mix: {machine_load()}", flush=True)
            floor = run_locust(python, host, plan_path, steps, ["Floor"], "floor")
            floor_cpu = server_cpu(server) - cpu
            print(f"  load after the floor: {machine_load()}", flush=True)
            print_mix(steps, mix, floor)
            print_cpu(mix, mix_cpu, floor, floor_cpu)
        if "storm" in parts:
            print(f"  load before the storm: {machine_load()}", flush=True)
            report, stored = storm(python, host, plan_path, args.phones, args.entries, args.window)
            print(f"  load after the storm: {machine_load()}", flush=True)
            print_storm(report, stored, args)
    finally:
        stop(server)


def print_mix(steps, mix, floor):
    print("\nrealistic mix (users, requests/s, p95 ms, failures) per step:")
    mix_steps = per_step(mix, steps)
    for users, rate, p95, failed in mix_steps:
        print(f"  {users:3d} users: {rate:7.1f} req/s, p95 {p95:6.0f} ms, {failed} failed")
    print("  by request (count, p50 ms, p95 ms):")
    for name, (count, p50, p95) in by_name([r for r in mix if r[1] != "login"]).items():
        print(f"    {name:22} {count:6d} {p50:7.0f} {p95:7.0f}")
    print("floor: GET /healthz per step:")
    floor_steps = per_step(floor, steps)
    for users, rate, p95, failed in floor_steps:
        print(f"  {users:3d} users: {rate:7.1f} req/s, p95 {p95:6.0f} ms, {failed} failed")
    best, best_floor = best_within_budget(mix_steps), best_within_budget(floor_steps)
    if best and best_floor:
        print(f"sustained at p95 <= {BUDGET_MS} ms: mix {best[1]:.1f} req/s ({best[0]} users), floor "
              f"{best_floor[1]:.1f} req/s ({best_floor[0]} users): the mix runs at "
              f"{best[1] / best_floor[1]:.0%} of the floor")
    else:
        print(f"no step of the {'mix' if not best else 'floor'} kept p95 <= {BUDGET_MS} ms without failures",
              flush=True)
    print("mix / floor per step: " + ", ".join(
        f"{m[0]} users {m[1] / f[1]:.0%}" for m, f in zip(mix_steps, floor_steps) if f[1]))


def print_cpu(mix, mix_cpu, floor, floor_cpu):
    """The app server's CPU per request: on a shared machine the steady guide
    beside the rates, which the other work there lowers."""
    logins = sum(1 for r in mix if r[1] == "login")
    per_mix, per_floor = mix_cpu / max(1, len(mix)), floor_cpu / max(1, len(floor))
    print(f"app server CPU (gunicorn's processes): mix {mix_cpu:.1f} s for {len(mix):,} requests "
          f"({logins} of them log-in pages and forms), {per_mix * 1000:.1f} ms each; floor {floor_cpu:.1f} s "
          f"for {len(floor):,}, {per_floor * 1000:.2f} ms each; a mix request costs "
          f"{per_mix / per_floor:.1f} floor requests; {os.cpu_count()} cores of app CPU alone would carry "
          f"{os.cpu_count() / per_mix:.0f} mix requests/s", flush=True)


def print_storm(report, stored, args):
    results = report["results"]
    answered = [r for r in results if r["status"] == 200]
    created = sum(r["counts"].get("created", 0) for r in answered)
    sent = args.phones * args.entries
    rows, distinct, twice = stored
    once = rows == distinct == sent == created and not twice
    statuses = sorted({r["status"] for r in results})
    print(f"8 a.m. storm: {args.phones} phones x {args.entries} entries sent within {args.window} s; "
          f"the last answered {report['finished']:.1f} s after the first could send; per sync p50 "
          f"{percentile([r['seconds'] for r in results], 50):.2f} s, p95 "
          f"{percentile([r['seconds'] for r in results], 95):.2f} s, max "
          f"{max(r['seconds'] for r in results):.2f} s; {len(answered)}/{len(results)} answered 200 "
          f"(statuses {statuses}); {created:,} created; in the database {rows:,} rows for {distinct:,} of the "
          f"{sent:,} entries sent, {twice} stored twice ({'every entry stored exactly once' if once else 'NOT EXACTLY ONCE'})",
          flush=True)

if __name__ == "__main__":
    main()
