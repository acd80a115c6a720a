"""Imports are previewed before they change anything, a roster that would
empty a school or a large share of the district needs a typed confirmation,
guardian links are ended (kept), and an applied import can be undone."""
import datetime
import io
import os

import pytest

from fieldapp import imports
from fieldapp.imports.undo import UndoRefused
from fieldapp.models import (
    AttendanceEvent, Guardian, ImportChange, ImportRun, School, Student, StudentGuardian,
)
from fieldapp.rules.settings import RuleSettings
from fieldapp.students.records import guardians_of
from fieldapp.students.search import search
from tests import factories

DATA = os.path.join(os.path.dirname(__file__), "..", "data")
BULK = os.path.join(DATA, "oneroster-bulk")
DELTA = os.path.join(DATA, "oneroster-delta")
SETTINGS = RuleSettings()
TODAY = datetime.date(2025, 10, 1)


def district(students=30):
    """A district already imported: two schools, students with a guardian each, a case."""
    schools = [factories.gen_school("Washington Elementary"), factories.gen_school("Adams Middle")]
    officer = factories.gen_user("officer", schools)
    kids = [factories.gen_student(schools[n % 2], first=f"Kid{n}", last="Ortega") for n in range(students)]
    for kid in kids:
        factories.gen_guardian([kid], first="Parent", last="Ortega")
    case = factories.gen_case(kids[0], officer)
    return schools, kids, officer, case


def state():
    return (sorted(Student.select(Student.id, Student.active, Student.first_name).tuples()),
            sorted(School.select(School.id, School.active).tuples()),
            sorted(StudentGuardian.select(StudentGuardian.student, StudentGuardian.guardian,
                                          StudentGuardian.ended_at).tuples()))


def test_a_small_bulk_roster_is_previewed_and_needs_typed_confirmation_to_empty_the_district(app):
    schools, kids, officer, case = district()
    before = state()
    pending = imports.preview("oneroster", BULK, "three-students", SETTINGS)
    report = pending.report
    assert pending.run.outcome == "previewed" and state() == before  # the preview wrote nothing
    assert report.counts["students deactivated"] == 30 and report.counts["schools deactivated"] == 2
    assert report.counts["students created"] == 3
    assert len(report.examples["students deactivated"]) == 5
    assert "Kid0 Ortega" in " ".join(report.examples["students deactivated"])
    assert report.confirm_phrase == "deactivate 30"
    with pytest.raises(imports.ConfirmationNeeded):
        imports.apply(pending, "yes")
    assert state() == before
    run, applied = imports.apply(pending, "Deactivate 30")
    assert run.outcome == "applied" and Student.get_by_id(kids[3].id).active is False
    # Guardian links are ended, not deleted: the record keeps who the guardians were.
    assert StudentGuardian.select().where(StudentGuardian.student == kids[3]).count() == 1
    assert guardians_of(kids[3]) == []


def test_undo_puts_back_every_row_the_import_touched_and_keeps_what_happened_since(app):
    schools, kids, officer, case = district()
    before = state()
    run, _ = imports.run("oneroster", BULK, "three-students", SETTINGS, confirmation="deactivate 30")
    assert run.outcome == "applied" and ImportChange.select().where(ImportChange.run == run).count() > 60
    contact = factories.gen_contact(case, officer)  # work done since the import
    counts = imports.undo(run, officer)
    assert all(Student.get_by_id(k.id).active for k in kids)
    assert all(School.get_by_id(s.id).active for s in schools)
    assert [g.first_name for g, _ in guardians_of(kids[3])] == ["Parent"]
    created = Student.select().where(Student.sourced_id.startswith("stu-10"))
    assert created.count() == 3 and not any(s.active for s in created)  # deactivated, not deleted
    assert [s for s in state()[0] if s[0] in {k.id for k in kids}] == \
        [s for s in before[0] if s[0] in {k.id for k in kids}]
    assert [c.id for c in case.contacts] == [contact.id]
    assert counts["students restored"] == 30 and counts["guardian links restored"] == 30
    assert ImportRun.get_by_id(run.id).undone_at is not None
    with pytest.raises(UndoRefused):
        imports.undo(ImportRun.get_by_id(run.id), officer)


