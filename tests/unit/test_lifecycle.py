"""Cases without the web: one open case per student, closing with a reason,
stages, and the order of an officer's caseload."""
import datetime

import pytest

from fieldapp.cases import lifecycle
from fieldapp.cases.history_text import note_text
from fieldapp.models import Case, CaseEvent
from tests import factories

TODAY = datetime.date(2026, 3, 16)


@pytest.fixture
def people(app):
    school = factories.gen_school()
    return {"school": school, "officer": factories.gen_user("officer", [school]),
            "supervisor": factories.gen_user("supervisor"),
            "student": factories.gen_student(school)}


def test_opening_records_who_and_why(people):
    form = {"stage": "first_notice", "flags": ["homeless", "homeless"], "note": "Three unexcused days"}
    with pytest.raises(lifecycle.CaseError) as refused:  # a new case has no notice on file
        lifecycle.open_case(people["officer"], people["student"], form)
    assert "No letter of this step is on file" in refused.value.errors["without_record"]
    case = lifecycle.open_case(people["officer"], people["student"], {**form, "without_record": "yes"})
    assert (case.status, case.stage, case.officer_id, case.flag_list, case.stage_without_record) == (
        "open", "first_notice", people["officer"].id, ["homeless"], True)
    event = CaseEvent.get(CaseEvent.case == case)
    assert (event.kind, event.to_value, event.note, event.note_code, event.by_id) == (
        "opened", "first_notice", "Three unexcused days", "without_record", people["officer"].id)
    assert note_text(event) == "Three unexcused days (recorded without a letter on file)"


def test_a_case_a_supervisor_opens_goes_to_the_officer_of_the_students_school(people):
    case = lifecycle.open_case(people["supervisor"], people["student"], {})
    assert case.officer_id == people["officer"].id and case.stage == "monitoring"
    assert lifecycle.caseload(people["officer"])[0].id == case.id
    kinds = [(e.kind, e.to_value, e.by_id) for e in lifecycle.history(case)]
    assert kinds == [("opened", "monitoring", people["supervisor"].id),
                     ("assigned", people["officer"].name, people["supervisor"].id)]


def test_a_case_opened_for_nobody_waits_in_the_unassigned_queue(people):
    case = lifecycle.open_case(people["supervisor"], people["student"], {"officer": ""})
    assert case.officer_id is None and case.assigned_at is None


def test_one_open_case_per_student(people):
    lifecycle.open_case(people["officer"], people["student"], {})
    with pytest.raises(lifecycle.CaseError) as refused:
        lifecycle.open_case(people["officer"], people["student"], {})
    assert refused.value.errors == {"student": "This student already has an open case."}
    assert Case.select().count() == 1


def test_after_closing_a_new_case_can_be_opened(people):
    case = lifecycle.open_case(people["officer"], people["student"], {})
    lifecycle.close_case(people["officer"], case, {"closure_reason": "attendance_improved"})
    again = lifecycle.open_case(people["officer"], people["student"], {})
    assert lifecycle.open_case_of(people["student"]).id == again.id


@pytest.mark.parametrize("form,errors", [
    ({}, {"closure_reason": "Choose the closure reason."}),
    ({"closure_reason": "bored"}, {"closure_reason": "Choose a closure reason from the list."}),
    ({"closure_reason": "other"}, {"closure_note": "Note is required."}),
    ({"closure_reason": "moved_away", "closure_note": "m" * 2001},
     {"closure_note": "Note is too long: 2,001 characters; keep it under 2,000."}),
])
def test_closing_needs_a_reason(people, form, errors):
    case = lifecycle.open_case(people["officer"], people["student"], {})
    with pytest.raises(lifecycle.CaseError) as refused:
        lifecycle.close_case(people["officer"], case, form)
    assert refused.value.errors == errors
    assert Case.get_by_id(case.id).is_open


def test_closing_records_reason_time_and_person(people):
    case = lifecycle.open_case(people["officer"], people["student"], {"stage": "conference"})
    lifecycle.close_case(people["officer"], case, {"closure_reason": "other",
                                                   "closure_note": "Family moved abroad"})
    stored = Case.get_by_id(case.id)
    assert (stored.status, stored.closure_reason, stored.closure_note, stored.closed_by_id) == (
        "closed", "other", "Family moved abroad", people["officer"].id)
    assert stored.closed_at is not None
    event = CaseEvent.get((CaseEvent.case == case) & (CaseEvent.kind == "closed"))
    assert (event.from_value, event.to_value) == ("conference", "other")
    with pytest.raises(lifecycle.CaseError) as refused:
        lifecycle.close_case(people["officer"], stored, {"closure_reason": "other", "closure_note": "x"})
    assert refused.value.errors == {"closure_reason": "This case is already closed."}


