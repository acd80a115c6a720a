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
