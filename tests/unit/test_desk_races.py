"""The front office's records raced by two people, on two real connections:
two people referring the same student at once make one referral; two
officers declining one referral (or one declining while another opens a
case for the student) answer it once, and the second is told who answered
it and how. The first change is held, written but not committed, until the
second waits on it (see tests/unit/test_casework_races.py)."""
import pytest

from fieldapp.cases import desk_records, lifecycle
from fieldapp.models import Referral
from tests import factories
from tests.races import race as _race


@pytest.fixture
def desk(app):
    school = factories.gen_school("North")
    front = factories.gen_user("front_office", [school], name="Flo Front")
    other_front = factories.gen_user("front_office", [school], name="Fay Desk")
    officer = factories.gen_user("officer", [school], name="Ann Officer")
    other = factories.gen_user("officer", [school], name="Bo Officer")
    return school, front, other_front, officer, other, factories.gen_student(school)


def test_two_people_referring_one_student_at_once_make_one_referral(desk):
    school, front, other_front, officer, other, student = desk
    first, second = _race(
        lambda: desk_records.refer(front, student, {"reason": "illness", "note": "Out two weeks"}),
        lambda: desk_records.refer(other_front, student, {"reason": "transportation", "note": "Bus stopped"}))
    assert isinstance(second, desk_records.DeskError), second
    assert str(second.errors["reason"]) == "This student is already waiting for the officer."
    assert [(r.id, r.referred_by_id) for r in Referral.select()] == [(first.id, front.id)]


def test_a_referral_declined_by_two_at_once_is_answered_once(desk):
    school, front, other_front, officer, other, student = desk
    referral = desk_records.refer(front, student, {"reason": "illness", "note": "Out two weeks"})
    stale = Referral.get_by_id(referral.id)
    _, second = _race(
        lambda: desk_records.decline(officer, Referral.get_by_id(referral.id), {"answer": "Doctor's note on file"}),
        lambda: desk_records.decline(other, stale, {"answer": "Not ours"}))
    assert isinstance(second, desk_records.DeskError), second
    assert str(second.errors["answer"]) == (
        "Ann Officer answered this referral meanwhile (Declined); nothing was changed. Your text is kept below.")
    answered = Referral.get_by_id(referral.id)
    assert (answered.status, answered.answer, answered.answered_by_id) == (
        "declined", "Doctor's note on file", officer.id)


def test_a_referral_declined_while_a_case_is_opened_for_the_student_stays_accepted(desk):
    school, front, other_front, officer, other, student = desk
    referral = desk_records.refer(front, student, {"reason": "illness", "note": "Out two weeks"})
    stale = Referral.get_by_id(referral.id)
    case, second = _race(
        lambda: lifecycle.open_case(officer, student, {"stage": "monitoring"}, officer=officer),
        lambda: desk_records.decline(other, stale, {"answer": "Not ours"}))
    assert isinstance(second, desk_records.DeskError), second
    assert "(Case opened)" in str(second.errors["answer"])
    answered = Referral.get_by_id(referral.id)
    assert (answered.status, answered.case_id, answered.answer) == ("accepted", case.id, "")


def test_a_number_marked_wrong_by_two_at_once_is_marked_once(desk):
    from fieldapp.models import PhoneMark
    from fieldapp.students import phones
    school, front, other_front, officer, other, student = desk
    guardian = factories.gen_guardian([student])
    first, second = _race(lambda: phones.mark_number(officer, guardian, "phone", "wrong"),
                          lambda: phones.mark_number(other, guardian, "phone", "disconnected"))
    assert isinstance(second, phones.PhoneMarkError), second
    assert str(second.errors["field"]) == "This number is marked already."
    assert [(m.id, m.status, m.marked_by_id) for m in PhoneMark.select()] == [(first.id, "wrong", officer.id)]
