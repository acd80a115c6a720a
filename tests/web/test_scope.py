"""Beyond single records: lists, look-ups and households never show a child
outside the user's schools."""
import pytest

from fieldapp.models import StudentGuardian
from tests import factories
from tests.web.conftest import page_text


@pytest.fixture
def family(world):
    """A brother at school A and a sister at school B of María (school A)."""
    brother = factories.gen_student(world["school_a"], first="Mateo", last="García")
    sister = factories.gen_student(world["school_b"], first="Sofía", last="García")
    guardian = factories.gen_guardian([world["student_a"], brother, sister], first="Rosa")
    assert StudentGuardian.select().where(StudentGuardian.guardian == guardian).count() == 3
    return {"brother": brother, "sister": sister,
            "brother_case": factories.gen_case(brother, world["officer"]),
            "sister_case": factories.gen_case(sister, world["other_officer"])}


@pytest.mark.parametrize("role,sees_b", [("officer", False), ("front_office", False),
                                         ("supervisor", True), ("admin", True)])
def test_search_finds_only_students_in_scope(client, world, login_as, family, role, sees_b):
    login_as(role)
    for headers in ({}, {"HX-Request": "true"}):
        text = page_text(client.get("/students", query_string={"q": "garcia"}, headers=headers))
        assert "María" in text and "Mateo" in text
        assert ("Sofía" in text) is sees_b
        by_name = page_text(client.get("/students", query_string={"q": "nunez jose"}, headers=headers))
        assert ("Núñez" in by_name) is sees_b


def test_search_by_id_of_a_student_out_of_scope_finds_nothing(client, world, login_as):
    login_as("officer")
    text = page_text(client.get("/students", query_string={"q": world["student_b"].local_id}))
    assert "Núñez" not in text and "No student matches" in text


def test_the_household_shows_only_siblings_in_scope(client, world, login_as, family):
    login_as("officer")
    record = page_text(client.get(f"/students/{world['student_a'].id}"))
    assert "Mateo" in record and "Sofía" not in record
    form = page_text(client.get(f"/cases/{world['case_a'].id}/contacts/new"))
    assert "Mateo" in form and "Sofía" not in form


def test_a_supervisor_sees_the_whole_household(client, world, login_as, family):
    login_as("supervisor")
    record = page_text(client.get(f"/students/{world['student_a'].id}"))
    assert "Mateo" in record and "Sofía" in record


def test_the_caseload_holds_only_the_officers_own_cases(client, world, login_as, family):
    login_as("officer")
    text = page_text(client.get("/caseload"))
    assert "García, María" in text and "García, Mateo" in text
    assert "Sofía" not in text and "Núñez" not in text


def test_the_front_office_list_holds_only_its_school(client, world, login_as, family):
    login_as("front_office")
    text = page_text(client.get("/office"))
    assert "García, María" in text and "García, Mateo" in text
    assert "Sofía" not in text and "Núñez" not in text


def test_the_district_log_shows_every_school_to_a_supervisor(client, world, login_as):
    login_as("supervisor")
    text = page_text(client.get("/supervisor/contacts"))
    assert "García, María" in text and "Núñez, José" in text
    only_b = page_text(client.get("/supervisor/contacts",
                                  query_string={"school": world["school_b"].id}))
    assert "Núñez, José" in only_b and "García, María" not in only_b
