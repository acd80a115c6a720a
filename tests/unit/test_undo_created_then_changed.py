"""A student or school an import created, which a later import (not undone)
changed, is kept active by undoing the first (a guardian link, in force): the later import's word on it
stands, as it does for calendars, marks and enrolments, and the undo names it
before and after. Undoing the later import first lets the first's undo
deactivate it as before."""
import os
import shutil

from fieldapp import imports
from fieldapp.imports.undo import CHANGED_SINCE, preview_changed
from fieldapp.models import ImportRun, School, Student
from fieldapp.rules.settings import RuleSettings

BULK = os.path.join(os.path.dirname(__file__), "..", "data", "oneroster-bulk")


def _changed_roster(tmp_path):
    folder = tmp_path / "changed"
    shutil.copytree(BULK, folder)
    users = folder / "users.csv"
    users.write_text(users.read_text(encoding="utf-8").replace(",María,García,", ",Mariana,García,"), encoding="utf-8")
    orgs = folder / "orgs.csv"
    orgs.write_text(orgs.read_text(encoding="utf-8").replace("Lincoln Elementary", "Lincoln Academy"),
                    encoding="utf-8")
    return str(folder)


def _roster(source, name):
    run, report = imports.run("oneroster", source, name, RuleSettings())
    assert run.outcome == "applied", report.message or report.problems
    return ImportRun.get_by_id(run.id)


def test_undoing_an_import_keeps_a_student_and_a_school_a_later_import_changed(app, tmp_path):
    first = _roster(BULK, "first")
    second = _roster(_changed_roster(tmp_path), "second")
    named = [f"Lincoln Academy: changed since by import {second.id}, kept",
             f"Mariana García (stu-1001): changed since by import {second.id}, kept"]
    # the second, a whole roster, says again what it did not change: undoing the first takes that away,
    # and the preview says so
    whole = (f"Import {second.id}, later, sent enrollments.csv, orgs.csv, users.csv whole: what it says again as "
             f"this import left it is undone with this import, though import {second.id} stands; import its files "
             "again after this undo to put it back")
    assert sorted(preview_changed(first)) == [whole] + named
    counts = imports.undo(first, None)
    assert sorted(counts["which"][CHANGED_SINCE]) == named
    assert Student.get(Student.sourced_id == "stu-1001").active
    assert School.get(School.sourced_id == "sch-100").active
    # what the later import did not change is deactivated, as it always was
    assert not Student.get(Student.sourced_id == "stu-1002").active
    assert not School.get(School.sourced_id == "sch-200").active
    assert counts["students it created deactivated"] == 2 and counts["schools it created deactivated"] == 1


def test_undoing_the_later_import_first_lets_the_first_undo_deactivate_them(app, tmp_path):
    first = _roster(BULK, "first")
    second = _roster(_changed_roster(tmp_path), "second")
    imports.undo(second, None)
    assert preview_changed(ImportRun.get_by_id(first.id)) == []
    counts = imports.undo(ImportRun.get_by_id(first.id), None)
    assert CHANGED_SINCE not in counts
    assert not Student.get(Student.sourced_id == "stu-1001").active
    assert not School.get(School.sourced_id == "sch-100").active


def test_undoing_an_import_keeps_a_guardian_link_a_later_import_changed(app, tmp_path):
    from fieldapp.models import Guardian, StudentGuardian
    first = _roster(BULK, "first")
    folder = tmp_path / "related"
    shutil.copytree(BULK, folder)
    users = folder / "users.csv"
    users.write_text(users.read_text(encoding="utf-8").replace("par-1,,,true,sch-100,parent,",
                                                               "par-1,,,true,sch-100,guardian,"), encoding="utf-8")
    second = _roster(str(folder), "second")
    ana = Guardian.get(Guardian.sourced_id == "par-1")
    named = [f"José García (stu-1002): guardian link to Ana García: changed since by import {second.id}, kept",
             f"María García (stu-1001): guardian link to Ana García: changed since by import {second.id}, kept"]
    assert sorted(line for line in preview_changed(first) if "guardian link" in line) == named
    counts = imports.undo(first, None)
    assert sorted(line for line in counts["which"][CHANGED_SINCE] if "guardian link" in line) == named
    links = StudentGuardian.select().where(StudentGuardian.guardian == ana)
    assert [(link.relationship, link.ended_at) for link in links] == [("guardian", None), ("guardian", None)]
    assert counts["guardian links it added ended"] == 2  # the other guardians' links, unchanged since
