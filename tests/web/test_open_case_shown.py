"""A person's "Open case" for a student who has an open case, one opened
a moment before or at the same moment (a double tap, another officer, an
import): they are shown that case on the student's page, with the note they
typed in the message; never the form again, never a 500. The race is real:
another connection holds the other case written but not committed until
this request waits on it (see tests/unit/test_open_case_race.py)."""
from fieldapp.models import Case
from tests import factories
from tests.races import race
from tests.unit.test_open_case_race import open_by_hand


def test_an_officer_who_opens_a_case_at_the_same_moment_as_another_is_shown_it(app, world, auth):
    student = factories.gen_student(world["school_a"])
    auth.login(world["officer"])
    url = f"/students/{student.id}/cases/new"
    form = {"stage": "monitoring", "note": "Called home"}
    _, response = race(lambda: open_by_hand(world["officer"], student), lambda: auth.post(url, data=form))
    assert not isinstance(response, Exception), response
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/students/{student.id}")
    page = auth.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "This student already has an open case; here it is. Your note was not added to it: Called home" in page
    assert Case.select().where(Case.student == student, Case.status == "open").count() == 1


def test_opening_a_case_for_a_student_who_has_one_shows_it(app, world, auth):
    auth.login(world["officer"])
    student = world["student_a"]
    response = auth.post(f"/students/{student.id}/cases/new", data={"stage": "monitoring", "note": " "})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/students/{student.id}")
    page = auth.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "This student already has an open case; here it is." in page
    assert Case.select().where(Case.student == student).count() == 1
