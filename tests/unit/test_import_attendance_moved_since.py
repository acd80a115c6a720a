"""An attendance preview applied after a roster moved one of its students:
the marks the preview held at the school the student has left, on days the
roster now puts them at another, are left out with a note naming them and
the roster, instead of stored at the old school without a word."""
import datetime
import io

from fieldapp import imports
from fieldapp.models import AttendanceEvent
from fieldapp.rules.settings import RuleSettings
from tests.unit.test_import_out_of_date_preview import TODAY, roster  # noqa: F401 (fixture)
from tests.unit.test_import_roster_school_notes import users_only

D = datetime.date
FILE = ("studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor,minutesAbsent\n"
        "1001,sch-100,2025-09-02,Unexcused Absence,\n"  # before the move: still María's at Lincoln
        "1001,sch-100,2025-09-30,Unexcused Absence,\n"  # after it: she is at Riverside that day
        "1002,sch-200,2025-09-30,Tardy,20\n")


def marks():
    return sorted((e.student.local_id, e.school.sourced_id, e.date.isoformat(), e.category)
                  for e in AttendanceEvent.select())


def test_a_mark_at_the_school_a_roster_moved_the_student_from_since_the_preview_is_left_out(roster, tmp_path):
    pending = imports.preview("attendance", io.BytesIO(FILE.encode()), "a.csv", RuleSettings(), today=TODAY)
    assert pending.report.counts["absences, tardies and part days stored"] == 3 and not pending.report.problems
    moved, said = imports.run("oneroster", users_only(tmp_path, "u"), "moves.zip", RuleSettings(),
                              today=D(2025, 9, 15))
    assert said.applied, said.problems
    run, report = imports.apply(pending)
    assert run.outcome == "applied", report.message
    assert marks() == [("1001", "sch-100", "2025-09-02", "unexcused"), ("1002", "sch-200", "2025-09-30", "tardy")]
    assert [note for note in report.notes if note.startswith("Since this preview")] == [
        f"Since this preview, import #{moved.id} (moves.zip) changed where students of this file are enrolled: 1 day "
        "of a student is left out, as its mark may now be at a school the student was not enrolled at that day "
        "(María García (1001) on Sep 30, 2025); nothing of it is stored: import the file again to preview it as the "
        "enrolments are now."]
    assert report.counts["absences, tardies and part days stored"] == 2
