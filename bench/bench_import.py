"""A school year of attendance for 10,000 students (about 1.8 million rows):
how long the import takes, and how long recomputing every student's
standing (counts, band, status, next legal step) takes afterwards.

    .venv/bin/python bench/bench_import.py                      # SQLite, bench/out/
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/fieldapp_bench_import \\
        .venv/bin/python bench/bench_import.py                  # PostgreSQL

Each run starts from an empty database: the SQLite file under bench/out/ is
made anew; a PostgreSQL database must be empty or have "bench" in its name
(its tables are then dropped). The roster arrives as a OneRoster 1.1 export
and the district calendar as a calendar CSV, as a district would send them;
their times are printed too. Every import is previewed, then applied; the
figures include both. Targets: the attendance import at 100,000 rows a second
or better, recomputing 10,000 students in under 10 s.

--edfi-shape writes the attendance as Ed-Fi systems export it: schools by
their code (schoolId 255901001), descriptor URIs, dates with a time part,
eventDuration, and columns the import leaves aside (sessionName,
educationalEnvironmentDescriptor). --attendance-days N keeps the first N
school days; --roster-only stops after the roster (a big roster without a
year of attendance), --imports-only after the attendance (no standings).
--enrollments adds enrollments.csv to the roster, as the Ed-Fi OneRoster
mapping writes one: a record per student at their school from the first day.
The peak memory of the process (ru_maxrss) is printed after each import,
CPU time (process time) beside wall time (for the roster, the import's own
thread's apart: the rest is the thread writing its rows; and the CPU of the
process that checks the second part of a large users.csv), and on PostgreSQL
the CPU its server process spent (from /proc, when the server runs on this
machine).
"""
import argparse
import csv
import datetime
import os
import random
import resource
import shutil
import time

from common import OUT, database, engine_name, make_app, timed
from fieldapp import imports
from fieldapp.db import is_postgres, migrate
from fieldapp.rules.settings import RuleSettings
from fieldapp.rules.standing import standings
from fieldapp.rules.worklist import build as build_worklist

FIRST, LAST = datetime.date(2024, 8, 19), datetime.date(2025, 6, 12)
HOLIDAYS = [datetime.date(2024, 9, 2), datetime.date(2024, 11, 11), datetime.date(2024, 11, 27),
            datetime.date(2024, 11, 28), datetime.date(2024, 11, 29), datetime.date(2025, 1, 20),
            datetime.date(2025, 2, 17), datetime.date(2025, 5, 26)] + \
    [datetime.date(2024, 12, 23) + datetime.timedelta(days=n) for n in range(12)] + \
    [datetime.date(2025, 3, 31) + datetime.timedelta(days=n) for n in range(5)]
SCHOOLS = [("sch-1", "Lincoln Elementary"), ("sch-2", "César Chávez Elementary"),
           ("sch-3", "Riverside Middle School"), ("sch-4", "Riverside High School")]
CODES = {sid: f"2559010{n:02d}" for n, (sid, _) in enumerate(SCHOOLS, start=1)}  # Ed-Fi schoolId
EDFI_CATEGORY = "uri://ed-fi.org/AttendanceEventCategoryDescriptor#"
CATEGORIES = ("Unexcused Absence", "Excused Absence", "Tardy", "Early departure", "Partial")


