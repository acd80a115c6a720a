"""Finding the open cases of some named students starts from the students'
own index. SQLite without statistics (a database in use has none) took an
index on (status, ...) for "status = 'open' AND student_id IN (...)" and
walked every open case of the district: 6 ms per worklist section on the
bench district of 100,000 students, where the student's index takes a few
microseconds."""
import pytest

from fieldapp.cases import contacts, lifecycle
from fieldapp.db import is_postgres
from fieldapp.rules import worklist
from tests import factories
from tests.query_plans import recorded, sqlite_plan


@pytest.fixture
def named(app):
    school = factories.gen_school()
    officer = factories.gen_user("officer", [school])
    students = [factories.gen_student(school, first=f"S{i}") for i in range(4)]
    closed = factories.gen_case(students[0], officer)
    lifecycle.close_case(officer, closed, {"closure_reason": "attendance_improved"})
    opened = {s.id: factories.gen_case(s, officer).id for s in students[:3]}
    others = [factories.gen_case(factories.gen_student(school), officer) for _ in range(5)]
    return students, opened, others


def _plans(run):
    found, statements = recorded(run, "case")
    plans = [sqlite_plan(sql, params) for sql, params in statements]
    return found, None if is_postgres() else plans


@pytest.mark.parametrize("find", [
    lambda students: {sid: c.id for sid, c in worklist._open_cases([s.id for s in students]).items()},
    lambda students: {sid: c.id for sid, c in worklist._open_cases([s.id for s in students], ids_only=True).items()},
    lambda students: {sid: c.id for sid, c in contacts.open_cases_of(students).items()},
], ids=["worklist", "worklist ids", "contacts"])
def test_the_open_cases_of_named_students_are_found_from_the_students_index(named, find):
    students, opened, _ = named
    found, plans = _plans(lambda: find(students))
    assert found == opened  # the closed case and the other students' cases left out
    if plans is None:
        return
    assert plans
    for plan in plans:
        assert "USING INDEX case_student_id" in plan or "USING INDEX case_one_open_per_student" in plan, plan
        assert "(status=?)" not in plan, plan
