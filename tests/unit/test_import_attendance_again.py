"""An attendance file imported again says the marks it gives as they are
stored as unchanged, not as replaced: a district re-sending a day sees that
nothing of it changes (and, when nothing at all would, is offered no Apply)."""
import datetime
import io
import os

from fieldapp import imports
from fieldapp.models import AttendanceEvent
from fieldapp.rules.settings import RuleSettings

BULK = os.path.join(os.path.dirname(__file__), "..", "data", "oneroster-bulk")
SETTINGS = RuleSettings()
TODAY = datetime.date(2025, 10, 1)
HEADER = "studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor,minutesAbsent,attendanceEventReason\n"
FILE = HEADER + ("1001,sch-100,2025-09-02,Unexcused Absence,,\n1002,sch-200,2025-09-02,Tardy,20,Bus\n"
                 "1001,sch-100,2025-09-03,Excused Absence,,Dentist\n")


def counts(text):
    pending = imports.preview("attendance", io.BytesIO(text.encode()), "again.csv", SETTINGS, today=TODAY)
    return pending, {name: n for name, n in pending.report.counts.items() if "mark" in name or "stored" in name}


def test_a_file_imported_again_counts_its_marks_as_already_stored(app):
    imports.run("oneroster", BULK, "bulk", SETTINGS)
    imports.run("attendance", io.BytesIO(FILE.encode()), "first.csv", SETTINGS, today=TODAY)
    pending, said = counts(FILE)
    # nothing would change: nothing is counted, so nothing is offered to apply, and a note says why
    assert pending.report.counts == {} and pending.run.changes_nothing
    assert [str(note) for note in pending.report.notes] == [
        "The file's 3 marks are stored already as they are: applying it would change nothing."]
    assert AttendanceEvent.select().count() == 3
    changed = FILE.replace("Tardy,20,Bus", "Tardy,25,Bus")
    _, said = counts(changed)
    assert said == {"marks already stored as they are": 2, "earlier marks replaced": 1,
                    "absences, tardies and part days stored": 1}
