"""What a file's header holds is shown within bounds: the columns an import
leaves aside are listed twenty at most, each name cut at 60 characters, in
the preview and in the history alike."""
import datetime
import io

from fieldapp.imports.steps import preview
from fieldapp.models import ImportRun
from fieldapp.rules.settings import RuleSettings

HEADER = "studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor"


def _preview(extra):
    text = f"{HEADER},{','.join(extra)}\n"
    return preview("attendance", io.BytesIO(text.encode()), "monday.csv", RuleSettings(),
                   today=datetime.date(2025, 9, 8))


def test_a_very_long_column_name_is_cut_in_the_note(app):
    pending = _preview(["x" * 100_000, "period"])
    note, = [n for n in pending.report.notes if "not read, ignored" in n]
    assert note == "monday.csv: not read, ignored: " + "x" * 60 + "…, period"
    assert ImportRun.get_by_id(pending.run.id).notes == [note] and len(pending.run.notes_json) < 1000


def test_ten_thousand_unknown_columns_are_listed_twenty_and_counted(app):
    pending = _preview([f"extra{i}" for i in range(10_000)])
    note, = [n for n in pending.report.notes if "not read, ignored" in n]
    assert note == ("monday.csv: not read, ignored: " + ", ".join(f"extra{i}" for i in range(20))
                    + " and 9,980 more columns")
    assert ImportRun.get_by_id(pending.run.id).notes == [note]
