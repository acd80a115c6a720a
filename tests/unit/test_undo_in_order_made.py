"""Undoing rosters in the order they were made: the first's undo keeps what
the second changed since; the second's undo then puts back what was there
before the first, not what the first, undone already, had made."""
import os
import shutil

from fieldapp import imports
from fieldapp.models import ImportRun, Student
from fieldapp.rules.settings import RuleSettings

BULK = os.path.join(os.path.dirname(__file__), "..", "data", "oneroster-bulk")
OLGA = "stu-1009,,,true,sch-100,student,operez,{{SIS:1009}},{name},Pérez,,1009,,,,,05,"


def _roster(tmp_path, name, change=None, extra=()):
    folder = tmp_path / name
    shutil.copytree(BULK, folder)
    users = (folder / "users.csv").read_text(encoding="utf-8")
    if change:
        users = users.replace(*change)
    (folder / "users.csv").write_text(users.rstrip("\n") + "".join("\n" + row for row in extra) + "\n",
                                      encoding="utf-8")
    run, report = imports.run("oneroster", str(folder), name, RuleSettings())
    assert run.outcome == "applied", report.problems
    return ImportRun.get_by_id(run.id)


def test_a_student_the_first_made_and_the_second_renamed_is_gone_after_both_undos(app, tmp_path):
    _roster(tmp_path, "base")
    first = _roster(tmp_path, "first", extra=[OLGA.format(name="Olga")])
    second = _roster(tmp_path, "second", extra=[OLGA.format(name="Olguita")])
    imports.undo(first, None)
    olga = Student.get(Student.sourced_id == "stu-1009")
    assert (olga.first_name, olga.active) == ("Olguita", True)  # the second's, kept
    counts = imports.undo(ImportRun.get_by_id(second.id), None)
    assert not Student.get(Student.sourced_id == "stu-1009").active
    assert counts["students an import undone since had created deactivated"] == 1
    assert Student.select().where(Student.active == True).count() == 3  # noqa: E712 (the base roster's)


def test_a_grade_both_changed_is_back_to_before_the_first_after_both_undos(app, tmp_path):
    _roster(tmp_path, "base")
    first = _roster(tmp_path, "first", change=(",1001,,,,\"par-1,par-2\",04,", ",1001,,,,\"par-1,par-2\",05,"))
    second = _roster(tmp_path, "second", change=(",1001,,,,\"par-1,par-2\",04,", ",1001,,,,\"par-1,par-2\",06,"))
    assert Student.get(Student.sourced_id == "stu-1001").grade == "06"
    imports.undo(first, None)
    assert Student.get(Student.sourced_id == "stu-1001").grade == "06"
    imports.undo(ImportRun.get_by_id(second.id), None)
    assert Student.get(Student.sourced_id == "stu-1001").grade == "04"


def test_a_school_a_later_roster_placed_students_at_stays_active_when_the_first_is_undone(app, tmp_path):
    """Roster A creates a school; roster B moves a student there. Undoing A
    keeps the school (named before and after): deactivated, it left its
    student active at a school no list shows."""
    from fieldapp.imports.undo import CHANGED_SINCE, preview_changed
    from fieldapp.models import School
    _roster(tmp_path, "base")
    first_folder = tmp_path / "first"
    shutil.copytree(BULK, first_folder)
    orgs = (first_folder / "orgs.csv").read_text(encoding="utf-8").rstrip("\n")
    (first_folder / "orgs.csv").write_text(orgs + "\nsch-900,,,Eastside Academy,school,900,dist-1\n",
                                           encoding="utf-8")
    first, report = imports.run("oneroster", str(first_folder), "first", RuleSettings())
    assert first.outcome == "applied", report.problems
    second_folder = tmp_path / "second"
    shutil.copytree(first_folder, second_folder)
    users = (second_folder / "users.csv").read_text(encoding="utf-8")
    (second_folder / "users.csv").write_text(users.replace("stu-1001,,,true,sch-100,", "stu-1001,,,true,sch-900,"),
                                             encoding="utf-8")
    second, report = imports.run("oneroster", str(second_folder), "second", RuleSettings())
    assert second.outcome == "applied", report.problems
    assert Student.get(Student.sourced_id == "stu-1001").school.sourced_id == "sch-900"
    line = "Eastside Academy: 1 active student stays at it; kept"
    assert line in preview_changed(ImportRun.get_by_id(first.id))
    counts = imports.undo(ImportRun.get_by_id(first.id), None)
    assert School.get(School.sourced_id == "sch-900").active
    assert line in counts["which"][CHANGED_SINCE]


def test_three_rosters_undone_out_of_order_leave_each_field_as_before_the_first(app, tmp_path):
    """A changes a grade, B a first name, C the grade again; undone A, then
    C, then B: the grade goes back to before A, though B, not A, was the last
    import before C to change the student."""
    def users(folder, grade, name):
        text = (folder / "users.csv").read_text(encoding="utf-8")
        text = text.replace(',1001,,,,"par-1,par-2",04,', f',1001,,,,"par-1,par-2",{grade},')
        (folder / "users.csv").write_text(text.replace(",María,García,", f",{name},García,"), encoding="utf-8")

    _roster(tmp_path, "base")
    runs = []
    for name, (grade, given) in (("a", ("05", "María")), ("b", ("05", "Mariana")), ("c", ("06", "Mariana"))):
        folder = tmp_path / name
        shutil.copytree(BULK, folder)
        users(folder, grade, given)
        run, report = imports.run("oneroster", str(folder), name, RuleSettings())
        assert run.outcome == "applied", report.problems
        runs.append(run.id)
    maria = Student.get(Student.sourced_id == "stu-1001")
    assert (maria.grade, maria.first_name) == ("06", "Mariana")
    for run_id in (runs[0], runs[2], runs[1]):
        imports.undo(ImportRun.get_by_id(run_id), None)
    maria = Student.get(Student.sourced_id == "stu-1001")
    assert (maria.grade, maria.first_name, maria.active) == ("04", "María", True)
