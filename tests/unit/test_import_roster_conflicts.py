"""A roster never leaves the district's files unmatchable without saying so:
two schools never share one code, one identifier twice at one school reads
as the conflict it is."""
import datetime
import io
import os

from fieldapp.imports.attendance import import_attendance
from fieldapp.imports.steps import apply_now
from fieldapp.models import School

DATA = os.path.join(os.path.dirname(__file__), "..", "data")
EDFI_ROSTER = os.path.join(DATA, "edfi-oneroster")
TODAY = datetime.date(2021, 12, 1)
ORGS_HEADER = "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\n"


def delta(tmp_path, name, files):
    """A delta export carrying files ({name: text})."""
    folder = tmp_path / name
    folder.mkdir()
    marks = "".join(f"file.{part},{'delta' if part in files else 'absent'}\n"
                    for part in ("orgs", "users", "demographics", "enrollments"))
    (folder / "manifest.csv").write_text("propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\n" + marks)
    for part, text in files.items():
        (folder / f"{part}.csv").write_text(text)
    return str(folder)


def test_a_school_given_another_schools_code_is_refused_naming_that_school(app, tmp_path):
    assert apply_now("oneroster", EDFI_ROSTER, "grand-bend", today=TODAY).applied
    path = delta(tmp_path, "r2", {"orgs": ORGS_HEADER + "h-cc33,active,,Grand Bend Alternative,school,255901001,\n"})
    report = apply_now("oneroster", path, "r2", today=TODAY)
    assert not report.applied and School.select().where(School.identifier == "255901001").count() == 1
    (file, line, reason), = report.problems
    assert (file, line) == ("orgs.csv", 2) and "255901001" in reason and "Grand Bend High School" in reason
    # a school keeping its own code, and a new one with a code of its own, pass
    fine = delta(tmp_path, "r3", {"orgs": ORGS_HEADER + "h-cc34,active,,Grand Bend Alternative,school,255901044,\n"
                                  f"{HIGH},active,,Grand Bend High School,school,255901001,\n"})
    assert apply_now("oneroster", fine, "r3", today=TODAY).applied
    header = "studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor\n"
    marks = import_attendance(io.BytesIO((header + "604822,255901001,2021-09-08,Tardy\n").encode()),
                              "attendance.csv", False, TODAY)
    assert marks.applied, marks.problems


def test_two_new_schools_with_one_code_in_one_file_are_refused(app, tmp_path):
    path = delta(tmp_path, "r1", {"orgs": ORGS_HEADER + "s-1,active,,One,school,777,\ns-2,active,,Two,school,777,\n"})
    report = apply_now("oneroster", path, "r1", today=TODAY)
    (file, line, reason), = report.problems
    assert line == 3 and "One (sourcedId s-1)" in reason


USERS_HEADER = ("sourcedId,status,dateLastModified,orgSourcedIds,role,username,userId,givenName,familyName,"
                "identifier,email,sms,phone,agents\n")
HIGH = "0c3b5a7e9d1f4b2a8c6e4d2f0a1b3c51"
HIROSHI = "3d1a9e7c5b2f4d4a0c8e6a4f2b1d9c13"


def test_one_identifier_twice_at_one_school_is_a_conflict_not_a_match_by_school(app, tmp_path):
    from fieldapp.imports.steps import preview
    from fieldapp.rules.settings import RuleSettings
    assert apply_now("oneroster", EDFI_ROSTER, "grand-bend", today=TODAY).applied
    path = delta(tmp_path, "r2", {"users": USERS_HEADER + f"x-1,active,,{HIGH},student,604823,604823,Hana,"
                                                         "Tanaka,604823,,,,\n"})
    previewed = preview("oneroster", path, "r2", RuleSettings(), today=TODAY).report
    for report in (previewed, apply_now("oneroster", path, "r2", today=TODAY)):
        conflict = [note for note in report.notes if "604823" in note]
        assert len(conflict) == 1 and conflict[0].startswith("Conflict: 1 identifier is held by more than one "
                                                              "active student at the same school"), report.notes
        assert "will be row problems" in conflict[0] and "604823 (2 students)" in conflict[0]
        matched = [note for note in report.notes if "matched by its schoolId" in note]
        assert matched and "604822 (2 students)" in matched[0] and "604823" not in matched[0]


