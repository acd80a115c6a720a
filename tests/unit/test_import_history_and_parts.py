"""Attendance files with excused parts of days and marks on days without
school; rosters that move a student between schools (every enrolment span kept)."""
import datetime
import io
import os
import shutil

from fieldapp.imports.attendance import import_attendance
from fieldapp.imports.attendance_lookups import category_code
from fieldapp.imports.oneroster import import_oneroster
from fieldapp.models import AttendanceEvent, Enrollment, School, Student
from fieldapp.rules.settings import RuleSettings
from fieldapp.rules.standing import standing_of
from fieldapp.timefmt import today_for_school

DATA = os.path.join(os.path.dirname(__file__), "..", "data")
TODAY = datetime.date(2025, 10, 1)
HEADER = ("studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor,minutesAbsent,"
          "attendanceEventReason\n")


def _roster():
    assert import_oneroster(os.path.join(DATA, "oneroster-bulk"), "roster").applied


def _load(text):
    return import_attendance(io.BytesIO(text.encode()), "attendance.csv", False, TODAY)


def _marks():
    return sorted((e.student.local_id, e.date.isoformat(), e.category, e.minutes, e.reason)
                  for e in AttendanceEvent.select())


def test_excused_parts_of_days_are_imported_in_the_spellings_sis_exports_use(app):
    _roster()
    report = _load(HEADER + "1001,sch-100,2025-09-03,Excused Tardy,60,Clinic note\n"
                            "1001,sch-100,2025-09-04,uri://ed-fi.org/AttendanceEventCategoryDescriptor#Tardy,"
                            "50,Excused - dentist\n"
                            "1001,sch-100,2025-09-05,Unexcused Tardy,40,\n"
                            "1002,sch-200,2025-09-03,Early Departure Excused,90,\n"
                            "1002,sch-200,2025-09-04,Excused Partial,120,\n")
    assert report.outcome == "applied", report.problems
    assert _marks() == [
        ("1001", "2025-09-03", "excused_tardy", 60, "Clinic note"),
        ("1001", "2025-09-04", "excused_tardy", 50, "Excused - dentist"),  # attendanceEventReason read
        ("1001", "2025-09-05", "tardy", 40, ""),
        ("1002", "2025-09-03", "excused_early_departure", 90, ""),
        ("1002", "2025-09-04", "excused_partial", 120, ""),
    ]
    assert category_code("Unexcused Absence") == "unexcused"


def test_an_excused_and_an_unexcused_tardy_on_one_day_conflict(app):
    _roster()
    report = _load(HEADER + "1001,sch-100,2025-09-03,Excused Tardy,60,\n1001,sch-100,2025-09-03,Tardy,20,\n")
    assert not report.applied
    assert [(line, str(why)[:30]) for _, line, why in report.problems] == [
        (2, "left out with row 3: this stud"), (3, "conflicts with an earlier row:")]


def test_marks_on_days_without_school_are_kept_and_the_import_says_they_do_not_count(app):
    _roster()
    report = _load(HEADER + "1001,sch-100,2025-09-06,Unexcused Absence,,\n"  # a Saturday
                            "1001,sch-100,2025-07-15,Unexcused Absence,,\n"  # before the first day
                            "1001,sch-100,2025-09-08,Unexcused Absence,,\n")
    assert report.applied and len(_marks()) == 3
    assert report.counts["marks on weekends (kept, not counted)"] == 1
    assert report.counts["marks outside the school year (kept, not counted)"] == 1
    student = Student.get(Student.local_id == "1001")
    result = standing_of(RuleSettings("CA"), student, datetime.date(2025, 9, 30))
    assert result.counts["year"] == 1 and result.days_missed == 1


