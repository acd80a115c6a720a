"""The one place that decides who may see and do what."""
import pytest
from flask_login import AnonymousUserMixin

from fieldapp import codes, policy
from tests import factories


@pytest.fixture
def people(app):
    north, south = factories.gen_school("North"), factories.gen_school("South")
    return {
        "north": north, "south": south,
        "officer": factories.gen_user("officer", [north]),
        "colleague": factories.gen_user("officer", [north]),
        "wide_officer": factories.gen_user("officer", [north, south]),
        "front": factories.gen_user("front_office", [north]),
        "supervisor": factories.gen_user("supervisor"),
        "admin": factories.gen_user("admin"),
        "lonely": factories.gen_user("officer"),
        "in_north": factories.gen_student(north),
        "in_south": factories.gen_student(south, first="Ana"),
    }


def test_every_action_names_only_known_roles():
    for action, roles in policy.ACTIONS.items():
        assert roles and set(roles) <= set(codes.ROLES), action


@pytest.mark.parametrize("nobody", [None, AnonymousUserMixin()])
def test_nobody_may_do_anything(nobody):
    assert not any(policy.allowed(nobody, action) for action in policy.ACTIONS)
    assert not policy.can(nobody, "student.view")


def test_unknown_actions_are_refused(people):
    assert not policy.allowed(people["admin"], "launch.missiles")


@pytest.mark.parametrize("role,allowed_actions", [
    ("officer", {"caseload.view", "case.open", "case.close", "contact.amend", "household.visit"}),
    ("front_office", {"office.worklist", "contact.log", "contact.log_without_case", "contact.amend"}),
    ("supervisor", {"contacts.district_log", "access_log.view", "contact.amend"}),
    ("admin", {"contacts.district_log", "access_log.view"}),
])
def test_roles_have_their_actions(people, role, allowed_actions):
    user = next(u for u in people.values() if getattr(u, "role", None) == role)
    for action in allowed_actions:
        assert policy.allowed(user, action), (role, action)


@pytest.mark.parametrize("role,refused", [
    ("officer", {"contacts.district_log", "access_log.view", "office.worklist"}),
    ("front_office", {"case.open", "case.close", "caseload.view",
                      "access_log.view", "household.visit"}),
    ("admin", {"case.open", "contact.log", "contact.amend", "contact.log_without_case"}),
    ("supervisor", {"caseload.view", "office.worklist"}),
])
def test_roles_lack_other_actions(people, role, refused):
    user = next(u for u in people.values() if getattr(u, "role", None) == role)
    for action in refused:
        assert not policy.allowed(user, action), (role, action)


def test_scope_is_the_assigned_schools_or_the_district(people):
    assert policy.school_scope(people["officer"]) == {people["north"].id}
    assert policy.school_scope(people["wide_officer"]) == {people["north"].id, people["south"].id}
    assert policy.school_scope(people["front"]) == {people["north"].id}
    assert policy.school_scope(people["supervisor"]) is None
    assert policy.school_scope(people["lonely"]) == set()


def test_records_outside_the_scope_are_refused(people):
    north, south = people["in_north"], people["in_south"]
    assert policy.can(people["officer"], "student.view", north)
    assert not policy.can(people["officer"], "student.view", south)
    assert not policy.can(people["front"], "student.view", south)
    assert policy.can(people["wide_officer"], "student.view", south)
    assert policy.can(people["supervisor"], "student.view", south)
    assert not policy.can(people["lonely"], "student.view", north)
    # In scope but not the role's action.
    assert not policy.can(people["front"], "case.open", north)


def test_front_office_logs_calls_and_excuse_notes_only(people):
    assert policy.methods_for(people["front"]) == ["phone", "excuse_note"]
    assert policy.methods_for(people["officer"]) == list(codes.METHODS)


def test_officers_amend_their_own_contacts_supervisors_any(people, app):
    case = factories.gen_case(people["in_north"], people["officer"])
    mine = factories.gen_contact(case, people["officer"])
    student = people["in_north"]
    assert policy.can_amend(people["officer"], mine, student)
    assert not policy.can_amend(people["colleague"], mine, student)
    assert policy.can_amend(people["supervisor"], mine, student)
    assert not policy.can_amend(people["front"], mine, student)
    assert not policy.can_amend(people["admin"], mine, student)
    # The front office corrects the calls it logged, and only those.
    call = factories.gen_contact(case, people["front"], method="phone", people_present=[])
    assert policy.can_amend(people["front"], call, student)
    assert not policy.can_amend(people["officer"], call, student)


def test_every_action_has_its_own_refusal():
    """A 403 names the action refused and who takes it; none falls back to 'may not do this'."""
    from fieldapp import policy
    missing = sorted(set(policy.ACTIONS) - set(policy.REFUSALS))
    assert not missing, f"give these a refusal in policy.REFUSALS: {missing}"
