"""Texas, from Education Code 25.095, 25.0915 and 25.0951."""
from tests.unit.rules_support import D, case, standing, step, unexcused

TEN_DAYS = [D(2025, 9, 3), D(2025, 9, 10), D(2025, 9, 17), D(2025, 10, 15), D(2025, 10, 29),
            D(2025, 11, 12), D(2025, 12, 3), D(2026, 1, 14), D(2026, 1, 28), D(2026, 2, 4)]


def test_three_unexcused_days_in_four_weeks_trigger_the_warning_notice():
    events = unexcused(D(2025, 9, 2), D(2025, 9, 15), D(2025, 9, 26))
    result = standing("TX", events, D(2025, 9, 26))
    warning = step(result, "tx_warning_notice")
    assert warning.triggered_on == D(2025, 9, 26)
    assert result.status.code == "warned"
    assert result.counts["four_weeks"] == 3
    assert step(result, "tx_prevention_measures").pending


def test_three_days_spread_over_more_than_four_weeks_do_not():
    events = unexcused(D(2025, 9, 2), D(2025, 9, 15), D(2025, 10, 1))  # 29 days apart
    result = standing("TX", events, D(2025, 10, 1))
    assert result.status is None and not step(result, "tx_warning_notice").triggered


def test_parts_of_days_count():
    events = unexcused(D(2025, 9, 2), D(2025, 9, 15)) + [(D(2025, 9, 19), "early_departure", 60)]
    assert standing("TX", events, D(2025, 9, 19)).status.code == "warned"


def test_tenth_day_in_six_months_makes_a_court_referral_due_within_ten_school_days():
    result = standing("TX", unexcused(*TEN_DAYS), D(2026, 2, 4))
    referral = step(result, "tx_court_referral")
    assert referral.triggered_on == D(2026, 2, 4)
    # Feb 5, 6, 9, 10, 11, 12, 13, (16 Presidents' Day), 17, 18, 19
    assert referral.due_on == D(2026, 2, 19)
    assert result.status.code == "truant_conduct"
    assert result.counts["six_months"] == 10
    assert referral.missing and "prevention measures" in referral.missing[0]


def test_nine_days_in_six_months_are_not_ten():
    # Sep 3 and Sep 10 fall out of the six months before Mar 18.
    result = standing("TX", unexcused(*TEN_DAYS[2:], D(2026, 3, 11), D(2026, 3, 18)), D(2026, 3, 18))
    assert result.counts["year"] == 10
    assert result.counts["six_months"] == 9  # Sep 17 is exactly six months before: out
    assert not step(result, "tx_court_referral").triggered


def test_with_warning_and_measures_on_record_the_referral_is_next():
    record = case(contacts=[(D(2025, 10, 2), "letter", "no_answer"),
                            (D(2025, 10, 8), "conference", "reached_parent")])
    result = standing("TX", unexcused(*TEN_DAYS), D(2026, 2, 6), record)
    assert result.next_step.step.code == "tx_court_referral"
    assert result.next_step.missing == ()
    assert result.school_days_left(result.next_step) == 8


def test_no_court_referral_while_an_exemption_is_set_and_the_reason_is_shown():
    for flag, words in (("homeless", "homelessness"), ("foster_care", "foster care"),
                        ("pregnant_parenting", "pregnant"), ("primary_earner", "main earner")):
        record = case(flags=[flag], contacts=[(D(2025, 10, 2), "letter", "no_answer"),
                                              (D(2025, 10, 8), "conference", "reached_parent")])
        result = standing("TX", unexcused(*TEN_DAYS), D(2026, 2, 6), record)
        referral = step(result, "tx_court_referral")
        assert referral.blocked and words in referral.blocked.lower()
        assert "25.0915(a-3)" in referral.blocked
        assert result.blocked_steps == [referral]
        # 25.0915(a-3): the school offers additional counseling instead, a step with a deadline.
        assert result.next_step.step.code == "tx_additional_counseling"
        assert not referral.overdue(D(2026, 3, 30))


def test_the_rule_set_names_its_statute_and_effective_date():
    version = standing("TX", [], D(2020, 9, 2)).version
    assert version.version == "TX-2015-09-01" and "25.0951" in version.source
    assert "in effect from Sep 1, 2015" in version.label
    assert standing("TX", [], D(2025, 9, 2)).version.version == "TX-2021-06-07"
