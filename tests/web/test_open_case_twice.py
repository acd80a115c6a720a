"""One open case per student, also when the form is sent twice at once (a
double tap on a slow phone): the database keeps the promise, and the request
that lost is told the student already has an open case, never a 500."""
import concurrent.futures

import pytest
from peewee import IntegrityError

from fieldapp.db import database
from fieldapp.models import Case
from tests import factories
from tests.conftest import csrf_token_from, posted, served_as


@pytest.mark.parametrize("round_", range(4))
def test_the_same_case_opened_six_times_at_once_is_opened_once(app, world, round_):
    student = factories.gen_student(world["school_a"])
    with served_as(app, world["officer"]) as (base, opener):
        form = opener.open(f"{base}/students/{student.id}/cases/new", timeout=60).read().decode()
        fields = {"stage": "monitoring", "note": "Twice", "csrf_token": csrf_token_from(form)}
        with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
            statuses = list(pool.map(lambda _: posted(opener, f"{base}/students/{student.id}/cases/new",
                                                      fields), range(6)))
    assert 500 not in statuses, statuses
    assert Case.select().where(Case.student == student, Case.status == "open").count() == 1


def test_the_database_itself_refuses_a_second_open_case(world):
    case = world["case_a"]
    with pytest.raises(IntegrityError):
        with database.atomic():
            Case.create(student=case.student_id, school=case.school_id, school_year=case.school_year,
                        stage="monitoring", opened_by=world["officer"])
    # A closed case beside the open one is fine.
    Case.create(student=case.student_id, school=case.school_id, school_year=case.school_year,
                stage="monitoring", opened_by=world["officer"], status="closed")
