"""Compulsory school age on the day asked, and the routes that change with age.

CA EC 48200 (6 to 18); TX Ed Code 25.085(b), (c), (e), Family Code 65.002(2),
Ed Code 25.0951(b); WA RCW 28A.225.010, 28A.225.015(1), 28A.225.030(1);
PA 24 P.S. 13-1326 (Act 16 of 2019) and 13-1333.1(a), (b).
"""
from tests.unit.rules_support import D, case, standing, step, unexcused

THREE = unexcused(D(2025, 9, 3), D(2025, 9, 10), D(2025, 9, 17))
TEN_TX = unexcused(*[D(2025, 9, d) for d in (2, 3, 4, 5, 8, 9, 10, 11, 12, 15)])
MEASURES = case(contacts=[(D(2025, 9, 5), "conference", "reached_parent")])


def test_ca_48200_a_five_year_old_kindergartner_is_not_truant_and_the_page_says_why():
    result = standing("CA", THREE, D(2025, 9, 17), born=D(2020, 3, 1), grade="KG")
    assert result.status is None and result.next_step is None and result.counts["year"] == 0
    why = " ".join(result.why_nothing_due)
    assert "5 years old" in why and "EC 48200" in why and "under compulsory school age" in why


def test_ca_48200_an_eighteen_year_old_is_past_compulsory_age():
    result = standing("CA", THREE, D(2025, 9, 17), born=D(2007, 5, 2), grade="12")
    assert result.status is None and result.next_step is None
    assert "past compulsory school age" in " ".join(result.why_nothing_due)


def test_ca_48200_absences_before_the_sixth_birthday_do_not_count_those_after_do():
    events = THREE + unexcused(D(2025, 10, 1), D(2025, 10, 8))
    result = standing("CA", events, D(2025, 10, 8), born=D(2019, 9, 15), grade="01")
    # Sep 3 and 10 fall before the 6th birthday on Sep 15: Sep 17, Oct 1 and Oct 8 count.
    assert result.counts["year"] == 3 and result.status.code == "truant"
    assert len(result.left_out["not_of_age"]) == 2


def test_ca_48200_a_pupil_who_turns_18_has_pending_reports_waived():
    result = standing("CA", THREE, D(2025, 10, 1), born=D(2007, 9, 20), grade="12")
    assert step(result, "ca_first_notice").triggered and result.next_step is None
    assert "past compulsory school age" in step(result, "ca_first_notice").waived


def test_tx_25_085_c_an_enrolled_kindergartner_of_five_is_bound():
    result = standing("TX", THREE, D(2025, 9, 17), born=D(2020, 3, 1), grade="KG")
    assert result.status.code == "warned" and result.next_step.step.code == "tx_warning_notice"


def test_tx_25_085_b_a_five_year_old_without_a_grade_on_file_is_not_bound():
    result = standing("TX", THREE, D(2025, 9, 17), born=D(2020, 3, 1), grade="")
    assert result.status is None and "Ed Code 25.085(b)" in " ".join(result.why_nothing_due)


def test_tx_family_code_65_002_a_child_under_12_goes_to_the_parent_complaint_not_truancy_court():
    result = standing("TX", TEN_TX, D(2025, 9, 15), MEASURES, born=D(2015, 1, 10), grade="05")
    court = step(result, "tx_court_referral")
    assert court.triggered and not court.pending and "65.002" in court.waived
    complaint = step(result, "tx_parent_complaint")
    assert complaint.pending and "25.0951(b)" in complaint.step.statute


def test_tx_family_code_65_002_a_child_of_12_to_18_is_referred_to_truancy_court():
    result = standing("TX", TEN_TX, D(2025, 9, 15), MEASURES, born=D(2011, 1, 10), grade="09")
    assert step(result, "tx_court_referral").pending
    assert not step(result, "tx_parent_complaint").applies


def test_tx_25_085_e_a_student_of_19_takes_the_adult_route():
    result = standing("TX", TEN_TX, D(2025, 9, 15), born=D(2006, 1, 10), grade="12")
    assert not step(result, "tx_warning_notice").applies and not step(result, "tx_court_referral").pending
    assert step(result, "tx_adult_warning").pending
    revoke = step(result, "tx_adult_revocation")  # more than five in a semester
    assert revoke.triggered_on == D(2025, 9, 9) and "25.085(e)" in revoke.step.statute


def test_wa_28a_225_010_a_seven_year_old_enrolled_is_bound_a_five_year_old_is_not():
    one = unexcused(D(2025, 9, 3))
    assert standing("WA", one, D(2025, 9, 3), born=D(2018, 5, 1), grade="01").next_step is not None
    young = standing("WA", one, D(2025, 9, 3), born=D(2020, 5, 1), grade="KG")
    assert young.next_step is None and "RCW 28A.225.010" in " ".join(young.why_nothing_due)


def test_wa_28a_225_030_1_no_mandatory_petition_for_a_child_of_17():
    days = [d for d in CALENDAR_DAYS_WA if d.month in (9, 10)][:15]
    conference = case(contacts=[(D(2025, 9, 2), "conference", "reached_parent")])
    sixteen = standing("WA", unexcused(*days), days[-1], conference, born=D(2009, 1, 1), grade="11")
    seventeen = standing("WA", unexcused(*days), days[-1], conference, born=D(2008, 1, 1), grade="12")
    assert step(sixteen, "wa_petition").pending
    petition = step(seventeen, "wa_petition")
    assert petition.triggered and not petition.pending and "under 17" in petition.waived


def test_pa_13_1333_1_habitual_truancy_splits_at_15():
    days = [D(2025, 9, d) for d in (3, 10, 17, 24)] + [D(2025, 10, 1), D(2025, 10, 8)]
    held = case(contacts=[(D(2025, 9, 29), "conference", "refused")])
    fourteen = standing("PA", unexcused(*days), D(2025, 10, 8), held, born=D(2011, 1, 1), grade="08")
    fifteen = standing("PA", unexcused(*days), D(2025, 10, 8), held, born=D(2010, 1, 1), grade="09")
    assert step(fourteen, "pa_referral").pending and not step(fourteen, "pa_referral_15").applies
    assert step(fifteen, "pa_referral_15").pending and not step(fifteen, "pa_referral").applies
    assert step(fourteen, "pa_referral").step.statute == "24 P.S. § 13-1333.1(a)"
    assert step(fifteen, "pa_referral_15").step.statute == "24 P.S. § 13-1333.1(b)"
    assert fourteen.status.code == fifteen.status.code == "habitually_truant"


def test_pa_13_1326_an_enrolled_kindergartner_is_bound_an_eighteen_year_old_is_not():
    assert standing("PA", THREE, D(2025, 9, 17), born=D(2020, 3, 1), grade="KG").status.code == "truant"
    assert standing("PA", THREE, D(2025, 9, 17), born=D(2007, 3, 1), grade="12").status is None


def test_pa_13_1326_before_act_16_of_2019_compulsory_age_ended_at_17():
    days = unexcused(D(2019, 9, 4), D(2019, 9, 11), D(2019, 9, 18))
    result = standing("PA", days, D(2019, 9, 18), calendar=_calendar_2019(), born=D(2002, 3, 1), grade="12")
    assert result.version.version == "PA-2017-07-01" and result.status is None


CALENDAR_DAYS_WA = [d for d in __import__("tests.unit.rules_support", fromlist=["CALENDAR"]).CALENDAR.days]


def _calendar_2019():
    from fieldapp.rules.calendar import Calendar
    return Calendar("2019-20", D(2019, 8, 19), D(2020, 6, 12))
