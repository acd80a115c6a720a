"""A roster moving a student with no enrolment on file to another school
(users.csv and enrollments.csv) writes down the year assumed at the school
they left, ended the day before the move; a later delta ends the enrolment
at the new school. Undoing the move while the later delta stands keeps that
delta's ending and counts the student enrolled all year at the school they
are back at, as before the move: they counted only the days of the ended
enrolment (35 of 121)."""
from fieldapp import imports
from fieldapp.imports.undo import preview_changed, undo
from fieldapp.models import ImportRun, Student
from fieldapp.rules.settings import RuleSettings
from fieldapp.students.attendance import summary
from tests.unit.test_import_enrolment_assumed import ON_DAY, delta, spans, students_without_enrolments
from tests.unit.test_import_transfer_spans import D, move

NEW = "enr-9,active,,cls-7m,sch-200,stu-1001,student,false,2025-11-03,\n"
ENDED = "enr-9,tobedeleted,,cls-7m,sch-200,stu-1001,student,false,2025-11-03,2025-12-19\n"


def test_undoing_a_move_keeps_a_later_ending_and_puts_back_the_year_at_the_school_left(app, tmp_path):
    maria = students_without_enrolments()
    home, other = maria.school_id, Student.get(Student.sourced_id == "stu-1002").school_id
    before = summary(maria, ON_DAY)
    assert before.days_enrolled == 121
    moved, _ = imports.run("oneroster", move(tmp_path, "m", NEW), "m", RuleSettings(), today=D(2026, 1, 20))
    ended, _ = imports.run("oneroster", delta(tmp_path, "e", [ENDED]), "e", RuleSettings(), today=D(2026, 1, 21))
    named = ("María García (stu-1001): enrolled all year at Lincoln Elementary again, as before this import, beside "
             "the enrolment periods later imports changed or added")
    assert named in preview_changed(ImportRun.get_by_id(moved.id))
    counts = undo(ImportRun.get_by_id(moved.id), None)
    assert counts["which"]["enrollment periods restored"] == [named]
    kept = f"enrollment period of María García (stu-1001) at Riverside Middle School: changed since by import {ended.id}, kept"
    assert kept in counts["which"]["kept: changed since the import"]
    maria = Student.get_by_id(maria.id)
    assert maria.school_id == home
    assert spans(maria) == sorted([(home, None, None), (other, D(2025, 11, 3), D(2025, 12, 19))])
    assert summary(maria, ON_DAY).days_enrolled == 121
    undo(ImportRun.get_by_id(ended.id), None)  # both undone: as before the move
    assert spans(maria) == [] and summary(Student.get_by_id(maria.id), ON_DAY) == before