def test_changing_stage_says_why_and_keeps_the_history(people):
    case = lifecycle.open_case(people["officer"], people["student"], {})
    with pytest.raises(lifecycle.CaseError) as refused:
        lifecycle.change_stage(people["officer"], case, {"stage": "monitoring", "note": ""})
    assert refused.value.errors == {"stage": "The case is already at this stage.",
                                    "note": "Why is required."}
    lifecycle.change_stage(people["officer"], case, {"stage": "conference", "note": "5 days"})
    assert [(e.kind, e.from_value, e.to_value) for e in lifecycle.history(case)] == [
        ("opened", "", "monitoring"), ("stage", "monitoring", "conference")]
    lifecycle.close_case(people["officer"], case, {"closure_reason": "plan_completed"})
    with pytest.raises(lifecycle.CaseError) as closed:
        lifecycle.change_stage(people["officer"], case, {"stage": "court", "note": "x"})
    assert closed.value.errors == {"stage": "A closed case cannot change stage."}


def _case_due(people, name, due, officer=None, status="open"):
    student = factories.gen_student(people["school"], first=name, last="Test")
    case = lifecycle.open_case(people["officer"], student, {}, officer=officer or people["officer"])
    Case.update(next_follow_up=due, status=status).where(Case.id == case.id).execute()
    return case


def test_caseload_overdue_first_then_due_today_then_the_rest(people):
    day = datetime.timedelta(days=1)
    _case_due(people, "Later", TODAY + 5 * day)
    _case_due(people, "NoDate", None)
    _case_due(people, "Today", TODAY)
    _case_due(people, "LongOverdue", TODAY - 9 * day)
    _case_due(people, "Tomorrow", TODAY + day)
    _case_due(people, "Overdue", TODAY - day)
    _case_due(people, "Closed", TODAY - 20 * day, status="closed")
    _case_due(people, "Colleague", TODAY - 30 * day, officer=factories.gen_user("officer"))
    order = [c.student.first_name for c in lifecycle.caseload(people["officer"], today=TODAY)]
    assert order == ["LongOverdue", "Overdue", "Today", "Tomorrow", "Later", "NoDate"]


def test_school_list_includes_unassigned_cases(people):
    assigned = _case_due(people, "Assigned", TODAY)
    student = factories.gen_student(people["school"], first="Nobody")
    unassigned = lifecycle.open_case(people["supervisor"], student, {"officer": ""})
    other_school = factories.gen_school()
    lifecycle.open_case(people["supervisor"], factories.gen_student(other_school), {"officer": ""})
    listed = lifecycle.school_open_cases({people["school"].id})
    assert [c.id for c in listed] == [assigned.id, unassigned.id]
    assert listed[0].officer.name == people["officer"].name


def test_the_caseload_cards_are_the_caseloads_cases_in_its_order(people):
    """The caseload page reads its cards as plain columns (caseload_cards): the
    same cases, in the same order, page by page, showing the same things as
    the whole rows of caseload(), and counted as caseload_size and
    follow_up_counts count them."""
    day = datetime.timedelta(days=1)
    today = lifecycle.today_for_school(people["school"].id)
    for name, due in (("Later", today + 5 * day), ("NoDate", None), ("Today", today), ("Overdue", today - day),
                      ("Tomorrow", today + day), ("Long", today - 9 * day), ("Closed", today - day)):
        _case_due(people, name, due, status="closed" if name == "Closed" else "open")
    _case_due(people, "Colleague", today - day, officer=factories.gen_user("officer", [people["school"]]))
    handed = _case_due(people, "Handed", None)
    Case.update(assigned_by=people["supervisor"], assigned_at=lifecycle.utcnow(), stage="first_notice",
                stage_without_record=True, contact_count=3).where(Case.id == handed.id).execute()
    moved = _case_due(people, "Moved", today - day)  # the student left the officer's schools
    moved.student.school = factories.gen_school()
    moved.student.save()
    officer = people["officer"]

    def shown(case):
        return (case.id, case.student_id, case.school_id, case.stage, case.stage_without_record, case.contact_count,
                case.next_follow_up, case.assigned_at, case.is_new_to_officer)
    whole = [(*shown(c), c.student.first_name, c.student.last_name, c.student.grade, c.school.name)
             for c in lifecycle.caseload(officer)]
    cards = [(*shown(c), c.first_name, c.last_name, c.grade, c.school_name) for c in lifecycle.caseload_cards(officer)]
    assert cards == whole and len(cards) == 7
    assert [c[9] for c in cards][:2] == ["Handed", "Long"] and cards[0][-5] is True
    for offset in range(0, 8, 3):
        assert [c.id for c in lifecycle.caseload_cards(officer, limit=3, offset=offset)] == \
            [c.id for c in lifecycle.caseload(officer, limit=3, offset=offset)]
    assert lifecycle.caseload_counts(officer) == (lifecycle.caseload_size(officer),
                                                   *lifecycle.follow_up_counts(officer)) == (7, 2, 1)
    district = factories.gen_user("supervisor")
    Case.update(officer=district).where(Case.id == handed.id).execute()
    assert [c.id for c in lifecycle.caseload_cards(district)] == [c.id for c in lifecycle.caseload(district)] == \
        [handed.id]