def test_undo_keeps_a_value_changed_since_by_a_later_import(app, tmp_path):
    imports.run("oneroster", BULK, "bulk", SETTINGS)
    first, _ = imports.run("oneroster", DELTA, "delta", SETTINGS, confirmation="deactivate 1")
    assert Student.get(Student.sourced_id == "stu-1003").last_name == "Nguyen-Tran"
    later = tmp_path / "later"
    later.mkdir()
    (later / "manifest.csv").write_text(open(os.path.join(DELTA, "manifest.csv")).read())
    (later / "users.csv").write_text(open(os.path.join(DELTA, "users.csv")).read()
                                     .replace("Nguyen-Tran", "Tran"))
    imports.run("oneroster", str(later), "later", SETTINGS)
    counts = imports.undo(first, None)
    thanh = Student.get(Student.sourced_id == "stu-1003")
    assert thanh.last_name == "Tran" and counts["kept: changed since the import"] >= 1
    assert Student.get(Student.sourced_id == "stu-1002").active is True  # undone: reactivated
    assert [s.sourced_id for s in search("tran")] == ["stu-1003"]


def test_undoing_attendance_removes_its_marks_and_puts_back_the_ones_it_replaced(app):
    imports.run("oneroster", BULK, "bulk", SETTINGS)
    header = "studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor,minutesAbsent\n"
    first = header + "1001,sch-100,2025-09-02,Unexcused Absence,\n1002,sch-200,2025-09-02,Tardy,20\n"
    imports.run("attendance", io.BytesIO(first.encode()), "first.csv", SETTINGS, today=TODAY)
    marks = sorted(AttendanceEvent.select(AttendanceEvent.student, AttendanceEvent.category,
                                          AttendanceEvent.minutes).tuples())
    second = header + "1001,sch-100,2025-09-02,In Attendance,\n1001,sch-100,2025-09-03,Tardy,10\n"
    pending = imports.preview("attendance", io.BytesIO(second.encode()), "second.csv", SETTINGS, today=TODAY)
    assert pending.report.counts["earlier marks replaced"] == 1
    assert AttendanceEvent.select().count() == 2  # the preview wrote nothing
    run, _ = imports.apply(pending)
    assert AttendanceEvent.select().count() == 2  # 1001's absence replaced, a tardy added
    imports.undo(run, None)
    assert sorted(AttendanceEvent.select(AttendanceEvent.student, AttendanceEvent.category,
                                         AttendanceEvent.minutes).tuples()) == marks


@pytest.mark.parametrize("third, left", [("Tardy,10", [("TARDY", 10)]), ("In Attendance,", [])])
def test_undo_keeps_a_day_a_later_attendance_import_decided_again(app, third, left):
    """Undoing the second of three imports of one day: the third's word on the
    day stands; the first's absence, which the second replaced, does not come
    back beside (or instead of) it."""
    imports.run("oneroster", BULK, "bulk", SETTINGS)
    header = "studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor,minutesAbsent\n"
    for name, row in (("first", "Unexcused Absence,"), ("second", "Excused Absence,"), ("third", third)):
        run, _ = imports.run("attendance", io.BytesIO((header + f"1001,sch-100,2025-09-02,{row}\n").encode()),
                             f"{name}.csv", SETTINGS, today=TODAY)
        if name == "second":
            second = run
    counts = imports.undo(second, None)
    day = [(m.category.upper(), m.minutes) for m in AttendanceEvent.select()]
    assert [(c, m if c == "TARDY" else None) for c, m in day] == [(c, m) for c, m in left]
    assert counts["kept: changed since the import"] == 1


def test_an_import_undone_twice_at_once_is_undone_once(app):
    """Two presses of Undo (or two administrators) each holding the import
    as it was before either undid it: the second changes nothing and keeps
    the first's counts."""
    imports.run("oneroster", BULK, "bulk", SETTINGS)
    run, _ = imports.run("oneroster", DELTA, "delta", SETTINGS, confirmation="deactivate 1")
    first_press, second_press = ImportRun.get_by_id(run.id), ImportRun.get_by_id(run.id)
    counts = imports.undo(first_press, None)
    with pytest.raises(UndoRefused):
        imports.undo(second_press, None)
    assert ImportRun.get_by_id(run.id).undo_counts == counts


