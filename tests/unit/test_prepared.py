"""A query prepared once (fieldapp.db.Prepared) answers what the same Peewee
query answers when built anew, whatever values it is run with."""
import datetime

from fieldapp.db import Param, Params, Prepared, PreparedBySize
from fieldapp.models import Case, School, Student, User
from tests import factories

STUDENT_WITH_SCHOOL = Prepared(lambda: Student.select(Student, School).join(School)
                               .where(Student.id == Param("id")).limit(1))
CASES_FOLLOWED_UP_BEFORE = Prepared(lambda: Case.select(Case.id).where(
    (Case.officer == Param("officer")) & (Case.next_follow_up < Param("day"))).order_by(Case.id).tuples())


def test_a_prepared_query_gives_the_rows_of_the_query_built_anew(app):
    school = factories.gen_school("Lincoln Elementary")
    officer = factories.gen_user("officer", [school])
    first, second = (factories.gen_student(school, first=name) for name in ("Ana", "Luis"))
    for student, due in ((first, datetime.date(2026, 9, 1)), (second, datetime.date(2026, 10, 1))):
        case = factories.gen_case(student, officer)
        Case.update(next_follow_up=due).where(Case.id == case.id).execute()

    for student in (first, second):
        found = STUDENT_WITH_SCHOOL.first(id=student.id)
        built = Student.select(Student, School).join(School).where(Student.id == student.id).get()
        assert found.first_name == built.first_name and found.school.name == "Lincoln Elementary"
    assert STUDENT_WITH_SCHOOL.first(id=first.id + second.id + 1) is None

    # A model and a date are converted as the column converts them, on every run.
    for day, expected in ((datetime.date(2026, 9, 15), 1), (datetime.date(2026, 12, 1), 2)):
        rows = CASES_FOLLOWED_UP_BEFORE.rows(officer=User.get_by_id(officer.id), day=day)
        built = list(Case.select(Case.id).where((Case.officer == officer) & (Case.next_follow_up < day))
                     .order_by(Case.id).tuples())
        assert rows == built and len(rows) == expected


CASES_BY_ID = PreparedBySize(lambda n: Case.select(Case, Student).join(Student)
                             .where(Case.id.in_(Params("ids", n))).order_by(Case.id))
CASE_ROWS_BY_ID = PreparedBySize(lambda n: Case.select().where(Case.id.in_(Params("ids", n))).order_by(Case.id).dicts())


def test_how_its_rows_are_read_is_worked_out_once_and_holds_for_every_later_run(app):
    """Which column fills which field (and which model of a join) is worked out on a
    query's first run and kept: later runs, of other rows or none, read theirs alike."""
    school = factories.gen_school("Lincoln Elementary")
    officer = factories.gen_user("officer", [school])
    cases = [factories.gen_case(factories.gen_student(school, first=name), officer) for name in ("Ana", "Luis")]
    Case.update(next_follow_up=datetime.date(2026, 9, 1)).where(Case.id == cases[1].id).execute()

    assert CASES_BY_ID.rows(1, ids=[cases[-1].id + 100]) == []  # a first run that finds nothing
    for case, name in zip(cases, ("Ana", "Luis")):
        found = CASES_BY_ID.first(1, ids=[case.id])
        assert (found.id, found.student.first_name, found.officer_id) == (case.id, name, officer.id)
    both = CASES_BY_ID.rows(2, ids=[c.id for c in cases])
    assert [c.student.first_name for c in both] == ["Ana", "Luis"]

    for run in range(2):
        rows = CASE_ROWS_BY_ID.rows(2, ids=[c.id for c in cases])
        built = list(Case.select().where(Case.id.in_([c.id for c in cases])).order_by(Case.id).dicts())
        assert rows == built and rows[1]["next_follow_up"] == datetime.date(2026, 9, 1)
