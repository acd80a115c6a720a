"""A delta's tobedeleted enrollments.csv record ends the stored record (on
its endDate, else the day before the import, unless it ends earlier
already), however little of the record the row repeats."""
import datetime

from fieldapp import imports
from fieldapp.imports.undo import undo
from fieldapp.models import RosterEnrollment, Student
from fieldapp.rules.settings import RuleSettings
from fieldapp.students.attendance import summary
from tests.unit.test_import_enrolment_assumed import BULK, ON_DAY, delta, spans, students_without_enrolments

D = datetime.date
TODAY = D(2026, 1, 20)


def roster():
    imports.run("oneroster", BULK, "first", RuleSettings(), today=D(2025, 8, 18))
    return Student.get(Student.sourced_id == "stu-1001")


def run(tmp_path, name, rows):
    pending = imports.preview("oneroster", delta(tmp_path, name, rows), name, RuleSettings(), today=TODAY)
    run, report = imports.apply(pending, pending.report.confirm_phrase)
    assert run.outcome == "applied", report.problems
    return pending, run


def test_a_record_deleted_without_an_end_ends_the_day_before_though_stored_with_a_later_end(app, tmp_path):
    maria = roster()
    run(tmp_path, "d1", ["enr-1,active,,cls-4a,sch-100,stu-1001,student,false,2025-08-18,2026-06-12\n"])
    assert spans(maria) == [(maria.school_id, D(2025, 8, 18), D(2026, 6, 12))]
    pending, ended = run(tmp_path, "d2", ["enr-1,tobedeleted,,cls-4a,sch-100,stu-1001,student,false,2025-08-18,\n"])
    assert pending.report.counts.get("enrollment records ended") == 1
    assert RosterEnrollment.get(RosterEnrollment.sourced_id == "enr-1").end_date == TODAY - datetime.timedelta(1)
    assert spans(maria) == [(maria.school_id, D(2025, 8, 18), D(2026, 1, 19))]
    undo(ended, None)
    assert spans(maria) == [(maria.school_id, D(2025, 8, 18), D(2026, 6, 12))]


def test_a_record_deleted_without_an_end_keeps_an_earlier_stored_end(app, tmp_path):
    maria = roster()
    run(tmp_path, "d1", ["enr-1,active,,cls-4a,sch-100,stu-1001,student,false,2025-08-18,2025-12-19\n"])
    run(tmp_path, "d2", ["enr-1,tobedeleted,,cls-4a,sch-100,stu-1001,student,false,2025-08-18,\n"])
    assert RosterEnrollment.get(RosterEnrollment.sourced_id == "enr-1").end_date == D(2025, 12, 19)
    assert spans(maria) == [(maria.school_id, D(2025, 8, 18), D(2025, 12, 19))]


def test_a_record_deleted_by_its_sourced_id_alone_ends_as_one_deleted_with_every_cell(app, tmp_path):
    maria = roster()
    pending, ended = run(tmp_path, "d1", ["enr-1,tobedeleted,2026-01-19,,,,,,,\n", "enr-404,tobedeleted,,,,,,,,\n"])
    assert pending.report.counts.get("enrollment records ended") == 1
    assert ("1 enrolment record to delete (status tobedeleted) was not on file, so it is not stored (its endDate "
            "still ends the year of a student counted enrolled all year by assumption): enr-404") \
        in pending.report.notes
    stored = RosterEnrollment.get(RosterEnrollment.sourced_id == "enr-1")
    assert (stored.status, stored.end_date, stored.begin_date) == ("tobedeleted", D(2026, 1, 19), D(2025, 8, 18))
    assert spans(maria) == [(maria.school_id, D(2025, 8, 18), D(2026, 1, 19))]
    undo(ended, None)
    assert spans(maria) == [(maria.school_id, D(2025, 8, 18), None)]


def test_a_class_added_mid_year_then_deleted_keeps_the_start_of_the_year_assumed(app, tmp_path):
    maria = students_without_enrolments()
    before = summary(maria, ON_DAY)
    _, added = run(tmp_path, "a", ["enr-9,active,,cls-art,sch-100,stu-1001,student,false,2025-11-17,2026-06-12\n"])
    assert spans(maria) == [(maria.school_id, None, None)] and summary(maria, ON_DAY) == before
    pending, ended = run(tmp_path, "b", ["enr-9,tobedeleted,,cls-art,sch-100,stu-1001,student,false,2025-11-17,"
                                         "2025-11-28\n"])
    assert ("1 student was counted enrolled from the first day of the year by assumption, and this file deletes "
            "(status tobedeleted) their enrolment there, so their year ends on its end date; if they are still "
            "enrolled, send the enrolment again with status active: María García (1001): their only enrolment at "
            "Lincoln Elementary ends Nov 28, 2025; their year, counted from the first day by assumption, now ends "
            "then") in pending.report.notes
    assert spans(maria) == [(maria.school_id, None, D(2025, 11, 28))]
    assert summary(maria, ON_DAY).unexcused == 2  # both marks (Sep 2, Oct 6) before the record's beginDate count
    undo(ended, None)
    assert spans(maria) == [(maria.school_id, None, None)] and summary(maria, ON_DAY) == before
    undo(added, None)
    assert spans(maria) == [] and summary(maria, ON_DAY) == before


def test_a_class_ending_on_the_years_last_day_or_later_is_no_class_ending_early(app, tmp_path):
    students_without_enrolments()  # no calendar stored: the year assumed ends Friday Jun 12, 2026
    rows = ["enr-9,active,,cls-art,sch-100,stu-1001,student,false,2026-01-20,2026-06-12\n",
            "enr-8,active,,cls-7a,sch-200,stu-1002,student,false,2025-09-02,2026-06-30\n",
            "enr-7,active,,cls-4b,sch-100,stu-1003,student,false,2025-09-02,2026-06-11\n"]  # ends early: said
    pending = imports.preview("oneroster", delta(tmp_path, "d", rows), "d", RuleSettings(), today=TODAY)
    said = [note for note in pending.report.notes if "a class ending is not a student leaving" in note]
    assert said == ["1 enrolment carries an end date on a class at the student's own school; the student stays "
                    "enrolled all year, as before (a class ending is not a student leaving): send the enrolment "
                    "with status tobedeleted to end it: enr-7: Thanh Nguyễn (1003), class cls-4b until Jun 11, 2026"]
