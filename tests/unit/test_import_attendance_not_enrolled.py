"""Marks the rules do not count are kept and said so, in the preview and in
the result: those on days the student was not enrolled, the first named, and
the import's school days are only the days with school."""
import datetime
import io

from fieldapp import imports
from fieldapp.models import Enrollment, Student
from fieldapp.rules.settings import RuleSettings
from tests.unit.test_import_district_files import HEADER, TODAY, edfi_roster, load  # noqa: F401

NOT_ENROLLED = "marks on days the student was not enrolled (kept, not counted)"


def test_a_mark_outside_every_enrolment_span_is_kept_not_counted_and_named(edfi_roster):
    student = Student.get(Student.local_id == "604823")
    Enrollment.delete().where(Enrollment.student == student).execute()  # enrolled until October
    Enrollment.create(student=student, school=student.school_id, begin_date=None,
                      end_date=datetime.date(2021, 10, 29))
    rows = HEADER + "604823,255901001,2021-11-09,Unexcused Absence,1,\n604823,255901001,2021-10-28,Tardy,,20\n"
    pending = imports.preview("attendance", io.BytesIO(rows.encode()), "a.csv", RuleSettings(), today=TODAY)
    assert pending.report.counts.get(NOT_ENROLLED) == 1, (pending.report.counts, pending.report.problems)
    assert pending.report.examples[NOT_ENROLLED] == ["604823, 2021-11-09"]
    report = load(rows)
    assert report.counts[NOT_ENROLLED] == 1 and report.examples[NOT_ENROLLED] == ["604823, 2021-11-09"]


def test_a_weekend_mark_is_no_school_day_of_the_import(edfi_roster):
    report = load(HEADER + "604823,255901001,2021-11-09,Unexcused Absence,1,\n"
                           "604823,255901001,2021-11-13,Unexcused Absence,1,\n", skip=True)
    assert report.counts["marks on weekends (kept, not counted)"] == 1
    assert report.counts["school days"] == 1
