"""The supervisor's exports streamed to their last byte, each in CSV and XLSX,
beside the bare SQL that reads their rows, with the peak of memory they take.

    .venv/bin/python bench/bench_exports.py --rows 100000     # SQLite, bench/out/
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/fieldapp_bench_<yours> \\
        .venv/bin/python bench/bench_exports.py --rows 100000 # PostgreSQL

--rows N first tops the case list, the contact log and the letters sent up to
N rows each (closed cases of students without one, copies of contacts,
letters recorded as sent): it WRITES to the bench database, so give it a copy
of its own. The worklist, the unassigned queue, the students by chronic
absence (every student with a stored standing) and the front office's open
cases of its school have the rows the district gives them; their time per
100,000 rows is scaled from that.
Run once with --rows 50000 and once with --rows 100000 to see that memory
does not grow with the rows. Budget: 100,000 rows in <= 10 s, streamed, in
bounded memory. CPU is this process's (the app and, on SQLite, the
database) with that of the process writing a big workbook (whose memory
is not in the peak RSS: about 24 MB for 100,000 rows, measured apart); on
PostgreSQL the server's own work shows in wall time only.
"""
import argparse
import datetime
import os
import time
import tracemalloc
import uuid

from common import SqlRecorder, database, engine_name, machine_load, settle, timed
from fieldapp.models import Case, Contact, DocumentRecord, Letter, Student, User
from fieldapp.models.base import utcnow

EXPORT_BUDGET = 10.0
SCALED_FROM = 5000  # rows below which the time per 100,000 rows is not judged
# (list, the export's address): the supervisor's, then the front office's school list.
EXPORTS = (("cases", "/supervisor/export/cases?status=all"), ("worklist", "/supervisor/export/worklist"),
           ("contacts", "/supervisor/export/contacts"), ("letters", "/supervisor/export/letters"),
           ("unassigned", "/supervisor/export/unassigned"), ("students", "/supervisor/export/students"))
OFFICE_EXPORTS = (("office", "/office/export"),)
FRONT_OFFICE = "frontoffice@demo.fieldapp.test"
BATCH = 1000


def _insert(model, rows):
    for start in range(0, len(rows), BATCH):
        model.insert_many(rows[start:start + BATCH]).execute()


def _top_up_cases(wanted, officer):
    """Closed cases for students who have none, until there are `wanted`."""
    missing = wanted - Case.select().count()
    if missing <= 0:
        return 0
    students = (Student.select(Student.id, Student.school).where(Student.id.not_in(Case.select(Case.student)))
                .limit(missing).tuples())
    now = utcnow()
    _insert(Case, [dict(student=sid, school=school, school_year="2025-26", status="closed", stage="monitoring",
                        officer=officer, opened_at=now - datetime.timedelta(days=90), opened_by=officer,
                        closed_at=now, closed_by=officer, closure_reason="attendance_improved")
                   for sid, school in students])
    return missing


def _top_up_contacts(wanted):
    """Copies of the district's contacts (new UUIDs), until there are `wanted`."""
    missing = wanted - Contact.select().count()
    if missing <= 0:
        return 0
    columns = (Contact.case, Contact.student, Contact.author, Contact.method, Contact.outcome,
               Contact.reasons, Contact.people_present, Contact.notes, Contact.follow_up_on, Contact.occurred_at)
    model = list(Contact.select(*columns).order_by(Contact.id).limit(missing).dicts())
    copies = [dict(model[i % len(model)], uuid=uuid.uuid4()) for i in range(missing)]
    _insert(Contact, copies)
    return missing


