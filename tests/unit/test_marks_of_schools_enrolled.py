"""A mark counts only at a school the student was enrolled at on its day,
whenever it is counted, not only when it was imported: a mark stored while a
roster placed the student at its school stops counting once the roster no
longer does (a transfer undone, a later roster moving the student). The
mark is kept; undoing the roster change counts it again."""
import io

from fieldapp import imports
from fieldapp.documents.case_report import _attendance_facts
from fieldapp.imports.attendance import import_attendance
from fieldapp.imports.undo import undo
from fieldapp.models import AttendanceEvent, Student
from fieldapp.rules.settings import RuleSettings
from fieldapp.rules.standing import standing_of
from fieldapp.rules.stored import standing_for, stored_row
from fieldapp.students.attendance import summary
from fieldapp.timefmt import school_year_of, school_year_start
from tests.unit.test_import_enrolment_assumed import D, ON_DAY, delta, students_without_enrolments


def mark(school, day):
    row = f"studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor\n1001,{school},{day},Unexcused Absence\n"
    run = import_attendance(io.BytesIO(row.encode()), "m.csv", False, ON_DAY)
    assert run.applied, run.report.problems


def move_to_riverside(tmp_path, name):
    move = "enr-9,active,,cls-7m,sch-200,stu-1001,student,false,2025-10-20,\n"
    pending = imports.preview("oneroster", delta(tmp_path, name, [move]), name, RuleSettings(), today=D(2026, 1, 20))
    run, report = imports.apply(pending, pending.report.confirm_phrase)
    assert run.outcome == "applied", report.problems
    return run


def what_the_pages_count(maria):
    """Unexcused days as the student page's summary, the standing (worklist, letters), the page's
    calendar and the case report count them."""
    maria = Student.get_by_id(maria.id)
    standing = standing_of(RuleSettings(), maria, ON_DAY)
    assert standing_for(RuleSettings(), maria, ON_DAY).days_missed == standing.days_missed  # stored
    marks = stored_row(maria, school_year_of(ON_DAY), school_year_start(ON_DAY), ON_DAY)[2]
    report = {c["label"]: c["count"] for c in _attendance_facts(maria, ON_DAY)[0]["by_category"]}
    return (summary(maria, ON_DAY).unexcused, standing.unexcused_days, standing.days_missed,
            sum(1 for _, c, _ in marks if c == "unexcused"),
            report.get("Unexcused Absence"))


def test_undoing_the_transfer_that_let_a_mark_in_leaves_the_mark_uncounted(app, tmp_path):
    maria = students_without_enrolments()  # two unexcused days at Lincoln
    counted = what_the_pages_count(maria)
    run = move_to_riverside(tmp_path, "d1")
    mark("sch-200", "2025-11-03")  # at Riverside, where the delta enrolled her from Oct 20
    assert what_the_pages_count(maria)[:3] == (3, 3, counted[2] + 1)
    undo(run, None)
    assert what_the_pages_count(maria) == counted  # at Lincoln all year again: Riverside's mark is not hers
    assert AttendanceEvent.select().where(AttendanceEvent.date == D(2025, 11, 3)).count() == 1  # kept


def test_a_mark_of_the_school_a_transfer_moved_her_from_stops_counting_after_the_move(app, tmp_path):
    maria = students_without_enrolments()
    mark("sch-100", "2025-11-04")  # at Lincoln, counted all year there then
    before = what_the_pages_count(maria)
    assert before[0] == 3
    run = move_to_riverside(tmp_path, "d2")
    after = what_the_pages_count(maria)
    assert after[:2] == (2, 2) and after[2] == before[2] - 1  # Nov 4 she was at Riverside
    undo(run, None)
    assert what_the_pages_count(maria) == before
