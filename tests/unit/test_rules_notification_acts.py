"""The legal notification and reports are acts of casework, one act per step.

A call the front office logs about a student with no case is a record of
contact, not the EC 48260.5 notification; and one contact is one report:
the first notification and the second report (EC 48261, after a further
truancy) take two."""
from fieldapp.rules.ladder import CASEWORK, RECORD
from tests.unit.rules_support import D, case, standing, step, unexcused

# Truant on Sep 10 (the 3rd), reported again due from Sep 17 (the 4th).
FOUR = unexcused(D(2025, 9, 3), D(2025, 9, 8), D(2025, 9, 10), D(2025, 9, 17))


def test_a_front_office_call_without_a_case_is_not_the_first_notification():
    called = case(contacts=[(D(2025, 9, 22), "phone", "reached_parent", RECORD)])
    result = standing("CA", FOUR, D(2025, 10, 1), called)
    first = step(result, "ca_first_notice")
    assert first.done_on is None and first.overdue(D(2025, 10, 1))
    assert result.next_step.step.code == "ca_first_notice"


def test_one_officer_call_after_both_thresholds_is_the_first_notification_only():
    called = case(contacts=[(D(2025, 9, 22), "phone", "reached_parent", CASEWORK)])
    result = standing("CA", FOUR, D(2025, 10, 1), called)
    assert step(result, "ca_first_notice").done_on == D(2025, 9, 22)
    second = step(result, "ca_second_report")
    assert second.done_on is None and second.overdue(D(2025, 10, 1))
    assert result.next_step.step.code == "ca_second_report"


def test_two_calls_each_after_its_truancy_make_both_reports():
    called = case(contacts=[(D(2025, 9, 11), "phone", "reached_parent", CASEWORK),
                            (D(2025, 9, 18), "phone", "reached_parent", CASEWORK)])
    result = standing("CA", FOUR, D(2025, 10, 1), called)
    assert step(result, "ca_first_notice").done_on == D(2025, 9, 11)
    assert step(result, "ca_second_report").done_on == D(2025, 9, 18)
    assert result.next_step is None


def test_two_late_calls_make_both_reports_in_ladder_order():
    called = case(contacts=[(D(2025, 9, 24), "phone", "reached_parent", CASEWORK),
                            (D(2025, 9, 22), "phone", "reached_parent", CASEWORK)])
    result = standing("CA", FOUR, D(2025, 10, 1), called)
    assert step(result, "ca_first_notice").done_on == D(2025, 9, 22)
    assert step(result, "ca_second_report").done_on == D(2025, 9, 24)


def test_the_letter_is_the_notification_whoever_made_it():
    sent = case(contacts=[(D(2025, 9, 11), "letter", "letter_issued", RECORD)])
    result = standing("CA", FOUR, D(2025, 10, 1), sent)
    assert step(result, "ca_first_notice").done_on == D(2025, 9, 11)
    assert step(result, "ca_second_report").done_on is None


def test_a_front_office_call_is_not_washingtons_notice_either():
    events = unexcused(D(2025, 9, 8))
    called = case(contacts=[(D(2025, 9, 9), "phone", "reached_parent", RECORD)])
    assert step(standing("WA", events, D(2025, 9, 30), called), "wa_notice").done_on is None
    worked = case(contacts=[(D(2025, 9, 9), "phone", "reached_parent", CASEWORK)])
    assert step(standing("WA", events, D(2025, 9, 30), worked), "wa_notice").done_on == D(2025, 9, 9)


def test_a_contact_taken_by_a_report_still_serves_a_step_asking_other_evidence():
    """The call that is the first notification is also an attempt to reach the
    parents for the conference EC 48262 asks (a requirement, not a report)."""
    five = FOUR + unexcused(D(2025, 9, 22))
    called = case(contacts=[(D(2025, 9, 11), "phone", "reached_parent", CASEWORK),
                            (D(2025, 9, 18), "phone", "reached_parent", CASEWORK)])
    result = standing("CA", five, D(2025, 10, 1), called)
    third = step(result, "ca_habitual_truant")
    assert third.done_on is None and third.missing == ()


# Nine truancies: every California report is due, and the first notification was never sent.
NINE = FOUR + unexcused(D(2025, 9, 22), D(2025, 9, 24), D(2025, 9, 26), D(2025, 9, 29), D(2025, 9, 30))


def test_a_front_office_call_without_a_case_is_not_the_conference_effort():
    """The front office logging a parent's call (an excuse, no case) is a
    record of contact, not the district's conscientious effort to hold a
    conference (EC 48262): the student stays truant, not habitual truant or
    four truancies, until an officer reaches out on a case."""
    called = case(contacts=[(D(2025, 10, 1), "phone", "reached_parent", RECORD)])
    result = standing("CA", NINE, D(2025, 10, 6), called)
    assert result.status.code == "truant"
    assert result.next_step.step.code == "ca_first_notice"
    worked = case(contacts=[(D(2025, 10, 1), "phone", "voicemail", CASEWORK)])
    assert standing("CA", NINE, D(2025, 10, 6), worked).status.code == "four_truancies"