def _top_up_letters(wanted, officer):
    """Letters recorded as sent, for the district's cases in turn, until there are `wanted`."""
    missing = wanted - Letter.select().where(Letter.sent_at.is_null(False)).count()
    if missing <= 0:
        return 0
    cases = list(Case.select(Case.id, Case.student, Case.school).order_by(Case.id).limit(missing).tuples())
    contact = Contact.select(Contact.id).scalar()
    now = utcnow()
    record = DocumentRecord.create(
        reference=uuid.uuid4(), kind="letter", title="Truancy notification", school=cases[0][2],
        student=cases[0][1], case=cases[0][0], generated_by=officer, generated_at=now, content="",
        content_sha256="0" * 64, pdf_sha256="0" * 64, pdf=b"", page_count=1, recipient="", language="en")
    rows = []
    for i in range(missing):
        case_id, student_id, _ = cases[i % len(cases)]
        rows.append(dict(case=case_id, student=student_id, kind="first_notice", template_id="ca_first_notice",
                         template_version=1, template_effective=datetime.date(2025, 7, 1), language="en",
                         letter_date=now.date(), generated_by=officer, generated_at=now, contact=contact,
                         document=record, sent_at=now - datetime.timedelta(minutes=i), sent_how="mail",
                         sent_recorded_by=officer))
    _insert(Letter, rows)
    return missing


def top_up(rows):
    """Bring the case list, contact log and letters sent to `rows` rows each."""
    with database.connection_context(), database.atomic():
        officer = User.select(User.id).where(User.role == "supervisor").scalar()
        added = {"cases": _top_up_cases(rows, officer), "contacts": _top_up_contacts(rows),
                 "letters": _top_up_letters(rows, officer)}
    print(f"topped up to {rows:,} rows: added {added}", flush=True)
    return added


def _drain(client, path, token, fmt):
    """POST an export and read the streamed answer to its end: bytes read.
    XLSX is a job: its work is run here as a worker runs it (the same
    function, in this process, so its CPU is counted, inside the app's
    context as fieldapp.jobs.queue gives it: without one, each label's
    translation was looked up anew), then the finished file is downloaded
    from the job."""
    answer = client.post(path, data={"csrf_token": token, "format": fmt}, buffered=False)
    if fmt == "xlsx":
        from fieldapp.jobs import kinds, runner
        from fieldapp.jobs.queue import queue_of
        if answer.status_code != 303:
            raise SystemExit(f"POST {path} answered {answer.status_code}")
        job_id = int(answer.headers["Location"].rsplit("/", 1)[1])
        app = client.application
        with app.app_context():
            job = runner.run(job_id, kinds.KINDS, app.config, queue_of(app).beats)
        if job is None or job.state != "done":
            raise SystemExit(f"the XLSX job of {path} did not finish: {job and job.reason}")
        answer = client.get(f"/jobs/{job_id}/spreadsheet", buffered=False)
    if answer.status_code != 200:
        raise SystemExit(f"POST {path} answered {answer.status_code}")
    size = 0
    for chunk in answer.response:
        size += len(chunk)
    answer.close()
    return size


def _cpu():
    """CPU seconds of this process and of the processes it started and
    waited for (a big workbook's writer, fieldapp.exports.xlsx)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _peak_rss_reset():
    """Reset the kernel's peak resident size of this process (Linux)."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def _peak_rss():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmHWM"))


def _rows_of(name, client):
    """How many rows the export holds, counted in SQL (client: the one that
    asks for it, whose schools a school's list is of)."""
    from fieldapp.models import StudentStanding
    from fieldapp.rules.settings import from_config
    from fieldapp.students import bands
    with database.connection_context():
        if name == "cases":
            return Case.select().count()
        if name == "contacts":
            return Contact.select().count()
        if name == "letters":
            return Letter.select().where(Letter.sent_at.is_null(False)).count()
        if name == "unassigned":
            return Case.select().where((Case.status == "open") & Case.officer.is_null()).count()
        if name == "students":
            return bands.fresh_counted(from_config(client.application.config))
        if name == "office":
            schools = User.get(User.email == FRONT_OFFICE).school_ids()
            return Case.select().where((Case.status == "open") & Case.student_school_id.in_(schools)).count()
        return StudentStanding.select().where(StudentStanding.section.is_null(False)).count()


