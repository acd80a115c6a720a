"""California, from Education Code 48260-48263 and 48263.6."""
from tests.unit.rules_support import D, case, standing, step, unexcused


def tardy(day, minutes):
    return (day, "tardy", minutes)


def test_third_unexcused_tardy_over_30_minutes_makes_the_student_truant_that_day():
    events = [tardy(D(2025, 9, 8), 35), tardy(D(2025, 9, 15), 45), tardy(D(2025, 9, 22), 31)]
    assert standing("CA", events, D(2025, 9, 19)).status is None
    on_the_day = standing("CA", events, D(2025, 9, 22))
    assert on_the_day.status.code == "truant"
    assert step(on_the_day, "ca_first_notice").triggered_on == D(2025, 9, 22)
    assert on_the_day.counts["year"] == 3


def test_tardies_of_30_minutes_or_less_do_not_count():
    events = [tardy(D(2025, 9, 8), 30), tardy(D(2025, 9, 15), 10), tardy(D(2025, 9, 22), 30)]
    result = standing("CA", events, D(2025, 9, 30))
    assert result.status is None and result.counts["year"] == 0


def test_full_days_and_long_tardies_mix_toward_truancy():
    events = unexcused(D(2025, 9, 3), D(2025, 9, 10)) + [(D(2025, 9, 17), "partial", 90)]
    assert standing("CA", events, D(2025, 9, 17)).status.code == "truant"


def test_excused_absences_never_make_a_student_truant():
    events = [(D(2025, 9, d), "excused", 0) for d in (2, 3, 4, 5, 8)]
    result = standing("CA", events, D(2025, 9, 30))
    assert result.status is None and result.days_missed == 5


def test_first_notification_is_due_in_five_school_days_skipping_veterans_day():
    events = unexcused(D(2025, 10, 20), D(2025, 11, 3), D(2025, 11, 7))
    notice = step(standing("CA", events, D(2025, 11, 7)), "ca_first_notice")
    # Nov 10, (11 Veterans Day), 12, 13, 14, 17
    assert notice.due_on == D(2025, 11, 17)


def test_a_letter_after_the_third_truancy_takes_the_first_step():
    events = unexcused(D(2025, 9, 3), D(2025, 9, 10), D(2025, 9, 17))
    sent = case(contacts=[(D(2025, 9, 18), "letter", "no_answer")])
    result = standing("CA", events, D(2025, 9, 25), sent)
    assert step(result, "ca_first_notice").done_on == D(2025, 9, 18)
    assert result.next_step is None
    assert result.upcoming.code == "ca_second_report"


def test_a_further_truancy_after_the_report_asks_for_a_second_report():
    events = unexcused(D(2025, 9, 3), D(2025, 9, 10), D(2025, 9, 17), D(2025, 9, 24))
    sent = case(contacts=[(D(2025, 9, 18), "letter", "no_answer")])
    result = standing("CA", events, D(2025, 9, 24), sent)
    assert result.next_step.step.code == "ca_second_report"
    assert result.next_step.step.statute == "EC 48261"


def test_habitual_truancy_waits_for_a_conscientious_effort_at_a_conference():
    days = [D(2025, 9, d) for d in (3, 10, 17, 24)] + [D(2025, 10, 1)]
    result = standing("CA", unexcused(*days), D(2025, 10, 1))
    third = step(result, "ca_habitual_truant")
    assert third.triggered_on == D(2025, 10, 1)
    assert third.missing and "conference" in third.missing[0] and "48262" in third.missing[0]
    assert result.status.code == "truant"
    # A conference the parent did not come to is still a conscientious effort.
    tried = case(contacts=[(D(2025, 9, 26), "conference", "no_answer")])
    result = standing("CA", unexcused(*days), D(2025, 10, 1), tried)
    assert step(result, "ca_habitual_truant").missing == ()
    assert result.status.code == "habitual_truant"


def test_sarb_referral_is_due_once_habitual_and_shows_what_is_missing():
    days = [D(2025, 9, d) for d in (3, 10, 17, 24)] + [D(2025, 10, 1)]
    sarb = step(standing("CA", unexcused(*days), D(2025, 10, 2)), "ca_sarb_referral")
    assert sarb.pending and sarb.step.statute == "EC 48263" and sarb.missing


def test_chronic_truant_at_ten_percent_of_school_days_unexcused():
    # 18 school days from Aug 18 to Sep 11 (Labor Day off); 2 unexcused = 11%.
    result = standing("CA", unexcused(D(2025, 9, 2), D(2025, 9, 3)), D(2025, 9, 11))
    assert result.days_enrolled == 18
    assert any("48263.6" in note for note in result.notes)


def test_the_version_in_effect_that_day_is_named_sb_691_from_july_2025():
    before = standing("CA", [], D(2025, 6, 30))
    after = standing("CA", [], D(2025, 7, 1))
    assert before.version.version == "CA-2020-07-01"
    assert after.version.version == "CA-2025-07-01"
    assert "SB 691" in after.version.source
    assert "SB 691" not in before.version.source.replace("before SB 691", "")
    assert after.version.step("ca_first_notice").letter == "first_notice"
    assert "in effect from Jul 1, 2025" in after.version.label


def test_local_thresholds_are_applied_and_named_in_the_version():
    events = unexcused(D(2025, 9, 3), D(2025, 9, 10), D(2025, 9, 17))
    result = standing("CA", events, D(2025, 9, 17), thresholds={"ca_first_notice": 4})
    assert result.status is None
    assert "First truancy notification to the parent at 4 truancies" in result.version.label
    assert result.version.version_id == "CA-2025-07-01+local"
