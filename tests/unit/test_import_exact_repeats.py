"""A row repeating an earlier row exactly (a SIS export written twice, a file
joined from two) is read once and said in a note, in every roster file and in
the contacts file; a repeated sourcedId saying something else of the record
is a row problem naming both rows."""
import io
import os
import shutil

import pytest

from fieldapp.imports.contacts import import_contacts
from fieldapp.imports.oneroster import import_oneroster
from fieldapp.models import Student

BULK = os.path.join(os.path.dirname(__file__), "..", "data", "oneroster-bulk")


def lines_of(folder, name):
    return (folder / name).read_text(encoding="utf-8").splitlines()


def with_rows(folder, name, *rows):
    (folder / name).write_text("\n".join(lines_of(folder, name) + list(rows)) + "\n", encoding="utf-8")


@pytest.mark.parametrize("name, repeated", [("users.csv", 1), ("orgs.csv", 2), ("demographics.csv", 1),
                                            ("enrollments.csv", 3)])
def test_an_exact_repeat_in_a_roster_file_is_read_once_and_said(app, tmp_path, name, repeated):
    folder = tmp_path / "export"
    shutil.copytree(BULK, folder)
    rows = lines_of(folder, name)
    with_rows(folder, name, rows[repeated])  # row repeated + 1 again, as the file's last row
    report = import_oneroster(str(folder), "twice")
    assert report.outcome == "applied", report.problems
    last = len(rows) + 1
    assert (f"{name}: 1 row repeats an earlier row cell for cell (spaces around cells aside), and is read once: "
            f"row {last} repeats row {repeated + 1}.") in report.notes
    assert Student.select().count() == 3


@pytest.mark.parametrize("name, repeated, change", [
    ("users.csv", 1, (",María,", ",Mariana,")), ("orgs.csv", 3, ("Riverside Middle", "Riverside High")),
    ("demographics.csv", 1, ("2015-03-02", "2015-03-09")), ("enrollments.csv", 3, ("2025-09-02", "2025-09-09"))])
def test_a_repeated_sourced_id_saying_something_else_is_a_row_problem_naming_both_rows(app, tmp_path, name,
                                                                                       repeated, change):
    folder = tmp_path / "export"
    shutil.copytree(BULK, folder)
    rows = lines_of(folder, name)
    with_rows(folder, name, rows[repeated].replace(*change))
    report = import_oneroster(str(folder), "clash")
    assert report.outcome == "refused"
    sid = rows[repeated].split(",")[0]
    said = (f"sourcedId '{sid}' is also on row {repeated + 1}, with other values: keep one of the two rows "
            f"(differs in ")
    assert any(p[:2] == [name, len(rows) + 1] and p[2].startswith(said) for p in report.problems), report.problems
    assert not any("repeat" in note for note in report.notes)


def test_the_repeat_of_a_row_left_out_is_left_out_with_it(app, tmp_path):
    folder = tmp_path / "export"
    shutil.copytree(BULK, folder)
    bad = "stu-1004,retired,,true,sch-100,student,x,,Eva,Ruiz,,1004,,,,,04,"
    with_rows(folder, "users.csv", bad, bad)
    report = import_oneroster(str(folder), "twice")
    assert report.outcome == "refused"
    assert [p[1:] for p in report.problems] == [[9, "status 'retired' must be active or tobedeleted"],
                                                [10, "repeats row 9 exactly, which is left out"]]


CONTACTS = ("sourcedId,address,phone,preferredLanguage\n"
            "stu-1001,12 Elm St,(555) 201-0001,Spanish\n"
            "par-1,,(555) 201-3344,English\n")


@pytest.fixture
def roster(app):
    assert import_oneroster(BULK, "roster").applied


def test_an_exact_repeat_in_the_contacts_file_is_read_once_and_said(roster):
    report = import_contacts(io.BytesIO((CONTACTS + "stu-1001,12 Elm St,(555) 201-0001,Spanish\n").encode()),
                             "contacts.csv")
    assert report.outcome == "applied", report.problems
    assert ("contacts.csv: 1 row repeats an earlier row cell for cell (spaces around cells aside), and is read "
            "once: row 4 repeats row 2.") in report.notes
    assert Student.get(Student.sourced_id == "stu-1001").address == "12 Elm St"

    report = import_contacts(io.BytesIO((CONTACTS + "stu-1001,14 Elm St,(555) 201-0001,Spanish\n").encode()),
                             "contacts.csv")
    assert report.outcome == "refused"
    assert report.problems == [["contacts.csv", 4, "sourcedId 'stu-1001' is also on row 2, with other "
                                                  "values: keep one of the two rows (differs in address: "
                                                  "'12 Elm St' vs '14 Elm St')"]]


@pytest.mark.parametrize("name, repeated", [("users.csv", 1), ("enrollments.csv", 3)])
def test_a_repeat_differing_only_in_spaces_around_cells_is_read_once(app, tmp_path, name, repeated):
    """Cells are read without the spaces around them, so a repeat that differs
    only there ('Santiago ' and 'Santiago', as spreadsheets leave them) says
    nothing else and is read once, in roster files and in the contacts file."""
    folder = tmp_path / "export"
    shutil.copytree(BULK, folder)
    rows = lines_of(folder, name)
    with_rows(folder, name, rows[repeated].replace(",", " ,", 2) + " ")  # "stu-1001 ,active ,..."
    report = import_oneroster(str(folder), "twice")
    assert report.outcome == "applied", report.problems
    assert (f"{name}: 1 row repeats an earlier row cell for cell (spaces around cells aside), and is read once: "
            f"row {len(rows) + 1} repeats row {repeated + 1}.") in report.notes


def test_a_contacts_repeat_differing_only_in_spaces_is_read_once(roster):
    report = import_contacts(io.BytesIO((CONTACTS + " stu-1001,12 Elm St ,(555) 201-0001, Spanish\n").encode()),
                             "contacts.csv")
    assert report.outcome == "applied", report.problems
    assert ("contacts.csv: 1 row repeats an earlier row cell for cell (spaces around cells aside), and is read "
            "once: row 4 repeats row 2.") in report.notes
