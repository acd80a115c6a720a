"""What a roster import says of rows naming one record twice: sourcedIds that differ only in case, a
repeated sourcedId with other values (naming the columns that differ), a repeat differing only in spaces
(naming the row it repeats), and classes.csv, which it does not need."""
import os
import shutil
import zipfile

from fieldapp.imports.oneroster import import_oneroster
from fieldapp.models import Student

BULK = os.path.join(os.path.dirname(__file__), "..", "data", "oneroster-bulk")


def lines_of(folder, name):
    return (folder / name).read_text(encoding="utf-8").splitlines()


def with_rows(folder, name, *rows):
    (folder / name).write_text("\n".join(lines_of(folder, name) + list(rows)) + "\n", encoding="utf-8")


def export(tmp_path):
    folder = tmp_path / "export"
    shutil.copytree(BULK, folder)
    return folder


def test_user_ids_differing_only_in_case_are_a_row_problem_naming_both_rows(app, tmp_path):
    folder = export(tmp_path)
    rows = lines_of(folder, "users.csv")
    with_rows(folder, "users.csv", "REP-3,,,true,sch-100,student,x,,Rosa,Paz,,3003,,,,,04,",
              "rep-3,,,true,sch-100,student,x,,Rosa,Paz,,3003,,,,,04,")
    report = import_oneroster(str(folder), "twice")
    assert report.outcome == "refused"
    assert ["users.csv", len(rows) + 2, "sourcedId 'rep-3' differs only in case from 'REP-3' on row "
            f"{len(rows) + 1}: one record typed twice, most likely; keep one of the two rows"] in report.problems
    assert Student.select().count() == 0


def test_org_ids_differing_only_in_case_are_a_row_problem_too(app, tmp_path):
    folder = export(tmp_path)
    rows = lines_of(folder, "orgs.csv")
    with_rows(folder, "orgs.csv", "SCH-100,,,Lincoln Elementary,school,061234500009,dist-1")
    report = import_oneroster(str(folder), "twice")
    assert report.outcome == "refused"
    assert ["orgs.csv", len(rows) + 1, "sourcedId 'SCH-100' differs only in case from 'sch-100' on row 3: one "
            "record typed twice, most likely; keep one of the two rows"] in report.problems


def test_a_repeated_sourced_id_with_other_values_names_the_columns_that_differ(app, tmp_path):
    folder = export(tmp_path)
    rows = lines_of(folder, "users.csv")
    with_rows(folder, "users.csv", rows[1].replace(",María,García,", ",Mariana,Garcia,"))
    report = import_oneroster(str(folder), "clash")
    assert report.outcome == "refused"
    assert ["users.csv", len(rows) + 1, "sourcedId 'stu-1001' is also on row 2, with other values: keep one of "
            "the two rows (differs in givenName: 'María' vs 'Mariana', familyName: 'García' vs 'Garcia')"
            ] in report.problems


def test_a_repeated_org_with_other_values_names_the_column(app, tmp_path):
    folder = export(tmp_path)
    rows = lines_of(folder, "orgs.csv")
    with_rows(folder, "orgs.csv", rows[2].replace("Lincoln Elementary", "Lincoln Elem"))
    report = import_oneroster(str(folder), "clash")
    assert ["orgs.csv", len(rows) + 1, "sourcedId 'sch-100' is also on row 3, with other values: keep one of "
            "the two rows (differs in name: 'Lincoln Elementary' vs 'Lincoln Elem')"] in report.problems


def test_a_repeat_differing_only_in_spaces_names_the_row_it_repeats(app, tmp_path):
    folder = export(tmp_path)
    rows = lines_of(folder, "users.csv")
    with_rows(folder, "users.csv", rows[2].replace(",", " ,", 2) + " ")
    report = import_oneroster(str(folder), "twice")
    assert report.outcome == "applied", report.problems
    assert (f"users.csv: 1 row repeats an earlier row cell for cell (spaces around cells aside), and is read "
            f"once: row {len(rows) + 1} repeats row 3.") in report.notes


def test_classes_csv_is_said_not_needed_not_lost(app, tmp_path):
    folder = export(tmp_path)
    (folder / "classes.csv").write_text("sourcedId,status,dateLastModified,title,schoolSourcedId\n"
                                        "cls-1,,,Math 4,sch-100\n", encoding="utf-8")
    zipped = tmp_path / "roster.zip"
    with zipfile.ZipFile(zipped, "w") as z:
        for name in os.listdir(folder):
            z.write(folder / name, name)
    report = import_oneroster(str(zipped), "roster.zip")
    notes = [str(note) for note in report.notes]
    assert not any("not read" in note and "classes.csv" in note for note in notes), notes
    assert ("classes.csv: not needed: enrolments are read by their school (schoolSourcedId in enrollments.csv), "
            "not by class") in notes
