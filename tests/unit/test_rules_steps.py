"""Steps, provisos and citations the statutes impose: CA EC 48261 (reported
again, WIC 601(b) four truancies), 48262 (a conscientious effort is an
attempt), 48263.6 (chronic truant only after compliance); WA RCW 28A.225.018;
PA 24 P.S. 13-1333(b) and 13-1333.1; TX Ed Code 25.0915(a-3) as amended by
HB 699 (2021)."""
import pytest

from fieldapp.rules.states import rule_set
from tests.unit.rules_support import D, case, standing, step, unexcused

CA_SIX = [D(2025, 9, d) for d in (3, 10, 17, 24)] + [D(2025, 10, 1), D(2025, 10, 8)]
NOTIFIED = [(D(2025, 9, 18), "letter", "no_answer"), (D(2025, 9, 25), "phone", "reached_parent"),
            (D(2025, 10, 2), "phone", "reached_parent")]


def test_ca_48261_a_fourth_report_on_the_sixth_truancy_and_again_on_each_one_after():
    result = standing("CA", unexcused(*CA_SIX), D(2025, 10, 8), case(contacts=NOTIFIED))
    further = step(result, "ca_further_report")
    assert further.pending and further.triggered_on == D(2025, 10, 8) and "48261" in further.step.statute
    reported = case(contacts=NOTIFIED + [(D(2025, 10, 9), "letter", "no_answer")])
    again = standing("CA", unexcused(*CA_SIX, D(2025, 10, 15)), D(2025, 10, 15), reported)
    assert step(again, "ca_further_report").triggered_on == D(2025, 10, 15)
    assert step(again, "ca_further_report").pending


def test_ca_wic_601_b_four_truancies_status_once_the_conference_effort_is_made():
    record = case(contacts=NOTIFIED)
    result = standing("CA", unexcused(*CA_SIX), D(2025, 10, 8), record, born=D(2012, 1, 1), grade="08")
    assert result.status.code == "four_truancies_601b" and "601(b)" in result.status.label


@pytest.mark.parametrize("born, grade", [(D(2017, 3, 1), "03"), (D(2014, 3, 1), "05"), (None, "")])
def test_ca_wic_601_b_is_not_cited_for_a_pupil_it_does_not_speak_of(born, grade):
    """WIC 601(b) reaches a minor of 12 to 17: an eight- or eleven-year-old
    or a pupil of unknown age with four truancies was labelled with it."""
    result = standing("CA", unexcused(*CA_SIX), D(2025, 10, 8), case(contacts=NOTIFIED), born=born, grade=grade)
    assert result.status.code == "four_truancies" and "601(b)" not in result.status_label
    assert "601(b)" not in step(result, "ca_further_report").step.statute


def test_ca_48262_a_phone_call_to_arrange_a_conference_is_a_conscientious_effort():
    days = CA_SIX[:5]
    called = case(contacts=[(D(2025, 9, 19), "phone", "no_answer")])
    result = standing("CA", unexcused(*days), D(2025, 10, 1), called)
    assert result.status.code == "habitual_truant" and step(result, "ca_habitual_truant").missing == ()
    nothing = standing("CA", unexcused(*days), D(2025, 10, 1))
    assert nothing.status.code == "truant" and "48262" in step(nothing, "ca_habitual_truant").missing[0]


def test_ca_48262_a_conference_invitation_letter_is_a_conscientious_effort():
    from fieldapp.rules.engine import CaseRecord
    record = CaseRecord(letters=((D(2025, 9, 19), "conference_invitation"),))
    result = standing("CA", unexcused(*CA_SIX[:5]), D(2025, 10, 1), record)
    assert step(result, "ca_habitual_truant").missing == ()


def test_ca_48263_6_ten_percent_unexcused_is_not_chronic_truancy_before_the_steps_are_taken():
    result = standing("CA", unexcused(D(2025, 9, 2), D(2025, 9, 3)), D(2025, 9, 11))
    assert result.notes and "only once 48260 to 48263 and 48291" in result.notes[0]
    assert "Chronic truant (EC 48263.6)" not in result.notes[0]


def test_ca_48263_6_chronic_truant_once_48260_to_48263_were_complied_with():
    days = CA_SIX[:5]
    done = case(contacts=NOTIFIED[:2] + [(D(2025, 9, 26), "conference", "reached_parent"),
                                         (D(2025, 10, 2), "letter", "no_answer"),
                                         (D(2025, 10, 3), "home_visit", "referral_made")])
    result = standing("CA", unexcused(*days), D(2025, 10, 3), done)
    assert step(result, "ca_sarb_referral").done_on == D(2025, 10, 3)
    assert result.notes == ["Chronic truant (EC 48263.6): absent without valid excuse on 10% or more "
                            "of school days"]


