"""Undoing an import keeps a student it created who has casework since, and
says by name what it kept and why, before (the preview) and after.

An officer opened a case on a student a roster created; the roster undone
deactivated the student and left the case open, gone from the officer's
caseload but still on the supervisor's list. An attendance office keeps
the student: the work on them is real whatever the roster said."""
import importlib
import io
import os

from fieldapp import imports
from fieldapp.cases import lifecycle
from fieldapp.models import ExcuseNote, School, Student
from fieldapp.rules.settings import RuleSettings
from tests import factories

DATA = os.path.join(os.path.dirname(__file__), "..", "data")
BULK = os.path.join(DATA, "oneroster-bulk")
DELTA = os.path.join(DATA, "oneroster-delta")
SETTINGS = RuleSettings()
# fieldapp.imports names its undo() after the module: the module itself, by its full name.
undo = importlib.import_module("fieldapp.imports.undo")
HEADER = "studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor,minutesAbsent\n"


def _officer():
    return factories.gen_user("officer", list(School.select()), name="Dana Ortiz")


def test_a_student_the_roster_created_who_has_a_case_since_stays_active_and_is_named(app):
    run, _ = imports.run("oneroster", BULK, "bulk", SETTINGS)
    maria, jose, thanh = (Student.get(Student.sourced_id == s) for s in ("stu-1001", "stu-1002", "stu-1003"))
    officer = _officer()
    case = lifecycle.open_case(officer, maria, {"officer": str(officer.id)})
    ExcuseNote.create(student=thanh, school=thanh.school_id, received_how="paper", reason="illness",
                      recorded_by=officer)
    said = undo.preview(run)
    assert said == ["María García (stu-1001): an open case", "Thanh Nguyễn (stu-1003): an excuse note"]
    counts = imports.undo(run, officer)
    assert Student.get_by_id(maria.id).active is True and Student.get_by_id(jose.id).active is False
    assert Student.get_by_id(case.student_id).active and case.is_open
    assert counts[undo.KEPT_STUDENTS] == len(said)
    assert sorted(counts["which"][undo.KEPT_STUDENTS]) == said
    assert counts["students it created deactivated"] == 3 - len(said)


def test_a_student_kept_because_changed_since_is_named_with_what_changed(app, tmp_path):
    imports.run("oneroster", BULK, "bulk", SETTINGS)
    first, _ = imports.run("oneroster", DELTA, "delta", SETTINGS, confirmation="deactivate 1")
    later = tmp_path / "later"
    later.mkdir()
    (later / "manifest.csv").write_text(open(os.path.join(DELTA, "manifest.csv")).read())
    (later / "users.csv").write_text(open(os.path.join(DELTA, "users.csv")).read().replace("Nguyen-Tran", "Tran"))
    imports.run("oneroster", str(later), "later", SETTINGS)
    counts = imports.undo(first, None)
    assert "Thanh Tran (stu-1003): last name changed since" in counts["which"][undo.CHANGED_SINCE]


def test_a_mark_kept_because_a_later_import_decided_the_day_is_named(app):
    imports.run("oneroster", BULK, "bulk", SETTINGS)
    for name, row in (("first", "Unexcused Absence,"), ("second", "Excused Absence,"), ("third", "Tardy,10")):
        run, _ = imports.run("attendance", io.BytesIO((HEADER + f"1001,sch-100,2025-09-02,{row}\n").encode()),
                             f"{name}.csv", SETTINGS)
        if name == "second":
            second = run
    counts = imports.undo(second, None)
    assert counts["which"][undo.CHANGED_SINCE] == [
        "María García (stu-1001), 2025-09-02: a later import decided that day; its marks stand"]
