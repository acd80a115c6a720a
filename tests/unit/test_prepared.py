"""A query prepared once (fieldapp.db.Prepared) answers what the same Peewee
query answers when built anew, whatever values it is run with."""
import datetime

from fieldapp.db import Param, Prepared
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