def test_wa_28a_225_018_an_elementary_pupil_with_five_excused_absences_in_a_month():
    excused = [(D(2025, 10, d), "excused", 0) for d in (1, 2, 3, 6, 7)]
    result = standing("WA", excused, D(2025, 10, 7), grade="03")
    meeting = step(result, "wa_excused_conference")
    assert meeting.pending and meeting.triggered_on == D(2025, 10, 7)
    assert meeting.step.statute == "RCW 28A.225.018"
    assert not step(standing("WA", excused, D(2025, 10, 7), grade="08"), "wa_excused_conference").applies


def test_wa_28a_225_018_or_ten_excused_absences_in_the_year():
    excused = [(D(2025, m, d), "excused", 0) for m, d in ((9, 3), (9, 10), (9, 17), (9, 24), (10, 1),
                                                           (10, 8), (10, 15), (10, 22), (11, 5), (11, 12))]
    result = standing("WA", excused, D(2025, 11, 12), grade="KG", born=D(2019, 6, 1))
    assert step(result, "wa_excused_conference").triggered_on == D(2025, 11, 12)


def test_pa_13_1333_b_the_conference_follows_absences_after_the_notice_not_the_fourth():
    days = [D(2025, 9, 3), D(2025, 9, 10), D(2025, 9, 17), D(2025, 9, 24), D(2025, 10, 1)]
    late_notice = case(contacts=[(D(2025, 9, 26), "letter", "no_answer")])
    result = standing("PA", unexcused(*days[:4]), D(2025, 9, 29), late_notice)
    assert not step(result, "pa_saic").triggered  # the 4th came before the notice
    result = standing("PA", unexcused(*days), D(2025, 10, 1), late_notice)
    saic = step(result, "pa_saic")
    assert saic.triggered_on == D(2025, 10, 1) and saic.step.statute == "24 P.S. § 13-1333(b)"
    no_notice = standing("PA", unexcused(*days), D(2025, 10, 1))
    assert not step(no_notice, "pa_saic").triggered


def test_pa_13_1333_1_d_the_referral_must_verify_a_conference_was_held():
    days = [D(2025, 9, d) for d in (3, 10, 17, 24)] + [D(2025, 10, 1), D(2025, 10, 8)]
    referral = step(standing("PA", unexcused(*days), D(2025, 10, 8)), "pa_referral")
    assert "13-1333.1(d)" in referral.missing[0]
    steps = {s.code: s.statute for s in rule_set("PA").version_on(D(2025, 9, 1)).steps}
    assert "13-1333.2" not in " ".join(steps.values()) and "13-1333.3" not in " ".join(steps.values())


TEN = [D(2025, 9, d) for d in (2, 3, 4, 5, 8, 9, 10, 11, 12, 15)]


def test_tx_25_0915_a_3_severe_illness_bars_the_court_referral_and_asks_for_counseling():
    record = case(flags=["severe_illness"], contacts=[(D(2025, 9, 4), "letter", "no_answer"),
                                                      (D(2025, 9, 5), "conference", "reached_parent")])
    result = standing("TX", unexcused(*TEN), D(2025, 9, 15), record)
    court = step(result, "tx_court_referral")
    assert court.blocked and "illness" in court.blocked.lower() and "25.0915(a-3)" in court.blocked
    counseling = result.next_step
    assert counseling.step.code == "tx_additional_counseling" and counseling.step.statute == "Ed Code 25.0915(a-3)"
    # 10 school days after Sep 15.
    assert counseling.due_on == D(2025, 9, 29)


def test_tx_25_0915_a_3_no_counseling_step_without_a_flag():
    record = case(contacts=[(D(2025, 9, 4), "letter", "no_answer"),
                            (D(2025, 9, 5), "conference", "reached_parent")])
    result = standing("TX", unexcused(*TEN), D(2025, 9, 15), record)
    assert not step(result, "tx_additional_counseling").applies
    assert result.next_step.step.code == "tx_court_referral"


def test_tx_severe_illness_is_an_exemption_only_from_hb_699_in_2021():
    before = rule_set("TX").version_on(D(2020, 9, 1)).step("tx_court_referral")
    after = rule_set("TX").version_on(D(2021, 9, 1)).step("tx_court_referral")
    assert "severe_illness" not in before.exempt_flags and "severe_illness" in after.exempt_flags