def test_undoing_contacts_and_calendars(app):
    imports.run("oneroster", BULK, "bulk", SETTINGS)
    ana = Guardian.get(Guardian.sourced_id == "par-1")
    text = "sourcedId,phone,email\npar-1,(555) 777-0000,[clear]\n"
    run, report = imports.run("contacts", io.BytesIO(text.encode()), "c.csv", SETTINGS)
    changed = Guardian.get_by_id(ana.id)
    assert (changed.phone, changed.email) == ("(555) 777-0000", "") and report.counts["values cleared"] == 1
    imports.undo(run, None)
    back = Guardian.get_by_id(ana.id)
    assert (back.phone, back.email) == (ana.phone, ana.email)
    with open(os.path.join(DATA, "calendar-2025-26.csv"), "rb") as f:
        cal, _ = imports.run("calendar", f, "calendar.csv", SETTINGS)
    from fieldapp.models import SchoolCalendar
    assert SchoolCalendar.select().count() >= 1
    imports.undo(cal, None)
    assert SchoolCalendar.select().count() == 0


def test_a_cancelled_preview_changes_nothing_and_stays_in_the_history(app):
    pending = imports.preview("oneroster", BULK, "bulk", SETTINGS)
    imports.cancel(pending.run)
    assert ImportRun.get_by_id(pending.run.id).outcome == "not_applied" and Student.select().count() == 0
    with pytest.raises(ValueError):
        imports.apply(pending)


def test_a_roster_preview_counts_what_applying_does_without_writing_its_new_people(app, tmp_path):
    """A preview of a roster without enrolments inserts none of its new
    students, guardians or links (stand-in ids count them); what it says
    must be what applying then does, shared identifiers included."""
    imports.run("oneroster", BULK, "first", SETTINGS, today=TODAY)
    folder = tmp_path / "roster"
    folder.mkdir()
    for name in ("orgs", "demographics"):
        (folder / f"{name}.csv").write_text((open(os.path.join(BULK, f"{name}.csv")).read()))
    (folder / "manifest.csv").write_text("propertyName,value\noneroster.version,1.1\nfile.orgs,bulk\n"
                                         "file.users,bulk\nfile.demographics,bulk\nfile.enrollments,absent\n")
    header = open(os.path.join(BULK, "users.csv")).readline()
    (folder / "users.csv").write_text(header + "\n".join([
        'stu-1001,,,true,sch-100,student,,,Mariana,García,Elena,1001,,,,"par-1,par-4",04,',
        "stu-1003,,,true,sch-100,student,,,Thanh,Nguyễn,,1003,,,,par-3,02,",
        "stu-2001,,,true,sch-200,student,,,Marco,García,,1001,,,,par-4,07,",
        "stu-2002,,,true,sch-100,student,,,Ada,Lee,,5000,,,,par-5,03,",
        "stu-2003,,,true,sch-200,student,,,Bo,Lee,,5000,,,,par-5,06,",
        'par-1,,,true,sch-100,parent,,,Ana,García,,,ana@example.org,,,"stu-1001",,',
        "par-3,,,true,sch-100,relative,,,Hoa,Nguyễn,,,,,(555) 300-1212,stu-1003,,",
        'par-4,,,true,sch-100,parent,,,Rosa,García,,,,,(555) 201-1111,"stu-1001,stu-2001",,',
        'par-5,,,true,sch-100,guardian,,,Min,Lee,,,,,(555) 201-2222,"stu-2002,stu-2003",,',
    ]) + "\n")
    before = state()
    pending = imports.preview("oneroster", str(folder), "second", SETTINGS, today=TODAY)
    assert state() == before and Guardian.select().where(Guardian.sourced_id == "par-5").count() == 0
    said = (dict(pending.report.counts), dict(pending.report.examples), list(pending.report.notes),
            pending.report.confirm_phrase)
    assert said[0]["students created"] == 3 and said[0]["guardians created"] == 2
    assert said[0]["students deactivated"] == 1 and said[0]["guardian links added"] == 4
    assert any("1001 (2 students)" in note and "5000 (2 students)" in note for note in said[2])
    run, report = imports.apply(pending, pending.report.confirm_phrase)
    assert run.outcome == "applied"
    assert (report.counts, report.examples, report.notes, report.confirm_phrase) == said
    counts = imports.undo(run, None)
    assert counts["students it created deactivated"] == 3 and counts["guardian links it added ended"] == 4
    assert Student.select().where(Student.sourced_id.in_(["stu-2001", "stu-2002", "stu-2003"]),
                                  Student.active == True).count() == 0  # noqa: E712


