"""A delta moving a student with no enrolment on file to another school, in
users.csv and enrollments.csv at once, ends the year counted at the school
they left the day before the enrolment begins, as either file alone does."""
import datetime

from fieldapp import imports
from fieldapp.imports.undo import undo
from fieldapp.models import Student
from fieldapp.rules.settings import RuleSettings
from fieldapp.students.attendance import summary
from tests.unit.test_import_enrolment_assumed import HEADER, ON_DAY, spans, students_without_enrolments

D = datetime.date
USERS = ("sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,"
         "middleName,identifier,email,sms,phone,agentSourcedIds,grades,password\n"
         'stu-1001,,,true,sch-200,student,mgarcia,{SIS:1001},María,García,Elena,1001,,,,"par-1,par-2",04,\n')


def move(tmp_path, name, enrolment):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "manifest.csv").write_text("propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\n"
                                         "file.orgs,absent\nfile.users,delta\nfile.demographics,absent\n"
                                         "file.enrollments,delta\n")
    (folder / "users.csv").write_text(USERS)
    (folder / "enrollments.csv").write_text(HEADER + enrolment)
    return str(folder)


def test_users_and_enrolments_moving_a_student_keep_their_days_at_the_school_they_left(app, tmp_path):
    maria = students_without_enrolments()
    home, other = maria.school_id, Student.get(Student.sourced_id == "stu-1002").school_id
    before = summary(maria, ON_DAY)
    assert before.unexcused == 2
    enrolment = "enr-9,active,,cls-7m,sch-200,stu-1001,student,false,2025-11-03,\n"
    pending = imports.preview("oneroster", move(tmp_path, "m1", enrolment), "m1", RuleSettings(),
                              today=D(2026, 1, 20))
    said = [n for n in pending.report.notes if "Days enrolled" in n]
    assert said == ["Days enrolled change for 1 student: María García (1001) at Lincoln Elementary: every day of "
                    "the year, now until Nov 2, 2025; María García (1001) at Riverside Middle School: not "
                    "enrolled, now from Nov 3, 2025"]
    run, report = imports.apply(pending, pending.report.confirm_phrase)
    assert run.outcome == "applied", report.problems
    assert said[0] in report.notes
    maria = Student.get_by_id(maria.id)
    assert maria.school_id == other
    assert spans(maria) == sorted([(home, None, D(2025, 11, 2)), (other, D(2025, 11, 3), None)])
    after = summary(maria, ON_DAY)
    assert (after.days_enrolled, after.unexcused) == (before.days_enrolled, 2)
    undo(run, None)
    maria = Student.get_by_id(maria.id)
    assert (maria.school_id, spans(maria)) == (home, [])
    assert summary(maria, ON_DAY) == before


def test_users_and_an_enrolment_without_begin_date_end_the_school_left_the_day_before_the_move(app, tmp_path):
    maria = students_without_enrolments()
    home = maria.school_id
    enrolment = "enr-9,active,,cls-7m,sch-200,stu-1001,student,false,,\n"
    run, report = imports.run("oneroster", move(tmp_path, "m2", enrolment), "m2", RuleSettings(),
                              today=D(2026, 1, 20))
    assert run.outcome == "applied", report.problems
    assert (home, None, D(2026, 1, 19)) in spans(maria)  # not counted at the school left after leaving it
    assert summary(Student.get_by_id(maria.id), ON_DAY).unexcused == 2


def _enrolled_then_moved(tmp_path):
    """An enrolment delta (Nov 3 at Riverside), then a users.csv alone moving María there on Dec 20."""
    from tests.unit.test_import_enrolment_assumed import delta
    maria = students_without_enrolments()
    enrolment = "enr-9,active,,cls-7m,sch-200,stu-1001,student,false,2025-11-03,\n"
    first, report = imports.run("oneroster", delta(tmp_path, "e1", [enrolment]), "e1", RuleSettings(),
                                today=D(2025, 11, 21))
    assert first.outcome == "applied", report.problems
    folder = tmp_path / "u1"
    folder.mkdir()
    (folder / "manifest.csv").write_text("propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\n"
                                         "file.orgs,absent\nfile.users,delta\nfile.demographics,absent\n"
                                         "file.enrollments,absent\n")
    (folder / "users.csv").write_text(USERS)
    moved, report = imports.run("oneroster", str(folder), "u1", RuleSettings(), today=D(2025, 12, 20))
    assert moved.outcome == "applied", report.problems
    return maria, first, moved


