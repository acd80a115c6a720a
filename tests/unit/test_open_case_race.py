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

from fieldapp import imports
from fieldapp.cases import lifecycle
from fieldapp.db import is_postgres
from fieldapp.imports.oneroster import import_oneroster
from fieldapp.models import Case, Student
from fieldapp.rules.settings import RuleSettings
from tests import factories
from tests.races import race

DATA = os.path.join(os.path.dirname(__file__), "..", "data")
TODAY = datetime.date(2025, 10, 1)
HEADER = "studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor,minutesAbsent\n"
SETTINGS = RuleSettings(state="CA", auto_open=True)


def open_by_hand(officer, student):
    """An officer opens a case for student with the form."""
    return lifecycle.open_case(officer, student, {"note": "Opened by hand"}, officer=officer)


def test_the_import_skips_a_student_an_officer_opens_a_case_for_at_that_moment(app):
    assert import_oneroster(os.path.join(DATA, "oneroster-bulk"), "roster").applied
    maria, second = Student.get(Student.local_id == "1001"), Student.get(Student.local_id == "1003")
    officer = factories.gen_user("officer", [maria.school])
    rows = "".join(f"{kid},{school},2025-09-{d:02d},Unexcused Absence,\n"
                   for kid, school in (("1001", maria.school.sourced_id), ("1003", second.school.sourced_id))
                   for d in (2, 9, 16))
    by_hand, imported = race(lambda: open_by_hand(officer, maria),
                             lambda: imports.run("attendance", io.BytesIO((HEADER + rows).encode()), "sept.csv",
                                                 SETTINGS, today=TODAY), join=120)
    assert not isinstance(imported, Exception), imported
    _, report = imported
    assert report.applied
    assert report.counts["cases opened"] == 1  # the other student's
    # PostgreSQL: the import checked before the officer's case was committed and met it at the insert.
    assert report.counts.get("already had a case", 0) == (1 if is_postgres() else 0)
    open_for_maria = list(Case.select().where(Case.student == maria, Case.status == "open"))
    assert [c.id for c in open_for_maria] == [by_hand.id]
    assert Case.select().where(Case.student == second, Case.status == "open").count() == 1
