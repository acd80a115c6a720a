"""A student's attendance this year as the student page shows it: counts,
percentage of enrolled days missed, and the chronic-absence band."""
import datetime

import pytest

from fieldapp.models import AttendanceEvent, Enrollment
from fieldapp.rules.settings import from_config
from fieldapp.rules.standing import standing_of
from fieldapp.students import attendance
from fieldapp.students.attendance import AttendanceSummary, band_for, school_days, summary
from tests import factories


@pytest.mark.parametrize("percent,band", [
    (0, "satisfactory"), (4.9, "satisfactory"), (5, "at_risk"), (9.9, "at_risk"),
    (10, "moderate"), (19.9, "moderate"), (20, "severe"), (100, "severe"),
])
def test_band_thresholds(percent, band):
    assert band_for(percent) == band


def summary_of(missed, enrolled):
    return AttendanceSummary(days_enrolled=enrolled, unexcused=missed, excused=0, tardy=0,
                             early_departure=0, partial=0)


@pytest.mark.parametrize("missed,enrolled,percent,band", [
    (0, 0, 0.0, "satisfactory"),        # first day of school: nothing to divide by
    (9, 180, 5.0, "at_risk"),
    (18, 180, 10.0, "moderate"),
    (36, 180, 20.0, "severe"),
    (39, 391, 9.9, "at_risk"),           # 9.97%: not yet chronically absent
    (19, 382, 4.9, "satisfactory"),      # 4.97%
    (77, 386, 19.9, "moderate"),         # 19.95%
])
def test_percentage_shown_and_band_agree_at_the_edges(missed, enrolled, percent, band):
    """Missing 10% or more is chronic absence: 9.97% must not show as 10.0% or
    be banded as chronic."""
    shown = summary_of(missed, enrolled)
    assert (shown.percent_missed, shown.band) == (percent, band)


def test_summary_counts_this_school_year_only(app):
    school = factories.gen_school()
    student = factories.gen_student(school)
    on_day = datetime.date(2026, 3, 13)  # a Friday
    marks = [(datetime.date(2026, 3, 2), "unexcused"), (datetime.date(2026, 3, 3), "unexcused"),
             (datetime.date(2026, 3, 4), "excused"), (datetime.date(2026, 3, 5), "tardy"),
             (datetime.date(2026, 3, 6), "early_departure"), (datetime.date(2026, 3, 9), "partial"),
             (datetime.date(2025, 5, 1), "unexcused"),    # last school year
             (datetime.date(2026, 3, 16), "unexcused")]   # after the day asked about
    for day, category in marks:
        AttendanceEvent.create(student=student, school=school, date=day, category=category)
    result = summary(student, on_day)
    assert (result.unexcused, result.excused, result.tardy, result.early_departure,
            result.partial) == (2, 1, 1, 1, 1)
    assert result.days_missed == 3
    assert result.days_enrolled == len(school_days(datetime.date(2025, 7, 1), on_day))
    assert result.days_enrolled > 100
    assert result.percent_missed == int(1000 * 3 / result.days_enrolled) / 10
    # The student page counts from the standing the rule set computed: the same figures.
    standing = standing_of(from_config({"STATE": "CA"}), student, on_day)
    assert attendance.summary_of(standing) == result


def test_days_outside_the_enrollment_are_not_counted_either_way(app):
    school = factories.gen_school()
    student = factories.gen_student(school)
    Enrollment.create(student=student, school=school, begin_date=datetime.date(2026, 3, 4))
    for day in (datetime.date(2026, 3, 2), datetime.date(2026, 3, 5)):  # before and after enrolling
        AttendanceEvent.create(student=student, school=school, date=day, category="unexcused")
    on_day = datetime.date(2026, 3, 13)
    result = summary(student, on_day)
    assert (result.unexcused, result.days_enrolled) == (1, 8)
    assert attendance.summary_of(standing_of(from_config({"STATE": "CA"}), student, on_day)) == result


def test_school_days_are_weekdays_from_the_first_day_of_school():
    days = school_days(datetime.date(2025, 7, 1), datetime.date(2025, 8, 31))
    assert days[0] == datetime.date(2025, 8, 18)  # first Monday on or after 15 August
    assert all(d.weekday() < 5 for d in days)
    assert len(days) == 10
