"""Marks on weekends, holidays and days outside the school year are kept, not counted, and the notes
saying so name their first rows, as the note of marks on days a student was not enrolled does."""
import io

from fieldapp.imports.calendar import import_calendar
from tests.unit.test_import_history_and_parts import HEADER, _load, _roster


def test_marks_without_school_are_named_by_their_rows(app):
    _roster()
    assert import_calendar(io.BytesIO(b"schoolId,date,calendarEvent,name\n061234500001,2025-09-10,Holiday,Fair day\n"),
                           "cal.csv").applied, "calendar"
    report = _load(HEADER + "1001,sch-100,2025-09-08,Unexcused Absence,,\n"
                            "1001,sch-100,2025-09-06,Unexcused Absence,,\n"  # a Saturday
                            "1001,sch-100,2025-07-15,Unexcused Absence,,\n"  # before the first day
                            "1002,sch-200,2025-09-13,Unexcused Absence,,\n"  # a Saturday
                            "1001,sch-100,2025-09-10,Unexcused Absence,,\n")  # the holiday
    assert report.applied, report.problems
    notes = [str(note) for note in report.notes]
    assert ("2 marks are on weekends: kept, not counted (row 3: 1001 on Sep 6, 2025; row 5: 1002 on Sep 13, "
            "2025)") in notes, notes
    assert "1 mark is outside its school's school year: kept, not counted (row 4: 1001 on Jul 15, 2025)" in notes
    assert "1 mark is on a holiday of its school's calendar: kept, not counted (row 6: 1001 on Sep 10, 2025)" in notes
