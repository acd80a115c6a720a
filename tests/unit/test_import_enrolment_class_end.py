"""A delta record with an endDate on a class at the school of a student
enrolled all year by assumption leaves the year as it is (a class ending is
not a student leaving: only tobedeleted ends an enrolment), and the preview
says so, naming the records, so the district knows how to end one."""
import datetime

from fieldapp import imports
from fieldapp.models import Student
from fieldapp.rules.settings import RuleSettings
from fieldapp.students.attendance import summary
from tests.unit.test_import_enrolment_assumed import ON_DAY, delta, students_without_enrolments

D = datetime.date
SAID = ("2 enrolments carry an end date on a class at the student's own school; the students stay enrolled all "
        "year, as before (a class ending is not a student leaving): send the enrolment with status tobedeleted to "
        "end it: enr-8: José García (1002), class cls-7a until Nov 14, 2025; enr-9: María García (1001), class "
        "cls-art until Jun 10, 2026")


def test_a_class_ending_at_the_students_own_school_is_said_and_the_year_stays(app, tmp_path):
    maria = students_without_enrolments()
    jose = Student.get(Student.sourced_id == "stu-1002")
    before, jose_before = summary(maria, ON_DAY), summary(jose, ON_DAY)
    rows = ["enr-9,active,,cls-art,sch-100,stu-1001,student,false,2026-01-20,2026-06-10\n",
            "enr-8,active,,cls-7a,sch-200,stu-1002,student,false,2025-09-02,2025-11-14\n",
            "enr-7,active,,cls-4b,sch-100,stu-1003,student,false,2025-09-02,\n",  # no end: nothing to say
            "enr-6,tobedeleted,,cls-4b,sch-100,stu-1003,student,false,2025-09-02,2025-12-19\n"]  # ends it
    pending = imports.preview("oneroster", delta(tmp_path, "d", rows), "d", RuleSettings(), today=D(2026, 1, 20))
    assert SAID in pending.report.notes
    run, report = imports.apply(pending, pending.report.confirm_phrase)
    assert run.outcome == "applied", report.problems
    assert SAID in report.notes
    assert (summary(maria, ON_DAY), summary(jose, ON_DAY)) == (before, jose_before)  # enrolled all year still


def test_a_class_ending_is_not_said_to_keep_a_year_the_same_file_ends(app, tmp_path):
    students_without_enrolments()
    rows = ["enr-9,active,,cls-art,sch-100,stu-1001,student,false,2026-01-20,2026-06-10\n",  # year ended below
            "enr-5,tobedeleted,,cls-4b,sch-100,stu-1001,student,false,2025-09-02,2025-12-19\n",
            "enr-8,active,,cls-7a,sch-200,stu-1002,student,false,2025-09-02,2025-11-14\n",  # moves to sch-100
            "enr-4,active,,cls-4b,sch-100,stu-1002,student,false,2026-01-05,\n",
            "enr-3,active,,cls-4b,sch-100,stu-1003,student,false,2025-09-02,2026-03-20\n"]  # stays: said
    pending = imports.preview("oneroster", delta(tmp_path, "d", rows), "d", RuleSettings(), today=D(2026, 1, 20))
    said = [note for note in pending.report.notes if "a class ending is not a student leaving" in note]
    assert said == ["1 enrolment carries an end date on a class at the student's own school; the student stays "
                    "enrolled all year, as before (a class ending is not a student leaving): send the enrolment "
                    "with status tobedeleted to end it: enr-3: Thanh Nguyễn (1003), class cls-4b until Mar 20, 2026"]
    assert [note for note in pending.report.notes if note.startswith("Days enrolled change for")]
