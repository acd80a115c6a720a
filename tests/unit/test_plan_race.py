"""Two people editing one attendance plan at the same moment, on two real
connections: one edit makes the next version, the other is told that version
was saved meanwhile (its text kept by the form), so a version's text never
changes under a signature given on it. The first edit is held, written but
not committed, until the second waits on it (tests/unit/test_casework_races.py)."""
import datetime

import pytest

from fieldapp.documents import plans
from fieldapp.models import Plan
from fieldapp.timefmt import today_for_school
from tests import factories
from tests.races import race as _race


@pytest.fixture
def written(app):
    school = factories.gen_school("North")
    officer = factories.gen_user("officer", [school], name="Ann Officer")
    supervisor = factories.gen_user("supervisor", name="Sam Supervisor")
    case = factories.gen_case(factories.gen_student(school), officer)
    review = (today_for_school(school.id) + datetime.timedelta(days=30)).isoformat()
    form = {"barriers": "Bus route cut", "goals": "On time every day", "review_on": review}
    return officer, supervisor, case, form, plans.save_plan(officer, case, form)


def test_two_edits_of_one_plan_at_once_make_one_version(written):
    officer, supervisor, case, form, plan = written
    stale = Plan.get_by_id(plan.id)
    _, second = _race(
        lambda: plans.save_plan(officer, case, {**form, "goals": "Walk with a neighbour", "version": "1"},
                                Plan.get_by_id(plan.id)),
        lambda: plans.save_plan(supervisor, case, {**form, "goals": "Ride with the aunt", "version": "1"}, stale))
    assert isinstance(second, plans.PlanError), second
    assert second.version == 2
    assert "Someone saved version 2 of this plan while you were editing" in str(second.errors["goals"])
    now = Plan.get_by_id(plan.id)
    assert (now.version, now.goals, now.updated_by_id) == (2, "Walk with a neighbour", officer.id)


def test_an_edit_from_a_page_opened_on_an_older_version_is_refused(written):
    officer, supervisor, case, form, plan = written
    plans.save_plan(officer, case, {**form, "goals": "Walk with a neighbour", "version": "1"}, Plan.get_by_id(plan.id))
    with pytest.raises(plans.PlanError):
        plans.save_plan(supervisor, case, {**form, "goals": "Ride with the aunt", "version": "1"},
                        Plan.get_by_id(plan.id))
    again = plans.save_plan(supervisor, case, {**form, "goals": "Ride with the aunt", "version": "2"},
                            Plan.get_by_id(plan.id))
    assert (again.version, Plan.get_by_id(plan.id).goals) == (3, "Ride with the aunt")
