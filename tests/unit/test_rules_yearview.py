"""The student's year as months of marked days."""
from fieldapp.rules.yearview import year_view
from tests.unit.rules_support import D, standing, unexcused


def days_of(months):
    return {day.date: day for month in months for week in month.weeks for day in week if day}


def test_each_day_says_what_happened_or_why_there_was_no_school():
    events = unexcused(D(2025, 9, 2)) + [(D(2025, 9, 3), "tardy", 40), (D(2025, 9, 3), "excused", 0)]
    result = standing("CA", events, D(2025, 9, 10))
    months = year_view(result)
    assert [m.title for m in months][:2] == ["August 2025", "September 2025"] and len(months) == 11
    days = days_of(months)
    assert days[D(2025, 9, 2)].kind == "unexcused" and days[D(2025, 9, 2)].text == "Sep 2: Unexcused absence"
    assert days[D(2025, 9, 3)].kind == "excused"  # the full-day mark wins over the tardy
    assert days[D(2025, 9, 1)].text == "Sep 1: Labor Day" and days[D(2025, 9, 1)].kind == "off"
    assert days[D(2025, 9, 4)].kind == "present" and days[D(2025, 9, 11)].kind == "future"
    assert D(2025, 8, 15) not in days  # before the first day: an empty cell
    assert all(any(week) for month in months for week in month.weeks)


def test_days_before_enrollment_are_marked_not_enrolled():
    from fieldapp.rules.engine import StudentFacts, evaluate
    from fieldapp.rules.settings import RuleSettings
    from tests.unit.rules_support import CALENDAR
    facts = StudentFacts(1, 1, [], enrolled_from=D(2025, 9, 15))
    result = evaluate(facts, RuleSettings().version_on(D(2025, 9, 19)), CALENDAR, D(2025, 9, 19))
    days = days_of(year_view(result))
    assert days[D(2025, 9, 12)].kind == "unenrolled" and days[D(2025, 9, 15)].kind == "present"
    assert result.days_enrolled == 5


def test_so_far_the_months_stop_at_the_month_of_the_day_asked():
    result = standing("CA", unexcused(D(2025, 9, 2)), D(2025, 10, 8))
    months = year_view(result, so_far=True)
    assert [m.title for m in months] == ["August 2025", "September 2025", "October 2025"]
    assert days_of(months)[D(2025, 10, 9)].kind == "future"  # the rest of this month still shows


def test_the_key_names_only_the_kinds_of_day_shown():
    from fieldapp.rules.yearview import legend
    result = standing("CA", unexcused(D(2025, 9, 2)), D(2025, 9, 10))
    kinds = [kind for kind, _ in legend(year_view(result, so_far=True))]
    assert kinds == ["present", "unexcused", "off", "future"]


def test_the_parts_of_days_missed_share_one_line_of_the_key_as_they_share_a_colour():
    from fieldapp.rules.yearview import legend
    events = [(D(2025, 9, 3), "tardy", 20), (D(2025, 9, 4), "partial", 90)]
    key = legend(year_view(standing("CA", events, D(2025, 9, 10)), so_far=True))
    assert [text for kind, text in key if kind == "tardy"] == ["Tardy, early departure or part of the day"]
    assert not [kind for kind, _ in key if kind in ("partial", "early_departure")]
