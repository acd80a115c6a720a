"""School days, chronic-absence bands and the rule-set settings."""
import pytest

from fieldapp.rules.bands import band_for
from fieldapp.rules.calendar import CalendarBook, assumed_calendar
from fieldapp.rules.settings import SettingsError, from_config
from tests.unit.rules_support import CALENDAR, D, standing, unexcused


def test_weekends_and_holidays_are_not_school_days():
    assert CALENDAR.is_school_day(D(2025, 9, 2))
    assert not CALENDAR.is_school_day(D(2025, 9, 1))  # Labor Day
    assert not CALENDAR.is_school_day(D(2025, 9, 6))  # Saturday
    assert not CALENDAR.is_school_day(D(2025, 8, 15))  # before the first day
    assert CALENDAR.kind_of(D(2025, 12, 24)) == "holiday"
    assert CALENDAR.kind_of(D(2025, 12, 27)) == "weekend"


def test_counting_forward_in_school_days():
    assert CALENDAR.add_school_days(D(2025, 8, 29), 1) == D(2025, 9, 2)  # over Labor Day weekend
    assert CALENDAR.add_school_days(D(2025, 12, 19), 1) == D(2026, 1, 5)  # over winter break
    assert CALENDAR.add_school_days(D(2025, 9, 6), 0) == D(2025, 9, 8)  # due "that day" on a Saturday
    assert CALENDAR.add_school_days(D(2026, 6, 10), 3) == D(2026, 6, 15)  # past the last day: weekdays


def test_school_days_left_and_overdue():
    assert CALENDAR.school_days_left(D(2025, 9, 5), D(2025, 9, 9)) == 2
    assert CALENDAR.school_days_left(D(2025, 9, 9), D(2025, 9, 9)) == 0
    assert CALENDAR.school_days_left(D(2025, 9, 9), D(2025, 9, 2)) == -5


def test_a_make_up_saturday_is_a_school_day():
    book = CalendarBook("2025-26", (D(2025, 8, 18), D(2026, 6, 11), {}, {D(2026, 3, 14): "Make-up"}))
    assert book.for_school(7).is_school_day(D(2026, 3, 14))


def test_a_school_calendar_moves_the_first_day_and_adds_its_own_days_off():
    district = (D(2025, 8, 18), D(2026, 6, 11), {D(2025, 9, 1): "Labor Day"}, {})
    school = (D(2025, 8, 25), None, {D(2025, 10, 10): "Staff day"}, {})
    book = CalendarBook("2025-26", district, {3: school})
    own = book.for_school(3)
    assert own.first_day == D(2025, 8, 25) and own.last_day == D(2026, 6, 11)
    assert not own.is_school_day(D(2025, 9, 1)) and not own.is_school_day(D(2025, 10, 10))
    assert book.for_school(4).is_school_day(D(2025, 10, 10))


def test_without_a_calendar_weekdays_are_assumed_and_it_says_so():
    calendar = CalendarBook("2025-26").for_school(1)
    assert calendar.assumed and calendar.first_day == D(2025, 8, 18)
    assert assumed_calendar("2026-27").first_day == D(2026, 8, 17)


@pytest.mark.parametrize("share, band", [(0, "satisfactory"), (4.9, "satisfactory"), (5, "at_risk"),
                                         (9.9, "at_risk"), (10, "moderate"), (19.9, "moderate"),
                                         (20, "severe"), (55, "severe")])
def test_chronic_absence_bands(share, band):
    assert band_for(share) == band


def test_percent_missed_counts_enrolled_school_days_only():
    events = unexcused(D(2025, 9, 2)) + [(D(2025, 9, 3), "excused", 0), (D(2025, 9, 4), "tardy", 5)]
    result = standing("CA", events, D(2025, 9, 12))
    assert result.days_enrolled == 19 and result.days_missed == 2
    assert result.percent_missed == 10.5 and result.band == "moderate"


def test_settings_refuse_an_unknown_state_or_step():
    assert from_config({"STATE": "tx"}).state == "TX"
    with pytest.raises(SettingsError, match="FIELDAPP_STATE"):
        from_config({"STATE": "ZZ"})
    with pytest.raises(SettingsError, match="not a step"):
        from_config({"STATE": "CA", "RULE_THRESHOLDS": "tx_warning_notice=4"})
    with pytest.raises(SettingsError, match="step=number"):
        from_config({"STATE": "CA", "RULE_DEADLINES": "ca_first_notice=soon"})
    settings = from_config({"STATE": "PA", "RULE_DEADLINES": "pa_saic=5", "AUTO_OPEN_CASES": "1"})
    assert settings.auto_open and settings.version_on(D(2025, 9, 1)).step("pa_saic").due_days == 5
