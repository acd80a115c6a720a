"""A student no longer on the roster whose case is still open: the student
page says, beside the open case, that the student is inactive and why --
the case is off the officers' caseloads, and whoever opens it must know."""
import os

from fieldapp import imports
from fieldapp.cases import lifecycle
from fieldapp.models import Student
from fieldapp.rules.settings import RuleSettings
from tests import factories
from tests.web.conftest import page_text, sign_in

DATA = os.path.join(os.path.dirname(__file__), "..", "data")


def test_the_page_of_an_inactive_student_with_an_open_case_says_inactive_and_why(app, client, auth):
    imports.run("oneroster", os.path.join(DATA, "oneroster-bulk"), "bulk", RuleSettings())
    jose = Student.get(Student.sourced_id == "stu-1002")
    supervisor = factories.gen_user("supervisor")
    sign_in(client, auth, supervisor)
    lifecycle.open_case(supervisor, jose, {"officer": ""})
    page = page_text(client.get(f"/students/{jose.id}"))
    assert "Student inactive" not in page
    run, _ = imports.run("oneroster", os.path.join(DATA, "oneroster-delta"), "delta.zip", RuleSettings(),
                         confirmation="deactivate 1")
    assert Student.get_by_id(jose.id).active is False
    page = " ".join(page_text(client.get(f"/students/{jose.id}")).split())
    assert '<span class="pill open">Open</span>' in page
    assert '<span class="pill inactive">Student inactive</span>' in page
    assert f"Marked inactive by import #{run.id} (delta.zip) on " in page
