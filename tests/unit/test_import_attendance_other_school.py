"""An attendance row naming a school the student is not enrolled at (the
student and the school both known, but no enrolment of that student there)
is a row problem naming the student and the school, and the preview and the
history say how many such rows were left out: a mark of another school must
not change the student's attendance at their own (a re-imported day replaces
the student's marks of that day, wherever they were stored). Every shape the
attendance import reads: Ed-Fi (studentUniqueId, the school's code, a split
day's shares) and OneRoster (sourcedId)."""
import datetime
import io

from fieldapp.imports.attendance import import_attendance
from fieldapp.models import AttendanceEvent, Enrollment, School, Student
from tests.unit.test_import_attendance import roster  # noqa: F401
from tests.unit.test_import_district_files import edfi_roster, load  # noqa: F401

HEADER = "studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor,eventDuration\n"
HIGH, ELEMENTARY = "255901001", "255901107"  # Hiroshi (604823) is enrolled at the high school only
NOV_16, NOV_17 = datetime.date(2021, 11, 16), datetime.date(2021, 11, 17)
WORDS = ("student '%s' is not enrolled at school '%s': left out, so a mark of another school does not change the "
         "student's attendance")


def stored():
    return sorted((e.date, e.school.identifier, e.category) for e in AttendanceEvent.select())


def problems(report):
    return [(line, str(why)) for _, line, why in report.problems]


def test_ed_fi_rows_of_a_school_the_student_is_not_enrolled_at_are_left_out_and_counted(edfi_roster):
    assert load(HEADER + f"604823,{HIGH},2021-11-16,Excused Absence,1\n").applied
    text = (HEADER + f"604823,{ELEMENTARY},2021-11-16,In Attendance,\n"
            + f"604823,{HIGH},2021-11-17,Unexcused Absence,1\n"
            + f"604823,{ELEMENTARY},2021-11-17,Tardy,\n"
            + f"604823,{ELEMENTARY},2021-11-18,Excused Absence,0.5\n")
    refused = load(text)
    assert not refused.applied and [line for line, _ in problems(refused)] == [2, 4, 5]
    report = load(text, skip=True)
    # The high school's excused day stays; the elementary school's rows change nothing.
    assert stored() == [(NOV_16, HIGH, "excused"), (NOV_17, HIGH, "unexcused")]
    assert problems(report) == [(2, WORDS % ("604823", ELEMENTARY)), (4, WORDS % ("604823", ELEMENTARY)),
                                (5, WORDS % ("604823", ELEMENTARY))]
    assert [str(note) for note in report.notes] == [
        f"3 rows name a school the student is not enrolled at: left out (row 2: 604823 at {ELEMENTARY}, "
        f"row 4: 604823 at {ELEMENTARY}, row 5: 604823 at {ELEMENTARY})"]


def test_oneroster_rows_by_sourcedid_are_left_out_too(roster):
    text = ("sourcedId,schoolId,eventDate,attendanceEventCategoryDescriptor\n"
            "stu-1001,sch-100,2025-09-02,Unexcused Absence\n"
            "stu-1001,sch-200,2025-09-03,Unexcused Absence\n")
    report = import_attendance(io.BytesIO(text.encode()), "attendance.csv", True, datetime.date(2025, 10, 1))
    assert [(e.date.isoformat(), e.school.sourced_id) for e in AttendanceEvent.select()] == [
        ("2025-09-02", "sch-100")]
    assert problems(report) == [(3, WORDS % ("stu-1001", "sch-200"))]
    assert str(report.notes[0]) == ("1 row names a school the student is not enrolled at: left out "
                                    "(row 3: stu-1001 at sch-200)")


def test_a_school_of_an_earlier_enrolment_is_one_the_student_is_enrolled_at(edfi_roster):
    hiroshi = Student.get(Student.local_id == "604823")
    Enrollment.create(student=hiroshi, school=School.get(School.identifier == ELEMENTARY),
                      begin_date=datetime.date(2021, 8, 23), end_date=datetime.date(2021, 10, 29))
    report = load(HEADER + f"604823,{ELEMENTARY},2021-10-05,Unexcused Absence,1\n")
    assert report.outcome == "applied", report.problems
    assert report.notes == []


DATED = ("student '604823' is not enrolled at school '%s' on %s (enrolled at another school that day): left out, so "
         "a mark of another school does not change the student's attendance")


def test_a_mark_before_the_enrolment_at_its_school_began_or_after_it_ended_is_left_out(edfi_roster):
    """Hiroshi moved from the elementary school (until Oct 29) to the high school (from Nov 1): the
    high school's mark of Oct 5 and the elementary school's of Nov 17 name schools he was not at that
    day; each school's marks inside its span are stored."""
    hiroshi = Student.get(Student.local_id == "604823")
    Enrollment.delete().where(Enrollment.student == hiroshi).execute()
    Enrollment.create(student=hiroshi, school=School.get(School.identifier == ELEMENTARY),
                      begin_date=datetime.date(2021, 8, 23), end_date=datetime.date(2021, 10, 29))
    Enrollment.create(student=hiroshi, school=hiroshi.school_id, begin_date=datetime.date(2021, 11, 1))
    text = (HEADER + f"604823,{HIGH},2021-10-05,Unexcused Absence,1\n"
            + f"604823,{ELEMENTARY},2021-10-06,Unexcused Absence,1\n"
            + f"604823,{ELEMENTARY},2021-11-17,Unexcused Absence,0.5\n"
            + f"604823,{HIGH},2021-11-16,Excused Absence,1\n")
    refused = load(text)
    assert not refused.applied and [line for line, _ in problems(refused)] == [2, 4]
    report = load(text, skip=True)
    assert stored() == [(datetime.date(2021, 10, 6), ELEMENTARY, "unexcused"), (NOV_16, HIGH, "excused")]
    assert problems(report) == [(2, DATED % (HIGH, "Oct 5, 2021")), (4, DATED % (ELEMENTARY, "Nov 17, 2021"))]
    assert [str(note) for note in report.notes] == [
        f"2 rows name a school the student is not enrolled at: left out (row 2: 604823 at {HIGH} on Oct 5, 2021; "
        f"row 4: 604823 at {ELEMENTARY} on Nov 17, 2021)"]


def test_a_student_without_spans_is_enrolled_at_their_school_all_year(edfi_roster):
    hiroshi = Student.get(Student.local_id == "604823")
    Enrollment.delete().where(Enrollment.student == hiroshi).execute()
    report = load(HEADER + f"604823,{HIGH},2021-08-02,Unexcused Absence,1\n")
    assert report.outcome == "applied" and not report.problems
