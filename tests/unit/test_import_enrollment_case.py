"""An enrollments.csv sourcedId differing only in case from another row's (ENR-1, enr-1), or from a stored
enrolment record's, is a row problem naming the other, as users.csv and orgs.csv ids are: read as two
records, one typed twice kept a span the other meant to end."""
from fieldapp.imports.oneroster import import_oneroster
from fieldapp.models import RosterEnrollment
from tests.unit.test_import_roster_stored_case import export
from tests.unit.test_import_roster_words import lines_of, with_rows


def test_two_enrollment_ids_differing_only_in_case_in_one_file_are_a_row_problem(app, tmp_path):
    folder = export(tmp_path, "one")
    rows = lines_of(folder, "enrollments.csv")
    with_rows(folder, "enrollments.csv", "ENR-1,,,cls-4a,sch-100,stu-1001,student,false,2025-08-18,2025-12-19")
    report = import_oneroster(str(folder), "one")
    assert report.outcome == "refused"
    assert ["enrollments.csv", len(rows) + 1, "sourcedId 'ENR-1' differs only in case from 'enr-1' on row 2: one "
            "record typed twice, most likely; keep one of the two rows"] in report.problems
    assert RosterEnrollment.select().where(RosterEnrollment.sourced_id == "ENR-1").count() == 0


def test_an_enrollment_id_differing_only_in_case_from_a_stored_record_is_a_row_problem(app, tmp_path):
    first = export(tmp_path, "first")
    assert import_oneroster(str(first), "first").outcome == "applied"
    later = export(tmp_path, "later")
    (later / "enrollments.csv").write_text((later / "enrollments.csv").read_text(encoding="utf-8").replace(
        "enr-2,,,cls-7m", "ENR-2,,,cls-7m"), encoding="utf-8")
    report = import_oneroster(str(later), "later")
    assert report.outcome == "refused"
    assert ["enrollments.csv", 3, "sourcedId 'ENR-2' differs only in case from 'enr-2' of an "
            "enrollment record, stored already: one record typed twice, most likely; write the sourcedId as "
            "stored ('enr-2')"] in report.problems
    again = import_oneroster(str(first), "again")
    assert again.outcome == "applied", again.problems
