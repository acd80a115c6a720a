"""A later import (not undone) whose file says again what an earlier import
made or changed, as it is stored, changes nothing, yet its word stands:
undoing the earlier import keeps it, and names the later import ("import N,
later, says the same; kept"); undoing the later one then puts back what was
there before both."""
import io

from fieldapp import imports
from fieldapp.imports.undo import CHANGED_SINCE, preview_changed
from fieldapp.models import AttendanceEvent, Enrollment, Guardian, ImportRun, RosterEnrollment, StudentGuardian
from fieldapp.rules.settings import RuleSettings
from tests.unit.test_import_enrolment_assumed import BULK, D, delta

GONE = "enr-1,tobedeleted,,cls-4a,sch-100,stu-1001,student,false,2025-08-18,2025-10-30\n"


def _state():
    return (sorted(RosterEnrollment.select(RosterEnrollment.sourced_id, RosterEnrollment.status,
                                           RosterEnrollment.end_date).tuples()),
            sorted((e.student_id, e.begin_date, e.end_date or D.max) for e in Enrollment.select()))


def _run(source, name):
    run, report = imports.run("oneroster", source, name, RuleSettings(), today=D(2026, 1, 20))
    assert run.outcome == "applied", report.message or report.problems
    return ImportRun.get_by_id(run.id)


def test_undoing_a_delta_keeps_the_ending_a_later_delta_sends_again(app, tmp_path):
    imports.run("oneroster", BULK, "bulk", RuleSettings(), today=D(2025, 8, 18))
    before = _state()
    first = _run(delta(tmp_path, "a", [GONE]), "a")
    second = _run(delta(tmp_path, "b", [GONE]), "b")  # the same tobedeleted: nothing changes
    ended = _state()
    named = [f"enrollment period of María García (stu-1001) at Lincoln Elementary: import {second.id}, later, "
             "says the same; kept",
             f"enrollment record enr-1 of María García (stu-1001): import {second.id}, later, says the same; kept"]
    assert sorted(preview_changed(first)) == named
    counts = imports.undo(first, None)
    assert sorted(counts["which"][CHANGED_SINCE]) == named
    assert _state() == ended  # still ended, as the standing import says
    imports.undo(ImportRun.get_by_id(second.id), None)
    assert _state() == before


USERS = ("sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,"
         "middleName,identifier,email,sms,phone,agentSourcedIds,grades,password\n"
         "par-9,,,true,sch-100,guardian,mtran,,Minh,Tran,,,,,(555) 300-4545,stu-1003,,\n")


def _users_delta(tmp_path, name):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "manifest.csv").write_text("propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\n"
                                         "file.orgs,absent\nfile.users,delta\nfile.demographics,absent\n"
                                         "file.enrollments,absent\n")
    (folder / "users.csv").write_text(USERS)
    return str(folder)


def test_undoing_a_users_delta_keeps_the_guardian_link_a_later_one_lists_again(app, tmp_path):
    imports.run("oneroster", BULK, "bulk", RuleSettings(), today=D(2025, 8, 18))
    first = _run(_users_delta(tmp_path, "a"), "a")
    second = _run(_users_delta(tmp_path, "b"), "b")  # the same link, the same relationship
    minh = Guardian.get(Guardian.sourced_id == "par-9")
    named = f"Thanh Nguyễn (stu-1003): guardian link to Minh Tran: import {second.id}, later, says the same; kept"
    assert named in preview_changed(first)
    counts = imports.undo(first, None)
    assert named in counts["which"][CHANGED_SINCE]
    assert [link.ended_at for link in StudentGuardian.select().where(StudentGuardian.guardian == minh)] == [None]
    imports.undo(ImportRun.get_by_id(second.id), None)
    assert StudentGuardian.select().where(StudentGuardian.guardian == minh, StudentGuardian.current()).count() == 0


HEADER = "studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor,minutesAbsent\n"


def test_undoing_attendance_keeps_the_marks_a_later_import_of_the_same_file_stored(app):
    """Applied again, the same file stores its marks again (the day is its): undoing the first keeps them."""
    imports.run("oneroster", BULK, "bulk", RuleSettings())
    mark = HEADER + "1001,sch-100,2025-09-02,Unexcused Absence,\n"
    first, _ = imports.run("attendance", io.BytesIO(mark.encode()), "a.csv", RuleSettings())
    second, _ = imports.run("attendance", io.BytesIO(mark.encode()), "b.csv", RuleSettings())
    imports.undo(ImportRun.get_by_id(first.id), None)
    assert [(m.category, m.import_run_id) for m in AttendanceEvent.select()] == [("unexcused", second.id)]