def _delta_moving(tmp_path, student, school):
    target = tmp_path / "delta"
    shutil.copytree(os.path.join(DATA, "oneroster-bulk"), target)
    manifest = target / "manifest.csv"
    text = manifest.read_text()
    for name in ("orgs", "demographics", "enrollments"):
        text = text.replace(f"file.{name},bulk", f"file.{name},absent")
    manifest.write_text(text.replace("file.users,bulk", "file.users,delta"))
    users = target / "users.csv"
    lines = users.read_text().splitlines()
    moved = [lines[0]] + [line.replace(",sch-100,", f",{school},") for line in lines if line.startswith(student)]
    users.write_text("\n".join(moved) + "\n")
    for name in ("orgs", "demographics", "enrollments"):
        os.remove(target / f"{name}.csv")
    return target


def test_a_transfer_in_a_roster_delta_keeps_the_old_span_and_opens_a_new_one(app, tmp_path):
    _roster()
    student = Student.get(Student.local_id == "1001")
    assert [(e.school.sourced_id, e.end_date) for e in Enrollment.select()
            .where(Enrollment.student == student)] == [("sch-100", None)]
    report = import_oneroster(str(_delta_moving(tmp_path, "stu-1001", "sch-200")), "delta")
    assert report.applied, report.message or report.problems
    spans = sorted((e.school.sourced_id, e.begin_date, e.end_date)
                   for e in Enrollment.select().where(Enrollment.student == student))
    today = today_for_school(School.get(School.sourced_id == "sch-200").id)  # the school's day, not the machine's
    assert spans == [("sch-100", datetime.date(2025, 8, 18), today - datetime.timedelta(days=1)),
                     ("sch-200", today, None)]
    assert Student.get_by_id(student.id).school == School.get(School.sourced_id == "sch-200")


def test_a_bulk_roster_with_rows_at_two_schools_keeps_both_spans_and_counts_both(app, tmp_path):
    target = tmp_path / "bulk"
    shutil.copytree(os.path.join(DATA, "oneroster-bulk"), target)
    enrollments = target / "enrollments.csv"
    text = enrollments.read_text().replace("enr-1,,,cls-4a,sch-100,stu-1001,student,false,2025-08-18,",
                                           "enr-1,,,cls-4a,sch-100,stu-1001,student,false,2025-10-01,")
    enrollments.write_text(text + "enr-6,,,cls-7m,sch-200,stu-1001,student,false,2025-08-18,2025-09-30\n")
    assert import_oneroster(str(target), "roster").applied
    student = Student.get(Student.local_id == "1001")
    spans = sorted((e.school.sourced_id, e.begin_date, e.end_date)
                   for e in Enrollment.select().where(Enrollment.student == student))
    assert spans == [("sch-100", datetime.date(2025, 10, 1), None),
                     ("sch-200", datetime.date(2025, 8, 18), datetime.date(2025, 9, 30))]
    assert _load(HEADER + "1001,sch-200,2025-09-03,Unexcused Absence,,\n"
                          "1001,sch-100,2025-10-01,Excused Absence,,\n").applied
    result = standing_of(RuleSettings("CA"), student, datetime.date(2025, 10, 14))
    # No calendar imported: weekdays. 32 at the first school (Aug 18 to Sep 30), 10 at the second.
    assert result.days_enrolled == 42 and result.days_missed == 2 and result.percent_missed == 4.7


def test_a_reason_that_says_excused_anywhere_excuses_a_bare_tardy_and_one_that_denies_it_does_not(app):
    _roster()
    report = _load(HEADER + "1001,sch-100,2025-09-03,Tardy,60,Medical appointment (excused)\n"
                            "1001,sch-100,2025-09-04,Tardy,50,Doctor note - EXCUSED\n"
                            "1001,sch-100,2025-09-05,Tardy,40,Unexcused - overslept\n"
                            "1002,sch-200,2025-09-03,Tardy,30,Not excused: no note\n"
                            "1002,sch-200,2025-09-04,Tardy,35,Non-excused\n")
    assert report.outcome == "applied", report.problems
    assert [(m[1], m[2]) for m in _marks()] == [
        ("2025-09-03", "excused_tardy"), ("2025-09-04", "excused_tardy"), ("2025-09-05", "tardy"),
        ("2025-09-03", "tardy"), ("2025-09-04", "tardy")]
