"""Assigning cases: opening with an officer, one case, many from the queue,
an officer's cases handed over school by school, and the officer's caseload."""
import pytest

from fieldapp.cases import lifecycle
from fieldapp.models import Case, CaseEvent
from tests import factories
from tests.web.conftest import page_text


@pytest.fixture
def desk(world):
    """World plus a second officer at school A and an unassigned case there."""
    world["second_officer"] = factories.gen_user("officer", [world["school_a"]], name="Bea Second")
    student = factories.gen_student(world["school_a"], first="Lupe", last="Ortiz")
    world["loose_case"] = lifecycle.open_case(world["supervisor"], student, {"officer": ""})
    return world


def test_the_open_form_offers_the_schools_officers_and_picks_the_least_loaded(auth, login_as, desk):
    login_as("supervisor")
    student = factories.gen_student(desk["school_a"], first="Nina", last="Park")
    page = page_text(auth.client.get(f"/students/{student.id}/cases/new"))
    # The first officer already holds case A; the second holds none, so is chosen.
    assert f'<option value="{desk["second_officer"].id}" selected>' in page
    assert desk["other_officer"].name not in page  # serves school B only
    answer = auth.post(f"/students/{student.id}/cases/new",
                       data={"stage": "monitoring", "officer": str(desk["officer"].id)})
    assert answer.status_code == 302
    assert Case.get(Case.student == student).officer_id == desk["officer"].id


def test_an_officer_of_another_school_is_refused_with_what_to_fix(auth, login_as, desk):
    login_as("supervisor")
    student = factories.gen_student(desk["school_a"], first="Nina", last="Park")
    answer = auth.post(f"/students/{student.id}/cases/new",
                       data={"stage": "monitoring", "officer": str(desk["other_officer"].id)})
    assert answer.status_code == 422
    assert "Choose an officer of Lincoln Elementary from the list." in page_text(answer)
    assert not Case.select().where(Case.student == student).exists()


def test_reassigning_a_case_says_why_and_shows_in_its_history(auth, login_as, desk):
    login_as("supervisor")
    case = desk["case_a"]
    refused = auth.post(f"/cases/{case.id}/assign", data={"officer": str(desk["second_officer"].id)})
    assert refused.status_code == 422 and "Why is required." in page_text(refused)
    done = auth.post(f"/cases/{case.id}/assign",
                     data={"officer": str(desk["second_officer"].id), "note": "Caseload balance",
                           f"seen_{case.id}": str(desk["officer"].id)})
    assert done.status_code == 302
    assert Case.get_by_id(case.id).officer_id == desk["second_officer"].id
    event = CaseEvent.select().where((CaseEvent.case == case) & (CaseEvent.kind == "assigned")).get()
    assert (event.from_value, event.to_value, event.note, event.by_id) == (
        desk["officer"].name, "Bea Second", "Caseload balance", desk["supervisor"].id)
    page = page_text(auth.client.get(f"/students/{desk['student_a'].id}"))
    assert f"assigned to Bea Second (was {desk['officer'].name})" in page and "Caseload balance" in page


def test_the_assign_page_shows_who_held_the_case_and_why(auth, login_as, desk):
    """Who held the case before, and why it moved, read where the next holder is chosen."""
    login_as("supervisor")
    case = desk["case_a"]
    auth.post(f"/cases/{case.id}/assign", data={"officer": str(desk["second_officer"].id), "note": "Caseload balance",
                                                f"seen_{case.id}": str(desk["officer"].id)})
    page = page_text(auth.client.get(f"/cases/{case.id}/assign"))
    history = page[page.index('id="assignment-history"'):]
    assert "Assignment history" in page
    assert f"assigned to Bea Second (was {desk['officer'].name})" in history and "Caseload balance" in history
    assert f"by {desk['supervisor'].name}" in history


def test_only_a_supervisor_assigns_and_the_refusal_says_what(auth, login_as, desk):
    login_as("officer")
    answer = auth.post(f"/cases/{desk['case_a'].id}/assign", data={"officer": str(desk["second_officer"].id)})
    assert answer.status_code == 403
    assert "may not assign cases" in page_text(answer)
    assert Case.get_by_id(desk["case_a"].id).officer_id == desk["officer"].id


