"""What the statutes count: excused parts of days never (CA EC 48260(a) "without
a valid excuse"; TX Ed Code 25.095(b), 25.0951(a) "without excuse"; WA RCW
28A.225.020 unexcused absences; PA 24 P.S. 13-1326 unexcused absences), marks
on days without school never, and days enrolled across every span in the
district (chronic absence: 10% or more of enrolled days missed)."""
from fieldapp.rules.calendar import Calendar, CalendarBook
from tests.unit.rules_support import CALENDAR, D, HOLIDAYS, standing, step, unexcused


def test_ca_48260_a_an_excused_sixty_minute_late_arrival_is_not_a_truancy():
    events = unexcused(D(2025, 9, 3), D(2025, 9, 10)) + [(D(2025, 9, 17), "excused_tardy", 60)]
    result = standing("CA", events, D(2025, 9, 17))
    assert result.status is None and result.counts["year"] == 2
    assert "excused part of a day" in " ".join(result.why_nothing_due)
    unexcused_late = unexcused(D(2025, 9, 3), D(2025, 9, 10)) + [(D(2025, 9, 17), "tardy", 60)]
    assert standing("CA", unexcused_late, D(2025, 9, 17)).status.code == "truant"


def test_tx_25_0951_a_excused_parts_of_days_are_not_days_or_parts_of_days_without_excuse():
    events = [(D(2025, 9, d), "excused_early_departure", 45) for d in (2, 3, 4, 5, 8)]
    events += [(D(2025, 9, d), "excused_partial", 120) for d in (9, 10, 11, 12, 15)]
    result = standing("TX", events, D(2025, 9, 15))
    assert result.counts["six_months"] == 0 and result.next_step is None


def test_wa_28a_225_020_an_excused_partial_day_is_not_an_unexcused_absence():
    result = standing("WA", [(D(2025, 9, 3), "excused_partial", 240)], D(2025, 9, 3))
    assert result.next_step is None and result.counts["month"] == 0
    assert standing("WA", [(D(2025, 9, 3), "partial", 240)], D(2025, 9, 3)).next_step is not None


def test_pa_13_1326_an_excused_partial_day_never_counts_even_when_parts_of_days_do():
    events = unexcused(D(2025, 9, 3), D(2025, 9, 10)) + [(D(2025, 9, 17), "excused_partial", 200)]
    assert standing("PA", events, D(2025, 9, 17), part_day_minutes=180).status is None


def test_ca_48260_an_unexcused_absence_marked_on_veterans_day_is_not_a_truancy_nor_a_missed_day():
    assert HOLIDAYS[D(2025, 11, 11)] == "Veterans Day"
    events = unexcused(D(2025, 11, 3), D(2025, 11, 7), D(2025, 11, 11))
    result = standing("CA", events, D(2025, 11, 14))
    assert result.status is None and result.counts["year"] == 2 and result.days_missed == 2
    assert "days without school" in " ".join(result.why_nothing_due) or \
        "day without school" in " ".join(result.why_nothing_due)


def test_tx_25_095_b_weekend_and_outside_the_year_marks_do_not_count():
    events = unexcused(D(2025, 9, 6), D(2025, 9, 7), D(2025, 8, 11), D(2025, 9, 8))
    result = standing("TX", events, D(2025, 9, 8))
    assert result.counts["four_weeks"] == 1 and result.status is None
    assert len(result.left_out["not_school_day"]) == 3


def test_wa_28a_225_020_a_holiday_mark_sends_no_monthly_notice():
    result = standing("WA", unexcused(D(2025, 9, 1)), D(2025, 9, 2))  # Labor Day
    assert result.next_step is None and result.counts["month"] == 0


def test_pa_13_1333_a_three_marks_one_on_thanksgiving_break_is_not_truant():
    events = unexcused(D(2025, 11, 3), D(2025, 11, 10), D(2025, 11, 27))
    assert standing("PA", events, D(2025, 12, 1)).status is None


def _two_schools():
    """School 1 keeps the district calendar; school 2 the same year."""
    return CalendarBook("2025-26", (CALENDAR.first_day, CALENDAR.last_day, HOLIDAYS, {}),
                        {2: (CALENDAR.first_day, CALENDAR.last_day, {}, {})})


def test_chronic_absence_after_a_mid_year_transfer_counts_both_schools():
    # Aug 18 to Sep 30 at school 2, from Oct 1 at school 1; both keep the district's holidays.
    spans = ((2, D(2025, 8, 18), D(2025, 9, 30)), (1, D(2025, 10, 1), None))
    events = unexcused(D(2025, 9, 3), D(2025, 9, 10)) + unexcused(D(2025, 10, 8))
    result = standing("CA", events, D(2025, 10, 14), spans=spans, book=_two_schools())
    # 31 school days at school 2 (Labor Day off), 10 at school 1 (Oct 1 to 14).
    assert result.days_enrolled == 31 + 10
    assert result.days_missed == 3 and result.percent_missed == 7.3 and result.band == "at_risk"
    assert result.counts["year"] == 3  # the truancy count follows the pupil


def test_days_between_two_spans_are_not_enrolled_days():
    spans = ((1, D(2025, 8, 18), D(2025, 8, 29)), (1, D(2025, 9, 15), None))
    result = standing("CA", unexcused(D(2025, 9, 3)), D(2025, 9, 19), spans=spans)
    assert result.days_enrolled == 10 + 5 and result.days_missed == 0
    assert not result.is_enrolled(D(2025, 9, 3)) and result.is_enrolled(D(2025, 9, 15))


def test_excused_part_days_are_shown_apart_from_unexcused_ones():
    events = [(D(2025, 9, 3), "excused_tardy", 20), (D(2025, 9, 4), "tardy", 20)]
    result = standing("CA", events, D(2025, 9, 5))
    assert result.excused_part_days == 1 and result.part_days == 1


def test_a_calendar_without_holidays_counts_every_weekday():
    plain = Calendar("2025-26", D(2025, 8, 18), D(2026, 6, 11))
    result = standing("CA", unexcused(D(2025, 11, 3), D(2025, 11, 7), D(2025, 11, 11)), D(2025, 11, 14),
                      calendar=plain)
    assert result.status.code == "truant" and step(result, "ca_first_notice").triggered_on == D(2025, 11, 11)
