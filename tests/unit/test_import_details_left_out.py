"""An optional detail of a roster's record that the app would refuse (a school's or a person's phone that is
no phone, an email, grade or address longer than its field keeps, a long cell nothing reads) is left out with
a note naming its row, column and what to fix: the record is imported without it, and the records that depend
on it (a school's students, a student's guardians and enrolments) are never refused for it. A cell that says
which record a row is stays a row problem. Preview and apply say the same, in the reader's language."""
import csv
import io
import os
import shutil

import pytest

from fieldapp.imports import preview, run
from fieldapp.imports.oneroster import import_oneroster
from fieldapp.models import Enrollment, Guardian, ImportRun, School, Student, StudentGuardian
from fieldapp.rules.settings import RuleSettings

DATA = os.path.join(os.path.dirname(__file__), "..", "data")
FIX_PHONE = "To keep one, give 7 to 15 digits, like (555) 201-3344 or +1 555 201 3344 x12."


@pytest.fixture
def folder(app, tmp_path):
    folder = tmp_path / "roster"
    shutil.copytree(os.path.join(DATA, "oneroster-bulk"), folder)
    return folder


def rewrite(folder, name, changes, extra=()):
    """Set cells of a file of the export: changes maps sourcedId -> {column: value}; extra: columns added."""
    with open(folder / name, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    columns = list(rows[0]) + [c for c in extra if c not in rows[0]]
    with open(folder / name, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows({**row, **changes.get(row["sourcedId"], {})} for row in rows)


def test_a_school_whose_phone_is_no_phone_is_imported_without_it_and_its_students_with_it(folder):
    """A school phone reading "call the office" refused the school's row, so each of its students failed too
    ("none of orgSourcedIds is a known school") unless bad rows were skipped."""
    rewrite(folder, "orgs.csv", {"sch-200": {"metadata.phone": "call the office",
                                             "metadata.address": "1 Main St"}}, ("metadata.address", "metadata.phone"))
    report = import_oneroster(str(folder), "district")
    assert report.outcome == "applied", report.problems
    assert "orgs.csv row 4: metadata.phone 'call the office' is not a phone: left out; the school is imported " \
           f"without it. {FIX_PHONE}" in [str(note) for note in report.notes]
    middle = School.get(School.sourced_id == "sch-200")
    assert (middle.name, middle.address, middle.phone) == ("Riverside Middle School", "1 Main St", "")
    assert Student.get(Student.sourced_id == "stu-1002").school_id == middle.id
    assert Enrollment.select().where(Enrollment.school == middle).count() >= 1
    School.update(phone="(555) 300-2000").where(School.id == middle.id).execute()  # typed by an administrator
    assert import_oneroster(str(folder), "again").applied
    assert School.get_by_id(middle.id).phone == "(555) 300-2000"  # left out: what was stored stays


def test_a_persons_phone_email_or_grade_gone_bad_is_left_out_and_their_links_and_enrolments_stay(folder):
    """A guardian's "n/a" phone refused the guardian, and so each of their children ("agentSourcedIds names no
    known guardian"); a student's long grade or a long userIds (never read) refused the student."""
    assert import_oneroster(str(folder), "first").applied
    Guardian.update(phone="(555) 201-0000", email="ana@example.org").where(Guardian.sourced_id == "par-1").execute()
    Student.update(phone="(555) 201-1111").where(Student.sourced_id == "stu-1001").execute()
    rewrite(folder, "users.csv", {"par-1": {"sms": "n/a", "email": "a" * 250 + "@example.org"},
                                  "stu-1001": {"phone": "ask the office", "grades": "g" * 300},
                                  "stu-1002": {"userIds": "{SIS:1002}," * 40, "password": "x" * 300}})
    report = import_oneroster(str(folder), "second")
    assert report.outcome == "applied", report.problems
    notes = [str(note) for note in report.notes]
    for said in ("users.csv row 2: phone 'ask the office' is not a phone: left out; the student is imported without "
                 f"it. {FIX_PHONE}",
                 f"users.csv row 2: grades '{'g' * 40}…' is longer than 255 characters: left out; the student is "
                 "imported without it. To keep it, shorten it to 255 characters.",
                 f"users.csv row 5: email '{'a' * 40}…' is longer than 255 characters: left out; the guardian is "
                 "imported without it. To keep it, shorten it to 255 characters.",
                 "users.csv row 5: sms 'n/a' is not a phone: left out; the guardian is imported without it. "
                 f"{FIX_PHONE}"):
        assert said in notes, (said, notes)
    ana, maria = Guardian.get(Guardian.sourced_id == "par-1"), Student.get(Student.sourced_id == "stu-1001")
    assert (ana.phone, ana.email) == ("(555) 201-0000", "ana@example.org")  # left out: what was stored stays
    assert (maria.phone, maria.grade) == ("(555) 201-1111", "04")
    assert StudentGuardian.select().where(StudentGuardian.guardian == ana, StudentGuardian.current()).count() == 2


def test_an_identifying_cell_gone_bad_is_still_a_row_problem(folder):
    rewrite(folder, "users.csv", {"stu-1003": {"middleName": "m" * 300, "sms": "n/a"}})
    report = import_oneroster(str(folder), "names")
    assert report.outcome == "refused"
    assert [(file, line, str(why)) for file, line, why in report.problems][:1] == [
        ("users.csv", 4, "middleName: longer than 255 characters")]


def test_the_preview_the_applied_import_and_its_history_say_the_same_in_spanish(app, folder):
    from flask_babel import force_locale
    from fieldapp.web.i18n import file_words
    rewrite(folder, "orgs.csv", {"sch-200": {"metadata.phone": "call the office"}}, ("metadata.phone",))
    rewrite(folder, "users.csv", {"par-1": {"phone": "n/a"}})
    pending = preview("oneroster", str(folder), "district", RuleSettings())
    assert pending.run.outcome == "previewed", pending.report.problems
    imported, report = run("oneroster", str(folder), "district", RuleSettings())
    assert imported.outcome == "applied", report.problems
    said = [str(note) for note in report.notes if "left out" in note]
    assert said == [str(note) for note in pending.report.notes if "left out" in note] and len(said) == 2
    kept = ImportRun.get_by_id(imported.id)
    assert all(note in kept.notes_json for note in ("call the office", "n/a"))
    with app.test_request_context(), force_locale("es"):
        spanish = [file_words(note) for note in report.notes if "left out" in note]
    assert spanish == [
        "orgs.csv fila 4: metadata.phone 'call the office' no es un teléfono: se deja fuera; la escuela se importa "
        "sin él. Para guardar uno, dé de 7 a 15 dígitos, como (555) 201-3344 o +1 555 201 3344 x12.",
        "users.csv fila 5: phone 'n/a' no es un teléfono: se deja fuera; el tutor se importa sin él. Para guardar "
        "uno, dé de 7 a 15 dígitos, como (555) 201-3344 o +1 555 201 3344 x12."]
