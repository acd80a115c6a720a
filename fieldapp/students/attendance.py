"""A student's attendance this school year, and its chronic-absence band."""
from collections import Counter
from dataclasses import dataclass

from fieldapp.models import Enrollment
from fieldapp.rules import bands
from fieldapp.rules.calendar import calendar_for, load_book
from fieldapp.rules.counting import EXCUSED_PART_DAY, days_missed_in_parts, enrolled_days
from fieldapp.rules.engine import enrolled_span
from fieldapp.rules.standing import student_events
from fieldapp.timefmt import school_year_of, school_year_start

# Full-day absences count toward chronic absence whatever the reason.
ABSENCE_CATEGORIES = ("excused", "unexcused")


@dataclass
class AttendanceSummary:
    days_enrolled: int
    unexcused: int
    excused: int
    tardy: int
    early_departure: int
    partial: int
    excused_parts: int = 0  # excused tardies, early departures and partial days
    missed_in_parts: int = 0  # days without a full-day absence whose parts missed add up to the school day

    @property
    def unexcused_parts(self):
        return self.tardy + self.early_departure + self.partial

    @property
    def days_missed(self):
        """Days missed whole, as chronic absence counts them (rules.engine.evaluate): full-day
        absences, excused or not, and split days whose parts add up to the whole school day."""
        return self.unexcused + self.excused + self.missed_in_parts

    @property
    def percent_missed(self):
        return bands.percent(self.days_missed, self.days_enrolled)

    @property
    def band(self):
        return band_for(self.percent_missed)


def band_for(percent_missed):
    """Chronic-absence band: <5% satisfactory, 5-9 at risk, 10-19 moderate, 20+ severe."""
    return bands.band_for(percent_missed)


def summary(student, on_day, day_minutes=None):
    """Counts by category over the school days the student was enrolled in
    the district this school year (every enrolment span), up to on_day.
    day_minutes: the school day's minutes (None: the installation's
    FIELDAPP_SCHOOL_DAY_MINUTES, or the rule set's default outside an app),
    by which parts of days add up to one missed."""
    if day_minutes is None:
        day_minutes = _school_day_minutes()
    book = load_book(school_year_of(on_day))
    calendar = book.for_school(student.school_id)
    spans = [(e.school_id, e.begin_date, e.end_date)
             for e in Enrollment.select().where(Enrollment.student == student)]
    days = enrolled_days(spans, book.for_school, on_day, school_year_start(on_day)) if spans else set()
    if not days:
        start, end = enrolled_span(calendar, None, None, on_day)
        days = set(calendar.days_between(start, end))
    first, last = min(days, default=on_day), max(days, default=on_day)
    marks = student_events(student, first, last, spans)  # of the schools enrolled at (rules.counting)
    return tally([mark for mark in marks if mark[0] in days], len(days), day_minutes)


def _school_day_minutes():
    from flask import current_app, has_app_context

    from fieldapp.rules.settings import RuleSettings, from_config
    return (from_config(current_app.config) if has_app_context() else RuleSettings()).school_day_minutes


def summary_of(standing):
    """The same counts from a student's standing under the rule set
    (rules.engine.Result), which has read their attendance already."""
    return tally([mark for mark in standing.events if standing.is_enrolled(mark[0])],
                 standing.days_enrolled, standing.version.school_day_minutes)


def tally(marks, days_enrolled, day_minutes):
    """An AttendanceSummary of a student's marks [(date, category, minutes)]
    on the days they were enrolled; day_minutes: the school day's minutes."""
    counts = Counter(category for _, category, _ in marks)
    whole = {day for day, category, _ in marks if category in ABSENCE_CATEGORIES}
    return AttendanceSummary(days_enrolled=days_enrolled, unexcused=counts["unexcused"],
                             excused=counts["excused"], tardy=counts["tardy"],
                             early_departure=counts["early_departure"], partial=counts["partial"],
                             excused_parts=sum(counts[c] for c in EXCUSED_PART_DAY),
                             missed_in_parts=len(days_missed_in_parts(marks, day_minutes) - whole))


def school_days(start, end):
    """The district's instructional days from start to end inclusive (see
    fieldapp.rules.calendar: imported calendars, or weekdays assumed)."""
    return calendar_for(None, start).days_between(start, end)
