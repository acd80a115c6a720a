"""A roster with enrollments.csv is previewed without writing its new
people or enrolments, and says what applying it then does."""
import datetime
import os
import shutil

from fieldapp import imports
from fieldapp.imports import roster_guardians, roster_records, roster_spans, roster_students
from fieldapp.models import Enrollment, RosterEnrollment, Student
from fieldapp.rules.settings import RuleSettings

BULK = os.path.join(os.path.dirname(__file__), "..", "data", "oneroster-bulk")
SETTINGS = RuleSettings()


def state():
    return (sorted(Student.select(Student.sourced_id, Student.school, Student.active).tuples()),
            sorted(RosterEnrollment.select(RosterEnrollment.sourced_id, RosterEnrollment.status,
                                           RosterEnrollment.end_date).tuples()),
            sorted(Enrollment.select(Enrollment.student, Enrollment.school, Enrollment.begin_date,
                                     Enrollment.end_date).tuples()))


def second_roster(tmp_path):
    """The bulk export a term later: a new student enrolled from January, a
    class ended, another's dates changed, a student moved to another school
    with no enrolment row saying when."""
    folder = tmp_path / "later"
    shutil.copytree(BULK, folder)
    users = folder / "users.csv"
    text = users.read_text(encoding="utf-8").replace("stu-1003,,,true,sch-100", "stu-1003,,,true,sch-200")
    users.write_text(text + "stu-3001,,,true,sch-200,student,,,Iris,Vega,,3001,,,,par-3,07,\n", encoding="utf-8")
    enrollments = folder / "enrollments.csv"
    text = enrollments.read_text(encoding="utf-8")
    text = text.replace("enr-3,,,cls-7e,sch-200,stu-1002,student,false,2025-09-02,",
                        "enr-3,tobedeleted,,cls-7e,sch-200,stu-1002,student,false,2025-09-02,")
    text = text.replace("enr-2,,,cls-7m,sch-200,stu-1002,student,false,2025-08-18,",
                        "enr-2,,,cls-7m,sch-200,stu-1002,student,false,2025-08-25,2026-01-16")
    enrollments.write_text(text + "enr-30,,,cls-7m,sch-200,stu-3001,student,false,2026-01-12,\n"
                                  "enr-31,,,cls-7a,sch-200,stu-3001,student,false,2026-01-20,2026-03-01\n",
                           encoding="utf-8")
    return str(folder)


def test_a_roster_with_enrolments_is_previewed_in_memory_and_says_what_applying_does(app, tmp_path, monkeypatch):
    imports.run("oneroster", BULK, "first", SETTINGS, today=datetime.date(2025, 8, 18))
    path, before = second_roster(tmp_path), state()
    written = []

    def spy(model, fields, rows):
        if rows:
            written.append(model._meta.table_name)
    monkeypatch.setattr(roster_students, "insert_rows", spy)
    monkeypatch.setattr(roster_guardians, "insert_rows", spy)
    monkeypatch.setattr(roster_records, "insert_rows", spy)
    monkeypatch.setattr(roster_spans, "insert_rows", spy)
    monkeypatch.setattr(Enrollment, "create", classmethod(lambda cls, **f: written.append("enrollment")))
    pending = imports.preview("oneroster", path, "later", SETTINGS, today=datetime.date(2026, 1, 12))
    monkeypatch.undo()
    assert written == [] and state() == before
    said = (dict(pending.report.counts), dict(pending.report.examples), list(pending.report.notes))
    assert said[0]["students created"] == 1 and said[0]["enrollment records added"] == 2
    assert said[0]["enrollment records ended"] == 1 and said[0]["transfers recorded"] == 1

    run, report = imports.apply(pending, pending.report.confirm_phrase)
    assert run.outcome == "applied", report.problems
    assert (report.counts, report.examples, report.notes) == said
    iris = Student.get(Student.sourced_id == "stu-3001")
    assert [(e.begin_date, e.end_date) for e in Enrollment.select().where(Enrollment.student == iris)] == \
        [(datetime.date(2026, 1, 12), None)]


def test_a_roster_imported_again_reads_its_stored_enrolment_records_as_plain_rows(app, tmp_path, monkeypatch):
    imports.run("oneroster", BULK, "first", SETTINGS, today=datetime.date(2025, 8, 18))
    made = []
    real_init = RosterEnrollment.__init__

    def counted(self, *args, **kwargs):
        made.append(1)
        real_init(self, *args, **kwargs)
    monkeypatch.setattr(RosterEnrollment, "__init__", counted)  # a district's records: never an object each
    run, report = imports.run("oneroster", second_roster(tmp_path), "later", SETTINGS,
                              today=datetime.date(2026, 1, 12), confirmation="deactivate 0")
    monkeypatch.undo()
    assert run.outcome == "applied", report.problems
    assert made == []
    assert report.counts["enrollment records ended"] == 1 and report.counts["enrollment records updated"] == 1
    ended = RosterEnrollment.get(RosterEnrollment.sourced_id == "enr-3")
    assert (ended.status, ended.end_date) == ("tobedeleted", datetime.date(2026, 1, 11))
    changed = RosterEnrollment.get(RosterEnrollment.sourced_id == "enr-2")
    assert (changed.begin_date, changed.end_date) == (datetime.date(2025, 8, 25), datetime.date(2026, 1, 16))
