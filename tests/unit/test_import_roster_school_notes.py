"""What a roster preview says when users.csv and the enrolments disagree on a
student's school: a student enrolled only at another school than users.csv
gives them."""
import datetime
import shutil

from fieldapp import imports
from fieldapp.rules.settings import RuleSettings
from tests.unit.test_import_enrolment_assumed import BULK
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
