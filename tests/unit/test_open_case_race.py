"""A case opened for a student at the same moment as another one: the
database keeps one open case per student (index of migration 0241), and the
one that loses is not an error. The automatic opening after an attendance
import skips the student and goes on (counting them as already having a
case); a person's "Open case" is shown the case there is.

Each test holds an officer's new case, written but not committed, in another
connection while the second opening runs, and commits it once the second
is waiting on it: on PostgreSQL that is after the import's check and at its
insert. On SQLite a transaction takes the write lock as it begins, so the
import waits before it checks and then finds the case; the person's form
checks before its transaction and meets the case at the insert."""
import datetime
import io
import os
import threading
import time

from fieldapp import imports
from fieldapp.cases import lifecycle
from fieldapp.db import database, is_postgres
from fieldapp.imports.oneroster import import_oneroster
from fieldapp.models import Case, Student
from fieldapp.rules.settings import RuleSettings
from tests import factories

DATA = os.path.join(os.path.dirname(__file__), "..", "data")
TODAY = datetime.date(2025, 10, 1)
HEADER = "studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor,minutesAbsent\n"
SETTINGS = RuleSettings(state="CA", auto_open=True)


def _in_thread(work, results, key):
    def run():
        database.connect(reuse_if_open=True)
        try:
            results[key] = work()
        except Exception as error:  # noqa: BLE001 - the test reads it
            results[key] = error
        finally:
            database.close()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def _until_waiting(thread, seconds=1.0):
    """Until the other thread waits on a lock (PostgreSQL says so), or a moment (SQLite)."""
    if not is_postgres():
        time.sleep(seconds)
        return
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and thread.is_alive():
        if database.execute_sql("SELECT count(*) FROM pg_locks WHERE NOT granted").fetchone()[0]:
            return
        time.sleep(0.05)
    raise AssertionError("the second opening never waited on the first")


def _held_case(officer, student, written, commit):
    """Open a case in a transaction that commits when told."""
    def work():
        with database.atomic():
            case = lifecycle.open_case(officer, student, {"note": "Opened by hand"}, officer=officer)
            written.set()
            assert commit.wait(60)
        return case
    return work


def test_the_import_skips_a_student_an_officer_opens_a_case_for_at_that_moment(app):
    assert import_oneroster(os.path.join(DATA, "oneroster-bulk"), "roster").applied
    maria, second = Student.get(Student.local_id == "1001"), Student.get(Student.local_id == "1003")
    officer = factories.gen_user("officer", [maria.school])
    rows = "".join(f"{kid},{school},2025-09-{d:02d},Unexcused Absence,\n"
                   for kid, school in (("1001", maria.school.sourced_id), ("1003", second.school.sourced_id))
                   for d in (2, 9, 16))
    results, written, commit = {}, threading.Event(), threading.Event()
    by_hand = _in_thread(_held_case(officer, maria, written, commit), results, "by hand")
    assert written.wait(60)
    job = _in_thread(lambda: imports.run("attendance", io.BytesIO((HEADER + rows).encode()), "sept.csv",
                                         SETTINGS, today=TODAY), results, "import")
    try:
        _until_waiting(job)
    finally:
        commit.set()
        by_hand.join(60)
        job.join(120)
    assert not isinstance(results["by hand"], Exception), results["by hand"]
    assert not isinstance(results["import"], Exception), results["import"]
    _, report = results["import"]
    assert report.applied
    assert report.counts["cases opened"] == 1  # the other student's
    # PostgreSQL: the import checked before the officer's case was committed and met it at the insert.
    assert report.counts.get("already had a case", 0) == (1 if is_postgres() else 0)
    open_for_maria = list(Case.select().where(Case.student == maria, Case.status == "open"))
    assert [c.id for c in open_for_maria] == [results["by hand"].id]
    assert Case.select().where(Case.student == second, Case.status == "open").count() == 1
