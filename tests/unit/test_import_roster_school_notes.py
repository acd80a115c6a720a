"""What a roster preview says when users.csv and the enrolments disagree on a
student's school: a student enrolled only at another school than users.csv
gives them, and a student moved by users.csv with no enrolment saying when."""
import datetime
import shutil

from fieldapp import imports
from fieldapp.models import Enrollment, Student
from fieldapp.rules.settings import RuleSettings
from tests.unit.test_import_enrolment_assumed import BULK, students_without_enrolments
from tests.unit.test_import_transfer_spans import USERS

D = datetime.date


def roster_with(tmp_path, name, enrolments):
    folder = tmp_path / name
    shutil.copytree(BULK, folder)
    text = (folder / "enrollments.csv").read_text()
    for old, new in enrolments.items():
        text = text.replace(old, new)
    (folder / "enrollments.csv").write_text(text)
    return str(folder)


def notes_with(report, words):
    return [note for note in report.notes if words in note]


def test_a_student_enrolled_only_at_another_school_than_users_csv_gives_is_named(app, tmp_path):
    folder = roster_with(tmp_path, "r", {"cls-4a,sch-100,stu-1001": "cls-7m,sch-200,stu-1001"})
    pending = imports.preview("oneroster", folder, "r", RuleSettings(), today=D(2025, 9, 1))
    assert notes_with(pending.report, "in users.csv") == [
        "1 student is at one school in users.csv (orgSourcedIds) but enrolled only at another in enrollments.csv: "
        "their days enrolled, and the marks that count, are the enrolment's school's, while their case and letters "
        "follow the users.csv school; correct whichever file is wrong: María García (1001): Lincoln Elementary in "
        "users.csv, enrolled at Riverside Middle School"]
    # a student enrolled at their own school too is not named
    folder = roster_with(tmp_path, "s", {"enr-4,,,cls-2b,sch-100": "enr-4,,,cls-2b,sch-200"})
    both = roster_with(tmp_path, "t", {})
    with open(f"{both}/enrollments.csv", "a") as stream:
        stream.write("enr-6,,,cls-7m,sch-200,stu-1001,student,false,2025-08-18,\n")
    for name, path in (("s", folder), ("t", both)):
        said = notes_with(imports.preview("oneroster", path, name, RuleSettings(), today=D(2025, 9, 1)).report,
                          "in users.csv")
        assert said == ([] if name == "t" else [
            "1 student is at one school in users.csv (orgSourcedIds) but enrolled only at another in enrollments.csv: "
            "their days enrolled, and the marks that count, are the enrolment's school's, while their case and "
            "letters follow the users.csv school; correct whichever file is wrong: Thanh Nguyễn (1003): Lincoln "
            "Elementary in users.csv, enrolled at Riverside Middle School"])


MOVED = ("1 student is moved to another school by users.csv with no enrolment saying when: the move is taken as the "
         "day of this import, so an enrolment open at the old school ends the day before; to give the real day, send "
         "enrollments.csv with the endDate at the old school and the beginDate at the new one: María García (1001): "
         "Lincoln Elementary until Jan 19, 2026, Riverside Middle School from Jan 20, 2026")


def users_only(tmp_path, name):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "manifest.csv").write_text("propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\n"
                                         "file.orgs,absent\nfile.users,delta\nfile.demographics,absent\n"
                                         "file.enrollments,absent\n")
    (folder / "users.csv").write_text(USERS)
    return str(folder)


def test_a_move_by_users_csv_alone_says_the_old_enrolment_ends_the_day_before(app, tmp_path):
    imports.run("oneroster", BULK, "first", RuleSettings(), today=D(2025, 8, 18))
    maria = Student.get(Student.sourced_id == "stu-1001")
    pending = imports.preview("oneroster", users_only(tmp_path, "u"), "u", RuleSettings(), today=D(2026, 1, 20))
    assert notes_with(pending.report, "moved to another school") == [MOVED]
    run, report = imports.apply(pending, pending.report.confirm_phrase)
    assert run.outcome == "applied", report.problems
    assert notes_with(report, "moved to another school") == [MOVED]
    assert sorted((e.school.sourced_id, e.begin_date, e.end_date)
                  for e in Enrollment.select().where(Enrollment.student == maria)) == [
        ("sch-100", D(2025, 8, 18), D(2026, 1, 19)), ("sch-200", D(2026, 1, 20), None)]


def test_a_move_of_a_student_counted_all_year_by_assumption_says_so_too(app, tmp_path):
    students_without_enrolments()
    pending = imports.preview("oneroster", users_only(tmp_path, "u"), "u", RuleSettings(), today=D(2026, 1, 20))
    assert notes_with(pending.report, "moved to another school") == [MOVED]


def test_a_delta_enrolling_a_student_at_a_second_school_names_only_those_with_no_year_at_theirs(app, tmp_path):
    imports.run("oneroster", BULK, "first", RuleSettings(), today=D(2025, 8, 18))
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "manifest.csv").write_text("propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\n"
                                         "file.orgs,absent\nfile.users,delta\nfile.demographics,absent\n"
                                         "file.enrollments,delta\n")
    (folder / "users.csv").write_text(USERS.replace("sch-200", "sch-100")  # María stays at Lincoln, enrolled there
                                      + "stu-1009,,,true,sch-100,student,nnew,{SIS:1009},Nora,New,,1009,,,,,03,\n")
    (folder / "enrollments.csv").write_text(
        "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,"
        "endDate\nenr-9,,,cls-7m,sch-200,stu-1001,student,false,2025-11-03,\n"
        "enr-10,,,cls-7m,sch-200,stu-1009,student,false,2025-11-03,\n")
    said = notes_with(imports.preview("oneroster", str(folder), "d", RuleSettings(), today=D(2026, 1, 20)).report,
                      "in users.csv")
    assert len(said) == 1 and said[0].startswith("1 student is") and said[0].endswith(
        "Nora New (1009): Lincoln Elementary in users.csv, enrolled at Riverside Middle School")


def test_a_move_the_enrolments_date_is_not_said_to_be_taken_as_today(app, tmp_path):
    from tests.unit.test_import_transfer_spans import move
    students_without_enrolments()
    enrolment = "enr-9,active,,cls-7m,sch-200,stu-1001,student,false,2025-11-03,\n"
    pending = imports.preview("oneroster", move(tmp_path, "m", enrolment), "m", RuleSettings(), today=D(2026, 1, 20))
    assert not notes_with(pending.report, "moved to another school")
