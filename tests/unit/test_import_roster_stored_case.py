"""A roster's sourcedId differing only in case from that of a student, guardian or school stored already is
a row problem naming the stored record, as two rows of one file are (test_import_roster_words): read as a
new record, it made a second student of one child."""
import shutil

from fieldapp.imports.oneroster import import_oneroster
from fieldapp.models import School, Student
from tests.unit.test_import_roster_words import BULK, lines_of, with_rows


def export(tmp_path, name):
    folder = tmp_path / name
    shutil.copytree(BULK, folder)
    return folder


def test_a_user_id_differing_only_in_case_from_a_stored_student_is_a_row_problem(app, tmp_path):
    first = export(tmp_path, "first")
    with_rows(first, "users.csv", "REP-3,,,true,sch-100,student,x,,Rosa,Paz,,3003,,,,,04,")
    assert import_oneroster(str(first), "first").outcome == "applied"
    students = Student.select().count()
    later = export(tmp_path, "later")
    rows = lines_of(later, "users.csv")
    with_rows(later, "users.csv", "rep-3,,,true,sch-100,student,x,,Rosa,Paz,,3003,,,,,04,")
    report = import_oneroster(str(later), "later")
    assert report.outcome == "refused"
    assert ["users.csv", len(rows) + 1, "sourcedId 'rep-3' differs only in case from 'REP-3' of Rosa Paz, stored "
            "already: one record typed twice, most likely; write the sourcedId as stored ('REP-3')"
            ] in report.problems
    assert Student.select().count() == students


def test_the_stored_student_itself_is_no_problem(app, tmp_path):
    first = export(tmp_path, "first")
    with_rows(first, "users.csv", "REP-3,,,true,sch-100,student,x,,Rosa,Paz,,3003,,,,,04,")
    assert import_oneroster(str(first), "first").outcome == "applied"
    report = import_oneroster(str(first), "again")
    assert report.outcome == "applied", report.problems


def test_an_org_id_differing_only_in_case_from_a_stored_school_is_a_row_problem(app, tmp_path):
    first = export(tmp_path, "first")
    assert import_oneroster(str(first), "first").outcome == "applied"
    later = export(tmp_path, "later")
    (later / "orgs.csv").write_text((later / "orgs.csv").read_text(encoding="utf-8").replace(
        "sch-200,,,Riverside Middle School,school,061234500002", "SCH-200,,,Riverside Middle School,school,"), encoding="utf-8")
    report = import_oneroster(str(later), "later")
    assert report.outcome == "refused"
    assert ["orgs.csv", 4, "sourcedId 'SCH-200' differs only in case from 'sch-200' of Riverside Middle School, "
            "stored already: one record typed twice, most likely; write the sourcedId as stored ('sch-200')"
            ] in report.problems
    assert School.select().where(School.sourced_id == "SCH-200").count() == 0
