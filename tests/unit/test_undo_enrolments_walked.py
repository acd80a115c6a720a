"""Undoing delta rosters that each changed one enrolment record, in any
order, walks the record and the student's enrolment periods back as it walks
a student's values: once all are undone, no record or period an import made
is left and the student's days enrolled are as before the first; while a
later import stands, what it left is kept and named."""
import itertools

import pytest

from fieldapp import imports
from fieldapp.imports.undo import CHANGED_SINCE, preview_changed
from fieldapp.models import Enrollment, ImportRun, RosterEnrollment, Student
from fieldapp.rules.settings import RuleSettings
from fieldapp.students.attendance import summary
from tests.unit.test_import_enrolment_assumed import BULK, D, ON_DAY, delta

# stu-1003 is enrolled from Oct 6 (enr-4); each delta says another thing of a class record, enr-9
ART = {"a": "enr-9,active,,cls-art,sch-100,stu-1003,student,false,2025-09-02,\n",
       "b": "enr-9,active,,cls-art,sch-100,stu-1003,student,false,2025-08-25,\n",
       "c": "enr-9,tobedeleted,,cls-art,sch-100,stu-1003,student,false,2025-08-25,2025-09-30\n"}


def state(student):
    return (sorted(RosterEnrollment.select(RosterEnrollment.sourced_id, RosterEnrollment.status,
                                           RosterEnrollment.begin_date, RosterEnrollment.end_date).tuples()),
            sorted((e.begin_date or D.min, e.end_date or D.max)
                   for e in Enrollment.select().where(Enrollment.student == student)),
            summary(student, ON_DAY).days_enrolled)


@pytest.mark.parametrize("order", list(itertools.permutations("abc")), ids="".join)
def test_three_deltas_undone_in_any_order_leave_the_enrolments_as_before_the_first(app, tmp_path, order):
    imports.run("oneroster", BULK, "bulk", RuleSettings(), today=D(2025, 8, 18))
    student = Student.get(Student.sourced_id == "stu-1003")
    before = state(student)
    runs = {}
    for name in "abc":
        run, report = imports.run("oneroster", delta(tmp_path, name, [ART[name]]), name, RuleSettings(),
                                  today=D(2026, 1, 20))
        assert run.outcome == "applied", report.problems
        runs[name] = run.id
    applied = state(student)
    assert applied[1] == [(D(2025, 8, 25), D(2025, 9, 30)), (D(2025, 10, 6), D.max)]
    said = preview_changed(ImportRun.get_by_id(runs[order[0]]))
    counts = imports.undo(ImportRun.get_by_id(runs[order[0]]), None)
    if order[0] != "c":  # the last import to change enr-9 stands: it is kept as it left it, and named
        assert state(student)[:2] == applied[:2]
        by = runs["abc"["abc".index(order[0]) + 1]]  # the next import, which changed it first
        named = f"enrollment record enr-9 of Thanh Nguyễn (stu-1003): changed since by import {by}, kept"
        assert named in said and named in counts["which"][CHANGED_SINCE]
    for name in order[1:]:
        imports.undo(ImportRun.get_by_id(runs[name]), None)
    assert state(student) == before