ENROLLMENT_HEADER = ("sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,"
                     "primary,beginDate,endDate\n")


def test_undoing_a_roster_keeps_and_names_the_enrolment_a_later_delta_ended(app, tmp_path):
    from fieldapp.imports import run
    from fieldapp.imports.undo import preview_changed, undo
    from fieldapp.models import Enrollment, RosterEnrollment, Student
    from fieldapp.rules.settings import RuleSettings
    D = datetime.date
    assert apply_now("oneroster", os.path.join(DATA, "oneroster-bulk"), "bulk", today=D(2025, 8, 18)).applied
    new = "e-1,active,,cls-pe,sch-200,stu-1002,student,false,2026-01-12,\n"
    r1, report = run("oneroster", delta(tmp_path, "r1", {"enrollments": ENROLLMENT_HEADER + new}), "r1",
                     RuleSettings(), today=D(2026, 1, 12))
    assert r1.outcome == "applied", report.problems
    gone = "e-1,tobedeleted,,cls-pe,sch-200,stu-1002,student,false,2026-01-12,2026-02-20\n"
    r2, report = run("oneroster", delta(tmp_path, "r2", {"enrollments": ENROLLMENT_HEADER + gone}), "r2",
                     RuleSettings(), today=D(2026, 2, 21))
    assert r2.outcome == "applied", report.problems
    record = RosterEnrollment.get(RosterEnrollment.sourced_id == "e-1")
    named = preview_changed(r1)
    assert any("e-1" in line and f"by import {r2.id}" in line for line in named), named
    counts = undo(r1, None)
    assert RosterEnrollment.get_by_id(record.id).status == "tobedeleted"
    which = counts["which"]["kept: changed since the import"]
    assert any("enrollment record e-1 of" in line and f"changed since by import {r2.id}, kept" in line
               for line in which), which
    jose = Student.get(Student.sourced_id == "stu-1002")
    spans = Enrollment.select().where(Enrollment.student == jose).count()
    # undoing the later delta then leaves the record as it was before both: the first, which added it, is undone
    counts = undo(r2, None)
    assert RosterEnrollment.get_or_none(RosterEnrollment.id == record.id) is None
    assert counts["enrollment records an import undone since had added removed"] == 1
    assert Enrollment.select().where(Enrollment.student == jose).count() == spans


def test_a_delta_reactivating_a_student_at_a_deactivated_school_warns_in_its_preview(app, tmp_path):
    from fieldapp.imports.steps import preview
    from fieldapp.models import Student
    from fieldapp.rules.settings import RuleSettings
    assert apply_now("oneroster", EDFI_ROSTER, "grand-bend", today=TODAY).applied
    School.update(active=False).where(School.sourced_id == HIGH).execute()  # as undoing the roster that made it
    Student.update(active=False).execute()
    row = f"{HIROSHI},active,,{HIGH},student,604823,604823,Hiroshi,Tanaka,604823,,,,\n"
    report = preview("oneroster", delta(tmp_path, "r2", {"users": USERS_HEADER + row}), "r2", RuleSettings(),
                     today=TODAY).report
    assert report.counts.get("students reactivated") == 1
    warned = [note for note in report.notes if note.startswith("Check users.csv: 1 student is active at a school "
                                                               "that is deactivated")]
    assert len(warned) == 1 and warned[0].endswith(f": Hiroshi Tanaka ({HIROSHI})"), report.notes
    School.update(active=True).execute()
    report = preview("oneroster", delta(tmp_path, "r3", {"users": USERS_HEADER + row}), "r3", RuleSettings(),
                     today=TODAY).report
    assert not [note for note in report.notes if note.startswith("Check users.csv")]
