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
    said = "1 mark is on a day its student was not enrolled: kept, not counted (row 2: 604823 on Nov 9, 2021)"
    assert said in pending.report.notes
    report = load(rows)
    assert report.counts[NOT_ENROLLED] == 1 and said in report.notes


def test_marks_on_days_not_enrolled_are_named_by_their_rows_first_few_and_counted(edfi_roster):
    student = Student.get(Student.local_id == "604823")
    Enrollment.delete().where(Enrollment.student == student).execute()
    Enrollment.create(student=student, school=student.school_id, begin_date=None,
                      end_date=datetime.date(2021, 10, 29))
    days = ["2021-11-%02d" % day for day in (19, 1, 2, 3, 4, 5, 8)]  # the first listed is the latest
    rows = HEADER + "604823,255901001,2021-10-28,Tardy,,20\n" + "".join(
        f"604823,255901001,{day},Unexcused Absence,1,\n" for day in days)
    report = load(rows)
    assert report.counts[NOT_ENROLLED] == 7
    assert ("7 marks are on days their student was not enrolled: kept, not counted (row 3: 604823 on Nov 19, "
            "2021; row 4: 604823 on Nov 1, 2021; row 5: 604823 on Nov 2, 2021; row 6: 604823 on Nov 3, 2021; "
            "row 7: 604823 on Nov 4, 2021; …)") in report.notes


def test_a_weekend_mark_is_no_school_day_of_the_import(edfi_roster):
    report = load(HEADER + "604823,255901001,2021-11-09,Unexcused Absence,1,\n"
                           "604823,255901001,2021-11-13,Unexcused Absence,1,\n", skip=True)
    assert report.counts["marks on weekends (kept, not counted)"] == 1
    assert report.counts["school days"] == 1