def fresh_database():
    """An empty database: a new SQLite file, or a PostgreSQL bench database emptied."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        os.makedirs(OUT, exist_ok=True)
        path = os.path.join(OUT, "fieldapp-bench-import.db")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        return "sqlite:///" + path
    if "bench" not in url.rsplit("/", 1)[-1]:
        raise SystemExit("DATABASE_URL must name a database with 'bench' in its name (it is emptied).")
    return url


def empty_postgres():
    tables = ", ".join(f'"{t}"' for t in database.get_tables())
    if tables:
        database.execute_sql(f"DROP TABLE {tables} CASCADE")


def write_roster(folder, students, enrollments=False):
    """A OneRoster 1.1 bulk export: four schools, students, one or two guardians
    each; enrollments: with enrollments.csv (a record per student)."""
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    rng = random.Random(4)
    with open(os.path.join(folder, "manifest.csv"), "w", newline="") as f:
        csv.writer(f).writerows([("propertyName", "value"), ("oneroster.version", "1.1"),
                                 ("file.orgs", "bulk"), ("file.users", "bulk"),
                                 ("file.demographics", "bulk"),
                                 ("file.enrollments", "bulk" if enrollments else "absent")])
    with open(os.path.join(folder, "orgs.csv"), "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(("sourcedId", "status", "dateLastModified", "name", "type", "identifier",
                      "parentSourcedId"))
        out.writerow(("dist-1", "", "", "Riverside Unified", "district", "", ""))
        out.writerows((sid, "", "", name, "school", CODES[sid], "dist-1") for sid, name in SCHOOLS)
    users = open(os.path.join(folder, "users.csv"), "w", newline="")
    births = open(os.path.join(folder, "demographics.csv"), "w", newline="")
    with users, births:
        u, b = csv.writer(users), csv.writer(births)
        u.writerow(("sourcedId", "status", "dateLastModified", "enabledUser", "orgSourcedIds", "role",
                    "username", "userIds", "givenName", "familyName", "middleName", "identifier",
                    "email", "sms", "phone", "agentSourcedIds", "grades", "password"))
        b.writerow(("sourcedId", "status", "dateLastModified", "birthDate"))
        for n in range(1, students + 1):
            school = SCHOOLS[n % len(SCHOOLS)][0]
            agents = [f"gdn-{n:06d}a"] + ([f"gdn-{n:06d}b"] if rng.random() < .6 else [])
            u.writerow((f"stu-{n:06d}", "", "", "true", school, "student", "", "", f"First{n}",
                        f"Last{n % 997}", "", str(100000 + n), "", "", "", ",".join(agents), "05", ""))
            b.writerow((f"stu-{n:06d}", "", "", f"{2008 + n % 12}-0{1 + n % 9}-1{n % 9}"))
            for agent in agents:
                u.writerow((agent, "", "", "true", school, "parent", "", "", "Parent", f"Last{n % 997}",
                            "", "", "", "", "(555) 201-3344", f"stu-{n:06d}", "", ""))
    if enrollments:
        with open(os.path.join(folder, "enrollments.csv"), "w", newline="") as f:
            out = csv.writer(f)
            out.writerow(("sourcedId", "status", "dateLastModified", "classSourcedId", "schoolSourcedId",
                          "userSourcedId", "role", "primary", "beginDate", "endDate"))
            out.writerows((f"enr-{n:06d}", "", "", f"cls-{n % 400}", SCHOOLS[n % len(SCHOOLS)][0],
                           f"stu-{n:06d}", "student", "false", FIRST.isoformat(), "")
                          for n in range(1, students + 1))


def write_calendar(path):
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(("schoolId", "date", "calendarEvent", "name"))
        out.writerow(("", FIRST.isoformat(), "First day", ""))
        out.writerow(("", LAST.isoformat(), "Last day", ""))
        out.writerows(("", d.isoformat(), "Holiday", "") for d in HOLIDAYS if d.weekday() < 5)


def school_days():
    day, days, off = FIRST, [], set(HOLIDAYS)
    while day <= LAST:
        if day.weekday() < 5 and day not in off:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def write_attendance(path, students, days, edfi=False):
    """One row per student per school day; about 1 in 14 is not 'In Attendance'.
    edfi: as an Ed-Fi export (see the module's docstring)."""
    rng = random.Random(2026)
    risks = [rng.choices((0.02, 0.06, 0.12, 0.22), weights=(60, 22, 12, 6))[0] for _ in range(students)]
    rows = 0
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        header = ("studentUniqueId", "schoolId", "eventDate", "attendanceEventCategoryDescriptor",
                  "minutesAbsent")
        if edfi:
            header = ("studentUniqueId", "schoolId", "sessionName", "eventDate",
                      "attendanceEventCategoryDescriptor", "eventDuration", "schoolAttendanceDuration",
                      "educationalEnvironmentDescriptor")
        out.writerow(header)
        for day in days:
            iso = day.isoformat() + ("T00:00:00" if edfi else "")
            for n in range(1, students + 1):
                risk, school = risks[n - 1], SCHOOLS[n % len(SCHOOLS)][0]
                roll = rng.random()
                category, minutes = "In Attendance", ""
                if roll < risk:
                    category = CATEGORIES[0 if roll < risk * .45 else 1 if roll < risk * .75 else
                                          2 + int(roll * 1000) % 3]
                    minutes = "" if category.endswith("Absence") else rng.choice((15, 35, 60, 120))
                if edfi:
                    out.writerow((100000 + n, CODES[school], "2024-2025 Fall Semester", iso,
                                  EDFI_CATEGORY + category, "1" if not minutes else "", minutes,
                                  "uri://ed-fi.org/EducationalEnvironmentDescriptor#Classroom"))
                else:
                    out.writerow((100000 + n, school, iso, category, minutes))
                rows += 1
    return rows


def peak_mb():
    """The process's peak resident memory so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_cpu():
    """Seconds of CPU of the processes this one started and saw end (a large users.csv's second half)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def server_cpu():
    """Seconds of CPU this connection's PostgreSQL server process has used (read from /proc: the
    server runs on this machine), or None (SQLite, or a server elsewhere)."""
    if not is_postgres():
        return None
    (pid,) = database.execute_sql("SELECT pg_backend_pid()").fetchone()
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_says(before):
    """', server CPU N s' since `before` (a server_cpu()), or ''."""
    after = server_cpu()
    return "" if before is None or after is None else f"; server CPU {after - before:.2f} s"


def run_import(kind, path, settings, phases=None):
    """Preview (check and count what would change), then apply, as the command
    line does; the seconds of each phase go into `phases` when given."""
    source = path if kind == "oneroster" else open(path, "rb")
    try:
        own = time.thread_time()
        seconds, pending = timed(lambda: imports.preview(kind, source, os.path.basename(path), settings,
                                                         today=LAST + datetime.timedelta(days=1)))
        own, previewed = time.thread_time(), time.thread_time() - own
        applied_in, result = timed(lambda: imports.apply(pending, pending.report.confirm_phrase))
        if phases is not None:
            phases.update(preview=seconds, apply=applied_in, preview_cpu=previewed,
                          apply_cpu=time.thread_time() - own)
        return result
    finally:
        if kind != "oneroster":
            source.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=10_000)
    parser.add_argument("--state", default="CA", choices=("CA", "TX", "WA", "PA"))
    parser.add_argument("--edfi-shape", action="store_true", help="attendance as an Ed-Fi export writes it")
    parser.add_argument("--attendance-days", type=int, default=0, help="only the first N school days")
    parser.add_argument("--roster-only", action="store_true", help="stop after the roster import")
    parser.add_argument("--imports-only", action="store_true", help="stop after the attendance import")
    parser.add_argument("--enrollments", action="store_true", help="the roster with enrollments.csv")
    args = parser.parse_args()
    settings = RuleSettings(state=args.state)
    make_app(fresh_database())
    with database.connection_context():
        if is_postgres():
            empty_postgres()
        migrate()
        roster_dir, calendar_csv = os.path.join(OUT, "oneroster-bench"), os.path.join(OUT, "calendar-bench.csv")
        attendance_csv = os.path.join(OUT, f"attendance-{args.students}.csv")
        write_roster(roster_dir, args.students, args.enrollments)
        write_calendar(calendar_csv)
        if args.roster_only:
            cpu, server, own, helpers = time.process_time(), server_cpu(), time.thread_time(), children_cpu()
            phases = {}
            seconds, (run, _) = timed(lambda: run_import("oneroster", roster_dir, settings, phases))
            cpu, own, helpers = time.process_time() - cpu, time.thread_time() - own, children_cpu() - helpers
            print(f"engine: {engine_name()}; ROSTER IMPORT (OneRoster, {run.rows_read:,} rows), preview and "
                  f"apply: {seconds:.2f} s = {run.rows_read / seconds:,.0f} rows/s (preview {phases['preview']:.2f} "
                  f"s, its thread's CPU {phases['preview_cpu']:.2f} s; apply {phases['apply']:.2f} s, "
                  f"{phases['apply_cpu']:.2f} s); CPU {cpu:.2f} s = "
                  f"{run.rows_read / cpu:,.0f} rows/s of CPU (the import's own thread {own:.2f} s, the rest "
                  f"its writer's); a process checking part of users.csv {helpers:.2f} s (peak "
                  f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:,.0f} MB)"
                  f"{server_says(server)}; {run.outcome}; "
                  f"peak memory {peak_mb():,.0f} MB; load {os.getloadavg()[0]:.1f}")
            return
        days = school_days()[:args.attendance_days or None]
        seconds, rows = timed(lambda: write_attendance(attendance_csv, args.students, days, args.edfi_shape))
        size = os.path.getsize(attendance_csv) / 1e6
        print(f"engine: {engine_name()}; {args.students:,} students, {len(days)} school days; "
              f"attendance file {rows:,} rows, {size:.0f} MB (written in {seconds:.1f} s)")

        seconds, (run, _) = timed(lambda: run_import("oneroster", roster_dir, settings))
        print(f"ROSTER IMPORT (OneRoster, {run.rows_read:,} rows): {seconds:.2f} s = "
              f"{run.rows_read / seconds:,.0f} rows/s, {run.outcome}; peak memory so far {peak_mb():,.0f} MB")
        seconds, (run, _) = timed(lambda: run_import("calendar", calendar_csv, settings))
        print(f"calendar import: {seconds:.2f} s, {run.outcome}")

        phases = {}
        cpu, server = time.process_time(), server_cpu()
        seconds, (run, report) = timed(lambda: run_import("attendance", attendance_csv, settings, phases))
        cpu = time.process_time() - cpu
        print(f"ATTENDANCE IMPORT, preview and apply: {run.rows_read:,} rows in {seconds:.2f} s = "
              f"{run.rows_read / seconds:,.0f} rows/s; CPU {cpu:.2f} s = {run.rows_read / cpu:,.0f} rows/s "
              f"of CPU{server_says(server)} ({run.outcome}; "
              f"{report.counts.get('absences, tardies and part days stored', 0):,} marks stored; "
              f"preview {phases['preview']:.2f} s, apply {phases['apply']:.2f} s); "
              f"peak memory so far {peak_mb():,.0f} MB; load {os.getloadavg()[0]:.1f}")
        if args.imports_only:
            return
        database.execute_sql("ANALYZE")

        on_day = LAST
        seconds, results = timed(lambda: standings(settings, on_day))
        triggered = sum(1 for r in results.values() if r.step_reached >= 0)
        print(f"RECOMPUTE ALL STANDINGS: {len(results):,} students in {seconds:.2f} s "
              f"({triggered:,} past a threshold; rule set {settings.version_on(on_day).version_id})")
        seconds, listing = timed(lambda: build_worklist(settings, on_day))
        print(f"district worklist: {len(listing.items):,} students with a step due, built in {seconds:.2f} s")

        day_file = os.path.join(OUT, "attendance-one-day.csv")
        with open(attendance_csv) as src, open(day_file, "w") as dst:
            dst.write(next(src))
            dst.writelines(line for line in src if f",{days[-1].isoformat()}" in line)
        seconds, (run, report) = timed(lambda: run_import("attendance", day_file, settings))
        print(f"re-import of the last day ({run.rows_read:,} rows, replaces "
              f"{report.counts.get('earlier marks replaced', 0):,} marks): {seconds:.2f} s")


if __name__ == "__main__":
    main()