def test_undoing_an_enrolment_a_later_users_file_moved_past_writes_the_move_as_that_file_says(app, tmp_path):
    """Undone, the delta's periods go; the later move, kept with its day, is written as its file alone
    would have: the school left until Dec 19, the new one from Dec 20 (not all year at the new one).
    Undoing the move too leaves María as before both."""
    from fieldapp.imports.undo import preview_changed
    from fieldapp.models import ImportRun
    maria, first, moved = _enrolled_then_moved(tmp_path)
    home, other = maria.school_id, Student.get(Student.sourced_id == "stu-1002").school_id
    said = (f"María García (stu-1001): no enrolment period of this import is left once it is undone; import "
            f"{moved.id}'s users.csv moved them on Dec 20, 2025: enrolled at Lincoln Elementary until Dec 19, 2025 "
            "and at Riverside Middle School from Dec 20, 2025, as that file alone says")
    assert [str(line) for line in preview_changed(first)] == [said]
    counts = undo(first, None)
    assert counts["which"]["transfers recorded"] == [said]
    assert spans(maria) == sorted([(home, None, D(2025, 12, 19)), (other, D(2025, 12, 20), None)])
    undo(ImportRun.get_by_id(moved.id), None)
    assert (Student.get_by_id(maria.id).school_id, spans(maria)) == (home, [])


def test_undoing_an_enrolment_past_a_move_of_unknown_day_says_what_days_enrolled_are_left(app, tmp_path):
    """A move applied before its day was kept: no period is left, and the undo says so."""
    from fieldapp.imports.undo import preview_changed
    from fieldapp.imports.undo_words import CHANGED_SINCE
    from fieldapp.models import ImportChange
    maria, first, moved = _enrolled_then_moved(tmp_path)
    ImportChange.delete().where(ImportChange.table == "student_move").execute()
    said = (f"María García (stu-1001): no enrolment period is left once this import is undone; they count as "
            f"enrolled all year at Riverside Middle School, where import {moved.id}'s users.csv moved them: send "
            f"the enrolments that say when they moved")
    assert [str(line) for line in preview_changed(first)] == [said]
    counts = undo(first, None)
    assert said in [str(line) for line in counts["which"][CHANGED_SINCE]]
    assert spans(maria) == []


def test_a_record_to_delete_that_is_not_on_file_is_left_aside_and_said(app, tmp_path):
    from fieldapp.models import RosterEnrollment
    from tests.unit.test_import_enrolment_assumed import BULK, delta
    imports.run("oneroster", BULK, "first", RuleSettings(), today=D(2025, 8, 18))
    maria = Student.get(Student.sourced_id == "stu-1001")
    records, before = RosterEnrollment.select().count(), spans(maria)
    gone = "enr-404,tobedeleted,,cls-4a,sch-100,stu-1001,student,false,2025-08-18,2025-10-30\n"
    pending = imports.preview("oneroster", delta(tmp_path, "g1", [gone]), "g1", RuleSettings(), today=D(2026, 1, 20))
    said = ("1 enrolment record to delete (status tobedeleted) was not on file, so it is not stored (its endDate "
            "still ends the year of a student counted enrolled all year by assumption): enr-404")
    assert said in pending.report.notes
    assert "enrollment records added" not in pending.report.counts
    run, report = imports.apply(pending, pending.report.confirm_phrase)
    assert run.outcome == "applied", report.problems
    assert said in report.notes and "enrollment records added" not in report.counts
    assert RosterEnrollment.select().count() == records and spans(maria) == before
