"""Pennsylvania, from 24 P.S. 13-1333 to 13-1333.3 (Act 138 of 2016)."""
from tests.unit.rules_support import D, case, standing, step, unexcused


def test_written_notice_is_due_within_ten_school_days_of_the_third_unexcused_day():
    result = standing("PA", unexcused(D(2025, 11, 3), D(2025, 11, 10), D(2025, 11, 17)), D(2025, 11, 17))
    notice = step(result, "pa_notice")
    assert result.status.code == "truant"
    # Nov 18, 19, 20, 21, 24, 25, (26-28 Thanksgiving), Dec 1, 2, 3, 4
    assert notice.due_on == D(2025, 12, 4)
    assert notice.step.due_basis == "statute"
    assert result.school_days_left(notice) == 10


def test_the_notice_is_overdue_the_school_day_after_its_deadline():
    result = standing("PA", unexcused(D(2025, 11, 3), D(2025, 11, 10), D(2025, 11, 17)), D(2025, 12, 5))
    notice = step(result, "pa_notice")
    assert notice.overdue(D(2025, 12, 5)) and result.school_days_left(notice) == -1


def test_partial_days_do_not_count_unless_the_district_says_so():
    events = unexcused(D(2025, 9, 3), D(2025, 9, 10)) + [(D(2025, 9, 17), "partial", 200)]
    assert standing("PA", events, D(2025, 9, 17)).status is None
    assert standing("PA", events, D(2025, 9, 17), part_day_minutes=180).status.code == "truant"


def test_habitually_truant_at_six_and_no_legal_action_before_the_conference():
    days = [D(2025, 9, d) for d in (3, 10, 17, 24)] + [D(2025, 10, 1), D(2025, 10, 8)]
    result = standing("PA", unexcused(*days), D(2025, 10, 8))
    referral = step(result, "pa_referral")
    assert result.status.code == "habitually_truant"
    assert referral.pending and "Attendance Improvement Conference" in referral.missing[0]
    held = case(contacts=[(D(2025, 9, 29), "conference", "refused")])
    assert step(standing("PA", unexcused(*days), D(2025, 10, 8), held), "pa_referral").missing == ()
