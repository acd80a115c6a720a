"""An attendance row matches active students only. A student deactivated
(gone from the roster, or the import that added them undone) got the marks
of a row naming them, with no word; a row naming only a deactivated student
is a row problem saying so, and a shared studentUniqueId counts the active
students holding it."""
from fieldapp.models import AttendanceEvent, School, Student
from tests import factories
from tests.unit.test_import_district_files import HEADER, HIGH, HIROSHI, LISA_ELEMENTARY, edfi_roster, load  # noqa: F401

DEACTIVATED = ("student '%s' is deactivated (no longer in the roster, or the import that added them was undone): "
               "marks are kept for active students only")


def test_a_row_naming_a_deactivated_student_is_a_row_problem_saying_so(edfi_roster):
    Student.update(active=False).where(Student.sourced_id == HIROSHI).execute()
    by_id = load(HEADER + "604823,255901001,2021-11-09,Unexcused Absence,1,\n")
    assert by_id.outcome == "refused" and [p[1:] for p in by_id.problems] == [[2, DEACTIVATED % "604823"]]
    by_sourced_id = load(HEADER.replace("studentUniqueId", "sourcedId")
                         + f"{HIROSHI},255901001,2021-11-09,Unexcused Absence,1,\n")
    assert [p[1:] for p in by_sourced_id.problems] == [[2, DEACTIVATED % HIROSHI]]
    assert AttendanceEvent.select().count() == 0


def test_a_shared_id_held_by_deactivated_students_only_is_a_row_problem(edfi_roster):
    Student.update(active=False).where(Student.local_id == "604822").execute()
    report = load(HEADER + "604822,255901001,2021-11-09,Unexcused Absence,1,\n")
    assert [p[1:] for p in report.problems] == [[2, DEACTIVATED % "604822"]]


def test_a_shared_id_counts_and_matches_the_active_students_holding_it(edfi_roster):
    high = School.get(School.sourced_id == HIGH)
    Student.update(school=high).where(Student.sourced_id == LISA_ELEMENTARY).execute()  # both at the high school
    old = factories.gen_student(high, first="Lisa", active=False)
    Student.update(local_id="604822").where(Student.id == old.id).execute()  # a third record, deactivated
    report = load(HEADER + "604822,255901001,2021-09-07,Unexcused Absence,1,\n")
    assert "studentUniqueId '604822' is held by 2 students, 2 of them at this row's school" in report.problems[0][2]
    Student.update(active=False).where(Student.sourced_id == LISA_ELEMENTARY).execute()
    report = load(HEADER + "604822,255901001,2021-09-07,Unexcused Absence,1,\n")
    assert report.applied and not report.problems
    assert [e.student.active for e in AttendanceEvent.select()] == [True]