def test_the_queue_assigns_many_and_names_those_left(auth, login_as, desk):
    login_as("supervisor")
    other = lifecycle.open_case(desk["supervisor"], factories.gen_student(desk["school_b"], first="Ada", last="Zed"),
                                {"officer": ""})
    queue = page_text(auth.client.get("/supervisor/unassigned"))
    assert "Ortiz, Lupe" in queue and "Zed, Ada" in queue
    answer = auth.post("/supervisor/assign", data={"officer": str(desk["second_officer"].id),
                                                   "case": [str(desk["loose_case"].id), str(other.id)]},
                       follow_redirects=True)
    page = page_text(answer)
    assert "1 case assigned." in page
    assert "1 case was not assigned" in page
    assert "Ada Zed</a>" in page and "Bea Second does not serve Roosevelt Middle." in page
    assert Case.get_by_id(desk["loose_case"].id).officer_id == desk["second_officer"].id
    assert Case.get_by_id(other.id).officer_id is None
    assert "Ortiz, Lupe" not in page and "Zed, Ada" in page  # the queue, after


def test_ticking_nothing_is_answered_with_what_to_do(auth, login_as, desk):
    login_as("supervisor")
    answer = auth.post("/supervisor/assign", data={"officer": str(desk["second_officer"].id)})
    assert answer.status_code == 422 and "Tick the cases to assign." in page_text(answer)


def test_ticking_numbers_of_no_case_names_them_and_assigns_nothing(auth, login_as, desk):
    """A ticked value naming no case (a case deleted from the list, a tampered form) was
    passed over without a word while the rest moved."""
    login_as("supervisor")
    answer = auth.post("/supervisor/assign", data={"officer": str(desk["second_officer"].id),
                                                   "case": [str(desk["loose_case"].id), "999999", "abc"]})
    page = page_text(answer)
    assert answer.status_code == 422
    assert "No case has the number 999999, abc: nothing was assigned." in page
    assert Case.get_by_id(desk["loose_case"].id).officer_id is None


def test_taking_a_case_from_its_officer_says_it_is_unassigned(auth, login_as, desk):
    login_as("supervisor")
    case = desk["case_a"]
    answer = auth.post(f"/cases/{case.id}/assign", data={"officer": "", "note": "Officer on leave",
                                                             f"seen_{case.id}": str(desk["officer"].id)},
                       follow_redirects=True)
    page = page_text(answer)
    assert Case.get_by_id(case.id).officer_id is None
    assert "Case unassigned: it waits in the unassigned queue." in page and "Case assigned." not in page


def test_an_officers_cases_are_handed_over_school_by_school(auth, login_as, desk):
    login_as("supervisor")
    leaving = desk["officer"]
    factories.gen_user("officer", [desk["school_b"]], name="Cy Bee")
    from fieldapp.models import UserSchool
    UserSchool.create(user=leaving, school=desk["school_b"])
    student_b2 = factories.gen_student(desk["school_b"], first="Ben", last="Two")
    case_b2 = factories.gen_case(student_b2, leaving)
    page = page_text(auth.client.get(f"/supervisor/officers/{leaving.id}/hand-over"))
    assert "Lincoln Elementary — 1 open case" in page and "Roosevelt Middle — 1 open case" in page
    answer = auth.post(f"/supervisor/officers/{leaving.id}/hand-over",
                       data={f"school_{desk['school_a'].id}": str(desk["second_officer"].id),
                             f"school_{desk['school_b'].id}": "", "note": "Left the district"})
    assert answer.status_code == 302
    assert Case.get_by_id(desk["case_a"].id).officer_id == desk["second_officer"].id
    assert Case.get_by_id(case_b2.id).officer_id == leaving.id  # left on "keep"


def test_a_case_handed_to_an_officer_is_at_the_top_of_their_caseload(auth, login_as, desk):
    mine = [factories.gen_case(factories.gen_student(desk["school_a"], first=f"Own{i}", last="Aaa"),
                               desk["second_officer"]) for i in range(3)]
    Case.update(next_follow_up=factories.days_ago(3).date()).where(Case.id.in_([c.id for c in mine])).execute()
    login_as("supervisor")
    auth.post(f"/cases/{desk['loose_case'].id}/assign", data={"officer": str(desk["second_officer"].id)})
    login_as(desk["second_officer"])
    page = page_text(auth.client.get("/caseload"))
    assert page.index("Ortiz, Lupe") < page.index("Aaa, Own0")
    assert "New: assigned to you" in page


