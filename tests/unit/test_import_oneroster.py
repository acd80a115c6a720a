"""OneRoster 1.1 rosters: real-shaped exports, repeated, changed, and broken."""
import datetime
import os
import shutil
import zipfile

import pytest

from fieldapp.imports import run
from fieldapp.imports.oneroster import import_oneroster
from fieldapp.models import Case, Enrollment, Guardian, ImportRun, School, Student, StudentGuardian
from fieldapp.rules.settings import RuleSettings
from fieldapp.students.search import search
from tests import factories

DATA = os.path.join(os.path.dirname(__file__), "..", "data")
BULK = os.path.join(DATA, "oneroster-bulk")
DELTA = os.path.join(DATA, "oneroster-delta")


def snapshot():
    """Everything a roster import writes, to compare before and after."""
    return (sorted(School.select(School.sourced_id, School.name, School.district, School.active).tuples()),
            sorted(Student.select(Student.sourced_id, Student.local_id, Student.first_name,
                                  Student.last_name, Student.grade, Student.active,
                                  Student.birth_date).tuples()),
            sorted(Guardian.select(Guardian.sourced_id, Guardian.email, Guardian.phone).tuples()),
            sorted(StudentGuardian.select(StudentGuardian.student, StudentGuardian.guardian,
                                          StudentGuardian.relationship).tuples()),
            sorted(Enrollment.select(Enrollment.student, Enrollment.begin_date).tuples()))


def copy_of(folder, tmp_path, name="export"):
    target = tmp_path / name
    shutil.copytree(folder, target)
    return target