def test_a_bulk_roster_that_ends_most_guardian_links_needs_typed_confirmation(app, tmp_path):
    """A bulk users.csv that lists every student but no agentSourcedIds ends
    every link: no student is deactivated, yet letters lose their addresses."""
    from fieldapp.imports.oneroster import import_oneroster
    assert import_oneroster(BULK, "roster").applied
    with open(os.path.join(BULK, "users.csv"), encoding="utf-8") as f:
        rows = f.read().replace('"par-1,par-2"', "").replace('"stu-1001,stu-1002"', "")
    rows = rows.replace(",par-1,", ",,").replace(",par-3,", ",,").replace(",stu-1001,", ",,") \
        .replace(",stu-1003,", ",,")
    folder = str(tmp_path)
    for name in os.listdir(BULK):
        with open(os.path.join(BULK, name), encoding="utf-8") as f:
            text = f.read()
        with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
            f.write(rows if name == "users.csv" else text)
    before = state()
    pending = imports.preview("oneroster", folder, "no-agents", SETTINGS)
    assert pending.report.counts.get("students deactivated", 0) == 0
    assert pending.report.counts["guardian links ended"] == 4
    assert pending.report.confirm_phrase == "end 4 guardian links"
    with pytest.raises(imports.ConfirmationNeeded):
        imports.apply(pending, "yes")
    assert state() == before
    run, _ = imports.apply(pending, "End 4 guardian links")
    assert run.outcome == "applied" and not StudentGuardian.select().where(StudentGuardian.current()).exists()


def test_a_journal_writes_created_rows_once_they_name_a_flush_of_rows_not_at_the_end(app):
    """A district roster creates hundreds of thousands of rows in a few
    entries: held to the end, their ids filled the memory of the import."""
    from fieldapp.imports.journal import FLUSH, Journal
    from fieldapp.models import ImportChange, ImportRun
    run = ImportRun.create(kind="oneroster", filename="r.zip", outcome="previewed")
    journal = Journal(run.id)
    journal.created_rows("student", list(range(1, FLUSH)))
    assert ImportChange.select().count() == 0  # fewer rows than a flush: held
    journal.created_rows("student_guardian", [[1, 2]])
    assert ImportChange.select().count() == 2 and journal.entries == []
    journal.updated("student", 1, {"grade": "05"}, {"grade": "06"})
    journal.save(run.id)
    assert [c.action for c in ImportChange.select().order_by(ImportChange.id)] == ["created", "created", "updated"]


def test_undoing_a_rename_finds_the_student_by_the_name_put_back(app):
    """A roster that renamed a student, undone: look-up finds them by the name
    the undo put back, and no longer by the name it took away."""
    imports.run("oneroster", BULK, "bulk", SETTINGS)
    renamed, _ = imports.run("oneroster", DELTA, "delta", SETTINGS, confirmation="deactivate 1")
    assert [s.sourced_id for s in search("nguyen-tran")] == ["stu-1003"]
    imports.undo(renamed, None)
    assert Student.get(Student.sourced_id == "stu-1003").last_name == "Nguyễn"
    assert [s.sourced_id for s in search("thanh nguyen")] == ["stu-1003"]
    assert search("nguyen-tran") == []


def test_what_the_check_counted_is_in_the_applied_report_and_the_history_as_in_the_preview(app):
    pending = imports.preview("oneroster", BULK, "three-students", SETTINGS, today=TODAY)
    assert pending.report.counts["staff users skipped"] == 1
    assert pending.run.counts["staff users skipped"] == 1
    run, report = imports.apply(pending, pending.report.confirm_phrase)
    assert run.outcome == "applied"
    assert report.counts["staff users skipped"] == 1 and report.counts["students created"] == 3
    kept = ImportRun.get_by_id(run.id)
    assert kept.counts["staff users skipped"] == 1 and kept.counts["students created"] == 3
    assert report.counts == pending.report.counts  # applying did what the preview said