def _bare_reads(statements):
    """Seconds to run the export's reads (not its disclosure insert) straight
    on the driver's cursor, fetching every row."""
    reads = [(sql, params) for sql, params in statements if sql.lstrip().upper().startswith("SELECT")]
    with database.connection_context():
        connection = database.connection()
        started = time.perf_counter()
        for sql, params in reads:
            cursor = connection.cursor()
            cursor.execute(sql, params)
            cursor.fetchall()
        return time.perf_counter() - started, len(reads)


def bench_exports(client, token, memory=False, office=None, only=None, formats=("csv", "xlsx")):
    """Each export in each format timed to its last byte (wall and this
    process's CPU), with the peak resident memory it reached; memory=True
    runs it again under tracemalloc for the peak Python allocation.
    client: the supervisor's; office, when given: (client, token) of the
    front office, whose school list is exported too; only: the names of
    the exports to time (None: all); formats: which files of each."""
    asked = [(name, path, client, token) for name, path in EXPORTS]
    if office is not None:
        asked += [(name, path, *office) for name, path in OFFICE_EXPORTS]
    asked = [each for each in asked if only is None or each[0] in only]
    for name, path, client, token in asked:
        rows = _rows_of(name, client)
        for fmt in formats:
            settle()
            _peak_rss_reset()
            before, cpu = _peak_rss(), _cpu()
            with SqlRecorder() as recorder:
                seconds, size = timed(lambda: _drain(client, path, token, fmt))
            cpu, peak = _cpu() - cpu, _peak_rss()
            bare, reads = _bare_reads(recorder.statements)
            traced = ""
            if memory:
                tracemalloc.start()
                _drain(client, path, token, fmt)
                traced = f"  traced peak {tracemalloc.get_traced_memory()[1] / 1e6:5.1f} MB"
                tracemalloc.stop()
            per_100k = seconds * 100_000 / max(rows, 1)
            verdict = "ok" if per_100k <= EXPORT_BUDGET else "OVER"
            if rows < SCALED_FROM:  # a request's own cost, multiplied, says nothing of the rows'
                verdict = f"too few rows to scale (under {SCALED_FROM:,})"
            print(f"export {name:<10} {fmt:<4} {rows:>8,} rows  wall {seconds:6.2f} s  CPU {cpu:6.2f} s"
                  f"  {size / 1e6:5.1f} MB | peak RSS {peak / 1e6:6.1f} MB (+{(peak - before) / 1e6:5.1f}){traced}"
                  f" | bare SQL reads {bare:5.2f} s ({reads} stmts) | per 100,000 rows {per_100k:5.2f} s"
                  f" budget <= {EXPORT_BUDGET:.0f} s: {verdict} | {machine_load()}", flush=True)


def main():
    from bench_desk import SUPERVISOR, fresh_standings
    from common import bench_url, ensure_seeded, logged_in, make_app
    from fieldapp.demo.seed import DEMO_PASSWORD
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=0, help="top the exports up to this many rows first")
    parser.add_argument("--tracemalloc", action="store_true", help="also the peak Python allocation")
    parser.add_argument("--only", help="these exports alone, e.g. cases,students")
    parser.add_argument("--formats", default="csv,xlsx", help="csv, xlsx or both (the default)")
    args = parser.parse_args()
    app = make_app(bench_url(args.students))
    # XLSX jobs are run in this process (see _drain); their queue is a file of the bench's own.
    app.config["JOBS_URL"] = "sqlite:///" + os.path.join(os.path.dirname(os.path.abspath(__file__)), "out",
                                                          "exports-jobs.db")
    ensure_seeded(args.students)
    print(f"fieldapp bench_exports · {engine_name()} · {args.students:,} students · {machine_load()}")
    if args.rows:
        top_up(args.rows)
    fresh_standings(app)
    client, token = logged_in(app, SUPERVISOR, DEMO_PASSWORD)
    bench_exports(client, token, args.tracemalloc, logged_in(app, FRONT_OFFICE, DEMO_PASSWORD),
                  args.only.split(",") if args.only else None, tuple(args.formats.split(",")))
    print(f"done · {machine_load()}")


if __name__ == "__main__":
    main()
