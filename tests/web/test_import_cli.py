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
    assert "1  students deactivated  e.g. María García" in result.output
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
