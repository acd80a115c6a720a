"""The import commands preview first: --dry-run changes nothing, applying asks
(a typed confirmation for a roster that empties a school), --yes does not."""
import os

from fieldapp.models import ImportRun, Student
from tests import factories

BULK = os.path.join(os.path.dirname(__file__), "..", "data", "oneroster-bulk")


def test_dry_run_prints_the_preview_and_changes_nothing(app):
    school = factories.gen_school()
    factories.gen_student(school)
    result = app.test_cli_runner().invoke(args=["import-oneroster", "--dry-run", BULK])
    assert result.exit_code == 0, result.output
    assert "Preview (nothing changed yet)" in result.output and "3  students created" in result.output
    assert "1  student deactivated  e.g. María García" in result.output
    assert "Nothing was changed." in result.output
    assert Student.select().count() == 1 and ImportRun.get().outcome == "not_applied"


def test_applying_asks_for_the_typed_confirmation_unless_yes(app):
    school = factories.gen_school()
    factories.gen_student(school)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import-oneroster", BULK], input="yes\n")
    assert "Type 'deactivate 1' to apply it" in result.output and result.exit_code != 0
    assert Student.select().count() == 1
    result = runner.invoke(args=["import-oneroster", BULK], input="deactivate 1\n")
    assert result.exit_code == 0 and "Applied:" in result.output
    assert Student.select().where(Student.active == True).count() == 3  # noqa: E712


def test_yes_applies_without_asking(app):
    result = app.test_cli_runner().invoke(args=["import-oneroster", "--yes", BULK])
    assert result.exit_code == 0 and "Applied:" in result.output
    assert Student.select().count() == 3


def test_applying_an_ordinary_import_asks_yes_or_no(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import-oneroster", BULK], input="n\n")
    assert "Apply this import?" in result.output and "Not applied" in result.output
    assert Student.select().count() == 0


def test_a_file_import_shows_its_progress_on_standard_error(app, tmp_path):
    """The bar goes to standard error, so the report on standard output stays clean for scripts."""
    import zipfile
    archive = tmp_path / "district.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for name in os.listdir(BULK):
            z.write(os.path.join(BULK, name), name)
    result = app.test_cli_runner().invoke(args=["import-oneroster", "--yes", str(archive)])
    assert result.exit_code == 0, result.output
    assert "Reading and checking district.zip (KB)" in result.stderr
    assert "Counting what applying it would change…" in result.stderr
    assert "Writing the changes…" in result.stderr
    assert "Reading and checking" not in result.stdout and "Applied:" in result.stdout
    assert Student.select().count() == 3


def test_a_folder_import_says_what_it_is_doing(app):
    result = app.test_cli_runner().invoke(args=["import-oneroster", "--dry-run", BULK])
    assert result.exit_code == 0 and "Reading and checking oneroster-bulk…" in result.stderr