def rewrite(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_bulk_export_creates_schools_students_guardians_and_links(app):
    report = import_oneroster(BULK, "oneroster-bulk")
    assert report.outcome == "applied", report.message or report.problems
    lincoln = School.get(School.sourced_id == "sch-100")
    assert lincoln.name == "Lincoln Elementary" and lincoln.district == "Riverside Unified"
    maria = Student.get(Student.sourced_id == "stu-1001")
    assert (maria.first_name, maria.middle_name, maria.local_id, maria.grade) == ("María", "Elena", "1001", "04")
    assert maria.school_id == lincoln.id and maria.birth_date == datetime.date(2015, 3, 2)
    ana = Guardian.get(Guardian.sourced_id == "par-1")
    assert ana.email == "ana.garcia@example.org" and ana.phone == "(555) 201-3344"
    siblings = StudentGuardian.select().where(StudentGuardian.guardian == ana).count()
    assert siblings == 2
    hoa = StudentGuardian.get(StudentGuardian.guardian == Guardian.get(Guardian.sourced_id == "par-3"))
    assert hoa.relationship == "relative"
    jose = Student.get(Student.sourced_id == "stu-1002")
    assert Enrollment.get(Enrollment.student == jose).begin_date == datetime.date(2025, 8, 18)
    assert not Student.select().where(Student.sourced_id == "tch-1").exists()
    assert report.counts["students created"] == 3 and report.counts["staff users skipped"] == 1
    assert [s.sourced_id for s in search("nguyen thanh")] == ["stu-1003"]


def test_importing_the_same_files_twice_changes_nothing(app):
    import_oneroster(BULK, "first")
    before = snapshot()
    again = import_oneroster(BULK, "second")
    assert again.outcome == "applied" and again.counts == {"staff users skipped": 1}
    assert snapshot() == before


def test_a_zip_works_with_the_files_in_a_folder_inside_it(app, tmp_path):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for name in os.listdir(BULK):
            z.write(os.path.join(BULK, name), f"RSIS-2025-10-01/{name}")
    with open(archive, "rb") as stream:
        assert import_oneroster(stream, "export.zip").outcome == "applied"
    assert Student.select().count() == 3


def test_tobedeleted_deactivates_and_keeps_cases_and_renames_are_searchable(app):
    import_oneroster(BULK, "bulk")
    jose = Student.get(Student.sourced_id == "stu-1002")
    officer = factories.gen_user("officer", [jose.school])
    case = factories.gen_case(jose, officer)
    factories.gen_contact(case, officer)
    refused = import_oneroster(DELTA, "delta")  # the whole of José's school: typed confirmation
    assert refused.outcome == "refused" and refused.confirm_phrase == "deactivate 1"
    assert Student.get_by_id(jose.id).active is True
    report = import_oneroster(DELTA, "delta", confirmation="Deactivate 1")
    assert report.outcome == "applied", report.problems
    jose = Student.get_by_id(jose.id)
    assert jose.active is False and Case.get_by_id(case.id).contacts.count() == 1
    assert report.counts["students deactivated"] == 1
    assert [s.sourced_id for s in search("tran")] == ["stu-1003"]
    luis = Guardian.get(Guardian.sourced_id == "par-2")  # kept, link ended but kept on record
    link = StudentGuardian.get(StudentGuardian.guardian == luis)
    assert link.ended_at is not None
    assert report.counts["guardian links ended"] == 1


def test_a_bulk_file_without_a_student_deactivates_them(app, tmp_path):
    import_oneroster(BULK, "bulk")
    folder = copy_of(BULK, tmp_path)
    users = folder / "users.csv"
    users.write_text("\n".join(l for l in users.read_text(encoding="utf-8").splitlines()
                               if not l.startswith("stu-1003")) + "\n", encoding="utf-8")
    report = import_oneroster(str(folder), "bulk-again", confirmation="deactivate 1")
    assert report.outcome == "applied", report.problems
    assert Student.get(Student.sourced_id == "stu-1003").active is False


@pytest.mark.parametrize("change, message", [
    (("users.csv", "familyName", "surname"), "missing column(s): familyName"),
    (("users.csv", "givenName", "givenNme"), "'givenNme' (did you mean 'givenName'?)"),
    (("manifest.csv", "file.users,bulk", "file.users,full"), "file.users is 'full'"),
])
def test_a_broken_header_or_manifest_is_refused_by_name(app, tmp_path, change, message):
    folder = copy_of(BULK, tmp_path)
    rewrite(folder / change[0], change[1], change[2])
    report = import_oneroster(str(folder), "broken")
    assert report.outcome == "refused" and message in report.message
    assert Student.select().count() == 0 and School.select().count() == 0


def test_a_missing_manifest_or_declared_file_is_refused(app, tmp_path):
    folder = copy_of(BULK, tmp_path)
    os.remove(folder / "enrollments.csv")
    report = import_oneroster(str(folder), "broken")
    assert "enrollments.csv is bulk" in report.message
    os.remove(folder / "manifest.csv")
    assert "no manifest.csv" in import_oneroster(str(folder), "broken").message


def test_a_byte_order_mark_is_accepted_and_other_encodings_are_refused(app, tmp_path):
    folder = copy_of(BULK, tmp_path)
    users = folder / "users.csv"
    text = users.read_text(encoding="utf-8")
    users.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert import_oneroster(str(folder), "bom").outcome == "applied"
    users.write_bytes(text.encode("cp1258", errors="replace"))  # a Windows code page
    report = import_oneroster(str(folder), "latin-1")
    assert report.outcome == "refused" and "users.csv is not UTF-8" in report.message


def test_row_problems_have_line_numbers_and_nothing_is_applied(app, tmp_path):
    folder = copy_of(BULK, tmp_path)
    rewrite(folder / "demographics.csv", "2012-11-20", "11/10/2012")  # October or November?
    rewrite(folder / "users.csv", "stu-1003,,,true,sch-100", "stu-1003,,,true,sch-999")
    rewrite(folder / "users.csv", '"stu-1001,stu-1002"', '"stu-1001,stu-9999"')
    with open(folder / "users.csv", "a", encoding="utf-8") as f:
        f.write("stu-1001,,,true,sch-100,student,x,,Maria,Garcia,,1001,,,,,04,\n")
    report = import_oneroster(str(folder), "broken")
    assert report.outcome == "refused"
    found = {(file, line) for file, line, _ in report.problems}
    assert ("demographics.csv", 3) in found  # stu-1002's birth date
    assert ("users.csv", 4) in found  # stu-1003 at an unknown school
    assert ("users.csv", 5) in found  # par-1 names an unknown student
    assert ("users.csv", 9) in found  # stu-1001 twice
    reasons = " ".join(reason for _, _, reason in report.problems)
    assert "birthDate '11/10/2012' could be Nov 10, 2012 (month first) or Oct 11, 2012" in reasons and "sourcedId 'stu-1001' is also on row" in reasons
    assert Student.select().count() == 0


def test_skip_bad_rows_applies_the_rest_and_history_keeps_both(app, tmp_path):
    folder = copy_of(BULK, tmp_path)
    rewrite(folder / "users.csv", "stu-1003,,,true,sch-100", "stu-1003,,,true,sch-999")
    settings = RuleSettings()
    refused, _ = run("oneroster", str(folder), "export", settings)
    applied, report = run("oneroster", str(folder), "export", settings, skip_bad_rows=True)
    assert (refused.outcome, applied.outcome) == ("refused", "applied_with_skips")
    assert Student.select().count() == 2 and applied.rows_rejected >= 1
    assert ImportRun.select().count() == 2
    assert applied.problems[0][:2] == ["users.csv", 4]


def test_skipping_a_student_left_out_for_an_unknown_guardian_keeps_the_guardians_naming_them(app, tmp_path):
    """The guardian's link to the student left out is not made; the import no longer fails on it."""
    folder = copy_of(BULK, tmp_path)
    rewrite(folder / "users.csv", "Nguyễn,,1003,,,,par-3", "Nguyễn,,1003,,,,par-9")
    report = import_oneroster(str(folder), "export", skip_bad_rows=True)
    assert report.outcome == "applied_with_skips"
    assert report.problems[0] == ["users.csv", 4, "agentSourcedIds names no known guardian: par-9"]
    assert not Student.select().where(Student.sourced_id == "stu-1003").exists()
    assert Guardian.get(Guardian.sourced_id == "par-3").first_name == "Hoa"
    assert StudentGuardian.select().count() == 3  # María's two guardians and José's one
