"""Washington, from RCW 28A.225.020 and 28A.225.030."""
from tests.unit.rules_support import D, case, standing, step, unexcused

OCTOBER = [D(2025, 10, d) for d in (1, 2, 3, 6, 7, 8, 9)]


def test_one_unexcused_absence_in_a_month_asks_for_a_notice_in_the_parents_language():
    result = standing("WA", unexcused(D(2025, 9, 10)), D(2025, 9, 10))
    notice = step(result, "wa_notice")
    assert notice.pending and "language they are fluent in" in notice.step.label
    assert result.next_step is notice


def test_the_notice_is_asked_again_in_each_month_with_an_unexcused_absence():
    record = case(contacts=[(D(2025, 9, 11), "phone", "reached_parent")])
    september = standing("WA", unexcused(D(2025, 9, 10)), D(2025, 9, 30), record)
    assert step(september, "wa_notice").done_on == D(2025, 9, 11)
    october = standing("WA", unexcused(D(2025, 9, 10), D(2025, 10, 14)), D(2025, 10, 14), record)
    notice = step(october, "wa_notice")
    assert notice.triggered_on == D(2025, 10, 14) and notice.pending


def test_a_phone_call_nobody_answered_is_not_a_notice():
    record = case(contacts=[(D(2025, 9, 11), "phone", "no_answer")])
    assert step(standing("WA", unexcused(D(2025, 9, 10)), D(2025, 9, 12), record), "wa_notice").pending


def test_third_in_a_month_asks_for_a_conference():
    result = standing("WA", unexcused(*OCTOBER[:3]), D(2025, 10, 3))
    assert step(result, "wa_conference").triggered_on == D(2025, 10, 3)
    assert result.status.code == "conference"


def test_seventh_unexcused_absence_in_a_month_makes_an_agreement_board_or_petition_due():
    result = standing("WA", unexcused(*OCTOBER), D(2025, 10, 9))
    agreement = step(result, "wa_agreement")
    assert agreement.triggered_on == D(2025, 10, 9)
    assert agreement.due_on == D(2025, 10, 9)  # "not later than the seventh"
    assert "agreement" in agreement.step.label and "board" in agreement.step.label
    assert result.status.code == "intervention"
    assert agreement.missing  # no conference on record yet


def test_seven_spread_over_two_months_are_not_seven_in_a_month():
    days = [D(2025, 9, d) for d in (24, 25, 26, 29)] + [D(2025, 10, d) for d in (1, 2, 3)]
    assert not step(standing("WA", unexcused(*days), D(2025, 10, 3)), "wa_agreement").triggered


def test_fifteenth_in_the_year_makes_the_petition_due():
    days = [D(2025, 9, d) for d in (3, 10, 17, 24)] + [D(2025, 10, d) for d in (1, 8, 15, 22)] + \
        [D(2025, 11, d) for d in (5, 12, 19)] + [D(2025, 12, d) for d in (3, 10, 17)] + [D(2026, 1, 7)]
    result = standing("WA", unexcused(*days), D(2026, 1, 7))
    petition = step(result, "wa_petition")
    assert petition.triggered_on == D(2026, 1, 7) and petition.due_on == D(2026, 1, 7)
    assert result.status.code == "petition"