def test_each_case_the_queue_could_not_assign_is_named_with_why(auth, login_as, desk):
    """The list was shown, then: one case closed, one given to the officer chosen,
    one to another officer; one is at a school the officer does not serve."""
    from fieldapp.models import Case
    login_as("supervisor")
    school_a, second = desk["school_a"], desk["second_officer"]
    opened = {name: lifecycle.open_case(desk["supervisor"], factories.gen_student(school_a, first=name, last="Queue"),
                                        {"officer": ""}) for name in ("Closed", "Already", "Taken", "Moved")}
    away = lifecycle.open_case(desk["supervisor"], factories.gen_student(desk["school_b"], first="Away", last="Queue"),
                               {"officer": ""})
    queue = page_text(auth.client.get("/supervisor/unassigned"))
    assert f'name="seen_{opened["Closed"].id}" value=""' in queue  # what the list showed
    Case.update(status="closed").where(Case.id == opened["Closed"].id).execute()
    Case.update(officer=second).where(Case.id == opened["Already"].id).execute()
    Case.update(officer=desk["officer"]).where(Case.id == opened["Taken"].id).execute()
    ticked = [c.id for c in opened.values()] + [away.id]
    answer = auth.post("/supervisor/assign", data={
        "officer": str(second.id), "case": [str(i) for i in ticked], "note": "Split the queue",
        **{f"seen_{i}": "" for i in ticked}})
    page = page_text(answer)
    assert answer.status_code == 200 and "1 case assigned." in page and "4 cases were not assigned" in page
    assert "Closed Queue</a>" in page and "The case was closed meanwhile." in page
    assert "Already Queue</a>" in page and "The case is already with Bea Second." in page
    assert "Taken Queue</a>" in page and (
        f"Someone else changed it meanwhile: it is now with {desk['officer'].name}.") in page
    assert "Away Queue</a>" in page and "Bea Second does not serve Roosevelt Middle." in page
    # Only the one case moved, with its history line; the others are as they were.
    assert Case.get_by_id(opened["Moved"].id).officer_id == second.id
    assert Case.get_by_id(opened["Taken"].id).officer_id == desk["officer"].id
    events = CaseEvent.select().where((CaseEvent.kind == "assigned") & (CaseEvent.note == "Split the queue"))
    assert [e.case_id for e in events] == [opened["Moved"].id]
    # What the supervisor chose and typed stays, and the case still in the queue stays ticked
    # to give to someone else; the closed and taken ones are no longer on the page.
    assert "Split the queue</textarea>" in page and f'<option value="{second.id}" selected>' in page
    assert f'name="case" value="{away.id}" form="assign-many" checked' in page

    # The queue below is the queue as it is now.
    assert "Queue, Moved" not in page and "Queue, Away" in page


def test_a_hand_over_names_each_case_it_could_not_move(auth, login_as, desk):
    """A case of the leaving officer given to someone else after the page was read
    is left where it is and named, not taken back."""
    from fieldapp.cases import assignment
    login_as("supervisor")
    leaving, second = desk["officer"], desk["second_officer"]
    third = factories.gen_user("officer", [desk["school_a"]], name="Cy Third")
    kept = factories.gen_case(factories.gen_student(desk["school_a"], first="Kept", last="Hand"), leaving)
    real_assign = assignment.assign

    def another_supervisor_first(by, case, officer, note=""):
        if case.id == kept.id:  # someone else moves it between the read and the write
            Case.update(officer=third).where(Case.id == kept.id).execute()
        return real_assign(by, case, officer, note)
    import unittest.mock
    with unittest.mock.patch.object(assignment, "assign", another_supervisor_first):
        answer = auth.post(f"/supervisor/officers/{leaving.id}/hand-over",
                           data={f"school_{desk['school_a'].id}": str(second.id), "note": "Left"})
    page = page_text(answer)
    assert answer.status_code == 200 and "1 case handed over." in page and "1 case was not assigned" in page
    assert "Kept Hand</a>" in page and "Someone else changed it meanwhile: it is now with Cy Third." in page
    assert Case.get_by_id(kept.id).officer_id == third.id
    assert Case.get_by_id(desk["case_a"].id).officer_id == second.id
    assert not CaseEvent.select().where((CaseEvent.case == kept) & (CaseEvent.note == "Left")).exists()


def test_the_queue_filtered_by_band_reads_standings_brought_up_to_date(auth, login_as, world):
    """A band is read from stored standings; those not yet brought up to date
    are refreshed first when few, as the case list does: the queue showed
    nobody in a band until the hourly job had run."""
    Case.update(officer=None).execute()
    login_as("supervisor")
    page = page_text(auth.client.get("/supervisor/unassigned?band=satisfactory"))
    assert "García, María" in page and "Núñez, José" in page
