"""A student with no enrolment on file is enrolled all year at their school:
a delta enrollments.csv adding a class keeps that, and only a record it
ends there ends it; what changes in days enrolled is said before applying."""
import datetime
import io
import os

from fieldapp import imports
from fieldapp.imports.attendance import import_attendance
from fieldapp.imports.undo import undo
from fieldapp.models import Enrollment, RosterEnrollment, Student
from fieldapp.rules.settings import RuleSettings
from fieldapp.students.attendance import summary

D = datetime.date
BULK = os.path.join(os.path.dirname(__file__), "..", "data", "oneroster-bulk")
HEADER = ("sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,"
          "primary,beginDate,endDate\n")
ON_DAY = D(2026, 2, 2)


def delta(tmp_path, name, rows, mode="delta"):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "manifest.csv").write_text("propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\n"
                                         "file.orgs,absent\nfile.users,absent\nfile.demographics,absent\n"
                                         f"file.enrollments,{mode}\n")
    (folder / "enrollments.csv").write_text(HEADER + "".join(rows))
    return str(folder)


def students_without_enrolments():
    """The roster's students, as users.csv alone leaves them: no enrolment on file."""
    imports.run("oneroster", BULK, "first", RuleSettings(), today=D(2025, 8, 18))
    Enrollment.delete().execute()
    RosterEnrollment.delete().execute()
    maria = Student.get(Student.sourced_id == "stu-1001")
    marks = "".join(f"1001,sch-100,{day},Unexcused Absence\n" for day in ("2025-09-02", "2025-10-06"))
    assert import_attendance(io.BytesIO(("studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor\n"
                                         + marks).encode()), "a.csv", False, ON_DAY).applied
    return maria


def spans(student):
    return sorted((e.school_id, e.begin_date, e.end_date)
                  for e in Enrollment.select().where(Enrollment.student == student))


def test_a_delta_adding_a_class_keeps_a_student_enrolled_all_year_and_undo_restores(app, tmp_path):
    maria = students_without_enrolments()
    before = summary(maria, ON_DAY)
    assert before.unexcused == 2
    art = "enr-9,active,,cls-art,sch-100,stu-1001,student,false,2026-01-20,2026-06-10\n"
    pending = imports.preview("oneroster", delta(tmp_path, "d1", [art]), "d1", RuleSettings(), today=D(2026, 1, 20))
    assert pending.report.counts.get("enrollment records added") == 1
    assert not [n for n in pending.report.notes if "Days enrolled" in n]  # nothing changes in days enrolled
    run, report = imports.apply(pending, pending.report.confirm_phrase)
    assert run.outcome == "applied", report.problems
    after = summary(maria, ON_DAY)
    assert (after.days_enrolled, after.unexcused) == (before.days_enrolled, 2)
    undo(run, None)
    assert spans(maria) == [] and RosterEnrollment.select().count() == 0
    assert summary(maria, ON_DAY) == before


def test_a_delta_ending_a_record_ends_the_year_assumed_and_the_preview_says_so(app, tmp_path):
    maria = students_without_enrolments()
    before = summary(maria, ON_DAY)
    gone = "enr-1,tobedeleted,,cls-4a,sch-100,stu-1001,student,false,2025-08-18,2025-10-30\n"
    pending = imports.preview("oneroster", delta(tmp_path, "d2", [gone]), "d2", RuleSettings(),
                              today=D(2026, 1, 20))
    said = [n for n in pending.report.notes if "Days enrolled" in n]
    assert said == ["Days enrolled change for 1 student: María García (1001) at Lincoln Elementary: every day of the year, "
                    "now until Oct 30, 2025"]
    run, report = imports.apply(pending, pending.report.confirm_phrase)
    assert report.notes == pending.report.notes
    assert spans(maria) == [(maria.school_id, None, D(2025, 10, 30))]
    assert summary(maria, ON_DAY).days_enrolled < before.days_enrolled
    undo(run, None)
    assert spans(maria) == [] and summary(maria, ON_DAY) == before


def test_a_bulk_file_is_the_whole_truth_and_says_what_it_changes(app, tmp_path):
    maria = students_without_enrolments()
    art = "enr-9,active,,cls-art,sch-100,stu-1001,student,false,2026-01-20,2026-06-10\n"
    report = imports.run("oneroster", delta(tmp_path, "b", [art], mode="bulk"), "b", RuleSettings(),
                         today=D(2026, 1, 20))[1]
    assert spans(maria) == [(maria.school_id, D(2026, 1, 20), D(2026, 6, 10))]
    assert "María García (1001) at Lincoln Elementary: every day of the year, now Jan 20, 2026 to Jun 10, 2026" in \
        [n for n in report.notes if "Days enrolled" in n][0]


def test_a_delta_enrolling_an_assumed_student_at_another_school_moves_them_on_its_begin_date(app, tmp_path):
    maria = students_without_enrolments()
    other = Student.get(Student.sourced_id == "stu-1002").school_id  # Riverside Middle School
    move = "enr-9,active,,cls-7m,sch-200,stu-1001,student,false,2025-10-01,\n"
    pending = imports.preview("oneroster", delta(tmp_path, "d3", [move]), "d3", RuleSettings(),
                              today=D(2026, 1, 20))
    said = ("1 student with no enrolment on file was counted enrolled all year at their school; this file enrols "
            "them at another school from its beginDate, so their year at their school ends the day before (their "
            "school on file stays until users.csv moves them): María García (1001): Lincoln Elementary until "
            "Sep 30, 2025, Riverside Middle School from Oct 1, 2025")
    assert said in pending.report.notes
    run, report = imports.apply(pending, pending.report.confirm_phrase)
    assert run.outcome == "applied", report.problems
    assert said in report.notes
    assert spans(maria) == sorted([(maria.school_id, None, D(2025, 9, 30)), (other, D(2025, 10, 1), None)])
    undo(run, None)
    assert spans(maria) == []
