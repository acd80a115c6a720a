"""Two people changing the same case at the same moment, on two real
connections: closing it, moving its stage, marking its follow-up done (or
one marking it done while a contact replaces it). One change happens; the
other person is told what happened meanwhile, and the case's history has
one line per change that happened.

The first change is written but not committed in another connection while
the second runs. On PostgreSQL the second waits at the case's (or the
follow-up's) row and then reads what the first wrote; on SQLite a
transaction takes the write lock as it begins, so the second waits there."""
import datetime
import uuid

import pytest

from fieldapp.cases import contacts as logic, followups, lifecycle
from fieldapp.models import Case, CaseEvent, FollowUp
from tests import factories
from tests.unit.test_contacts import local
from tests.races import race


@pytest.fixture
def people(app):
    school = factories.gen_school("North")
    officer = factories.gen_user("officer", [school], name="Ann Officer")
    supervisor = factories.gen_user("supervisor", name="Sam Supervisor")
    case = factories.gen_case(factories.gen_student(school), officer)
    return officer, supervisor, case


def _events(case, kind):
    return [(e.to_value, e.by_id) for e in CaseEvent.select().where(
        (CaseEvent.case == case.id) & (CaseEvent.kind == kind)).order_by(CaseEvent.id)]


def test_a_case_closed_by_two_at_once_is_closed_once(people):
    officer, supervisor, case = people
    stale = Case.get_by_id(case.id)  # the second person's page, read before the first closed it
    _, second = race(
        lambda: lifecycle.close_case(officer, Case.get_by_id(case.id), {"closure_reason": "attendance_improved"}),
        lambda: lifecycle.close_case(supervisor, stale, {"closure_reason": "moved_away", "closure_note": "Gone"}))
    assert isinstance(second, lifecycle.CaseError), second
    assert str(second.errors["closure_reason"]) == (
        "Ann Officer closed this case meanwhile (Attendance improved); nothing was changed. "
        "Your note is kept below.")
    closed = Case.get_by_id(case.id)
    assert (closed.status, closed.closure_reason, closed.closed_by_id) == ("closed", "attendance_improved", officer.id)
    assert _events(case, "closed") == [("attendance_improved", officer.id)]


def test_a_stage_changed_by_two_at_once_changes_once(people):
    officer, supervisor, case = people
    stale = Case.get_by_id(case.id)
    form = {"note": "Three absences", "without_record": "yes"}
    _, second = race(
        lambda: lifecycle.change_stage(officer, Case.get_by_id(case.id), {**form, "stage": "conference"}),
        lambda: lifecycle.change_stage(supervisor, stale, {**form, "stage": "plan"}))
    assert isinstance(second, lifecycle.CaseError), second
    assert "moved this case to “Conference” meanwhile" in str(second.errors["stage"])
    assert Case.get_by_id(case.id).stage == "conference"
    assert [(e.from_value, e.to_value) for e in CaseEvent.select().where(
        (CaseEvent.case == case.id) & (CaseEvent.kind == "stage"))] == [("monitoring", "conference")]


def _plan_follow_up(officer, case, days, hours_ago):
    clean, errors = logic.validate_contact(factories.contact_form(
        follow_up_on=local(datetime.timedelta(days=days), "%Y-%m-%d"),
        occurred_at=local(datetime.timedelta(hours=-hours_ago))), officer)
    assert not errors, errors
    return logic.log_contact(officer, Case.get_by_id(case.id), clean, uuid.uuid4())[0]


def test_a_follow_up_marked_done_by_two_at_once_is_done_once(people):
    officer, supervisor, case = people
    _plan_follow_up(officer, case, 0, 2)
    due = Case.get_by_id(case.id).next_follow_up.isoformat()
    _, second = race(lambda: followups.mark_done(officer, Case.get_by_id(case.id), due),
                      lambda: followups.mark_done(supervisor, Case.get_by_id(case.id), due))
    assert isinstance(second, followups.FollowUpError), second
    assert [(f.status, f.closed_by_id) for f in FollowUp.select()] == [("done", officer.id)]


def test_a_follow_up_replaced_at_the_moment_it_is_marked_done_stays_planned(people):
    """A contact planning a new visit and a tap on the old one's "Done": the new one stays due."""
    officer, supervisor, case = people
    _plan_follow_up(officer, case, 0, 2)
    old_due = Case.get_by_id(case.id).next_follow_up.isoformat()
    page = Case.get_by_id(case.id)
    _, second = race(lambda: _plan_follow_up(officer, case, 3, 1),
                      lambda: followups.mark_done(supervisor, page, old_due))
    assert isinstance(second, followups.FollowUpError), second
    new_due = local(datetime.timedelta(days=3), "%Y-%m-%d")
    assert Case.get_by_id(case.id).next_follow_up.isoformat() == new_due
    assert sorted(f.status for f in FollowUp.select()) == ["open", "replaced"]


def test_circumstances_changed_by_two_at_once_are_not_overwritten_unseen(people):
    officer, supervisor, case = people
    stale = Case.get_by_id(case.id)
    _, second = race(
        lambda: lifecycle.change_circumstances(officer, Case.get_by_id(case.id),
                                               {"flags": ["homeless"], "note": "Living in a car"}),
        lambda: lifecycle.change_circumstances(supervisor, stale, {"flags": ["foster_care"], "note": "Placed"}))
    assert isinstance(second, lifecycle.CaseError), second
    assert "they are now: " in str(second.errors["flags"])
    assert Case.get_by_id(case.id).flag_list == ["homeless"]
    assert [(e.from_value, e.to_value) for e in CaseEvent.select().where(
        (CaseEvent.case == case.id) & (CaseEvent.kind == "circumstances"))] == [("", "homeless")]
