"""users.csv rows as exports spell them: status and role in any case, staff
left aside, rows without a sourcedId or with a bad status or role named by line."""
import os
import shutil

from fieldapp.imports.oneroster import import_oneroster
from fieldapp.models import Guardian, Student

BULK = os.path.join(os.path.dirname(__file__), "..", "data", "oneroster-bulk")
HEADER = ("sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,"
          "familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password\n")


def export(tmp_path, *rows):
    folder = tmp_path / "export"
    shutil.copytree(BULK, folder)
    (folder / "users.csv").write_text(HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    (folder / "demographics.csv").write_text("sourcedId,birthDate\n", encoding="utf-8")
    (folder / "enrollments.csv").write_text("sourcedId,schoolSourcedId,userSourcedId,role\n", encoding="utf-8")
    return str(folder)


def test_status_and_role_in_any_case_are_read_and_staff_is_left_aside(app, tmp_path):
    report = import_oneroster(export(
        tmp_path,
        "stu-1,Active,,true,sch-100,Student,,,Ana,Ruiz,,501,,,,par-1,03,",
        "stu-2,,,true,sch-100,STUDENT,,,Luis,Ruiz,,502,,,,,03,",
        "par-1,ACTIVE,,true,sch-100,Parent,,,Rosa,Ruiz,,,rosa@example.org,,,stu-1,,",
        "tch-1,,,true,sch-100,Teacher,,,Eva,Soto,,,,,,,,",
        "stu-3,TOBEDELETED,,true,sch-100,student,,,Old,Record,,503,,,,,03,"), "cases")
    assert report.outcome == "applied", report.problems
    assert sorted(Student.select(Student.sourced_id, Student.local_id).tuples()) == [("stu-1", "501"),
                                                                                     ("stu-2", "502")]
    assert [g.sourced_id for g in Guardian.select()] == ["par-1"]
    assert report.counts["staff users skipped"] == 1


def test_rows_without_a_sourced_id_or_with_a_bad_status_or_role_are_named_by_line(app, tmp_path):
    report = import_oneroster(export(
        tmp_path,
        "stu-1,,,true,sch-100,student,,,Ana,Ruiz,,501,,,,,03,",
        ",,,true,sch-100,student,,,No,Id,,502,,,,,03,",
        "stu-3,retired,,true,sch-100,student,,,Bad,Status,,503,,,,,03,",
        "stu-4,,,true,sch-100,wizard,,,Bad,Role,,504,,,,,03,",
        "stu-1,,,true,sch-100,student,,,Ana,Again,,501,,,,,03,"), "broken")
    assert report.outcome == "refused"
    problems = {line: reason for file, line, reason in report.problems if file == "users.csv"}
    assert problems == {3: "no sourcedId", 4: "status 'retired' must be active or tobedeleted",
                        5: "role 'wizard' is not a OneRoster role",
                        6: "sourcedId 'stu-1' is also on row 2, with other values: keep one of the two rows "
                           "(differs in familyName: 'Ruiz' vs 'Again')"}
    assert Student.select().count() == 0


def test_a_file_without_a_column_leaves_what_is_stored_for_it(app, tmp_path):
    """A users.csv with no phone, email, identifier, middleName or grades
    column says nothing of them: what is stored stays. An empty cell in a
    column the file has still clears a phone or an email."""
    report = import_oneroster(export(
        tmp_path,
        "stu-1,,,true,sch-100,student,,,Ana,Ruiz,María,501,,,(555) 201-0001,par-1,03,",
        "par-1,,,true,sch-100,parent,,,Rosa,Ruiz,,,rosa@example.org,,(555) 201-0002,stu-1,,"), "first")
    assert report.outcome == "applied", report.problems
    folder = tmp_path / "export"
    (folder / "users.csv").write_text(
        "sourcedId,status,orgSourcedIds,role,givenName,familyName,agentSourcedIds\n"
        "stu-1,,sch-100,student,Ana,Ruiz,par-1\npar-1,,sch-100,parent,Rosa,Ruiz,stu-1\n", encoding="utf-8")
    report = import_oneroster(str(folder), "without the columns")
    assert report.outcome == "applied", report.problems
    ana, rosa = Student.get(Student.sourced_id == "stu-1"), Guardian.get(Guardian.sourced_id == "par-1")
    assert (ana.local_id, ana.middle_name, ana.grade, ana.phone) == ("501", "María", "03", "(555) 201-0001")
    assert (rosa.email, rosa.phone) == ("rosa@example.org", "(555) 201-0002")
    assert "values cleared" not in report.counts
    # the column there, its cell empty: cleared, and said
    (folder / "users.csv").write_text(
        "sourcedId,status,orgSourcedIds,role,givenName,familyName,agentSourcedIds,phone\n"
        "stu-1,,sch-100,student,Ana,Ruiz,par-1,\npar-1,,sch-100,parent,Rosa,Ruiz,stu-1,\n", encoding="utf-8")
    report = import_oneroster(str(folder), "empty phones")
    assert report.outcome == "applied", report.problems
    assert Student.get(Student.sourced_id == "stu-1").phone == "" and report.counts["values cleared"] == 2
    assert Guardian.get(Guardian.sourced_id == "par-1").email == "rosa@example.org"


def test_a_parent_is_kept_a_parent_and_a_link_stored_as_guardian_takes_the_files_relationship(app, tmp_path):
    """OneRoster's role parent was stored as guardian: the student page, letters and the case
    report called a parent a legal guardian."""
    from fieldapp import imports
    from fieldapp.models import StudentGuardian
    from fieldapp.rules.settings import RuleSettings
    folder = export(
        tmp_path,
        "stu-1,,,true,sch-100,student,,,Ana,Ruiz,,501,,,,\"par-1,gdn-1,rel-1\",03,",
        "par-1,,,true,sch-100,parent,,,Rosa,Ruiz,,,,,,stu-1,,",
        "gdn-1,,,true,sch-100,guardian,,,Juan,Soto,,,,,,stu-1,,",
        "rel-1,,,true,sch-100,relative,,,Eva,Ruiz,,,,,,stu-1,,")
    assert import_oneroster(folder, "first").outcome == "applied"

    def relationships():
        return dict(StudentGuardian.select(Guardian.sourced_id, StudentGuardian.relationship)
                    .join(Guardian).tuples())
    assert relationships() == {"par-1": "parent", "gdn-1": "guardian", "rel-1": "relative"}
    StudentGuardian.update(relationship="guardian").execute()  # as imports before stored a parent
    run, report = imports.run("oneroster", folder, "again", RuleSettings())
    assert report.counts["guardian relationships changed"] == 2, report.counts
    assert relationships() == {"par-1": "parent", "gdn-1": "guardian", "rel-1": "relative"}
    assert imports.undo(run, None)["guardian relationships put back"] == 2
    assert set(relationships().values()) == {"guardian"}


def test_an_enrolment_with_an_empty_user_or_school_says_which_cell_is_empty(app, tmp_path):
    folder = export(tmp_path, "stu-1,,,true,sch-100,student,,,Ana,Ruiz,,501,,,,,03,")
    with open(os.path.join(folder, "enrollments.csv"), "a", encoding="utf-8") as enrollments:
        enrollments.write("e-1,sch-100,,student\ne-2,,stu-1,student\n")
    report = import_oneroster(folder, "empty cells")
    problems = {line: str(reason) for file, line, reason in report.problems if file == "enrollments.csv"}
    assert problems == {2: "userSourcedId is empty: give the student's sourcedId",
                        3: "schoolSourcedId is empty: give the school's sourcedId"}
