"""A student's attendance this school year, and its chronic-absence band."""
from collections import Counter
from dataclasses import dataclass

from fieldapp.models import AttendanceEvent, Enrollment
from fieldapp.rules import bands
from fieldapp.rules.calendar import calendar_for
from fieldapp.rules.engine import enrolled_span

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

    @property
    def days_missed(self):
        return self.unexcused + self.excused

    @property
    def percent_missed(self):
        return bands.percent(self.days_missed, self.days_enrolled)

    @property
    def band(self):
        return band_for(self.percent_missed)


def band_for(percent_missed):
    """Chronic-absence band: <5% satisfactory, 5-9 at risk, 10-19 moderate, 20+ severe."""
    return bands.band_for(percent_missed)


def summary(student, on_day):
    """Counts by category over the days the student was enrolled this school
    year, up to on_day, counted on their school's calendar."""
    calendar = calendar_for(student.school_id, on_day)
    enrollment = Enrollment.get_or_none(Enrollment.student == student)
    start, end = enrolled_span(calendar, enrollment and enrollment.begin_date,
                               enrollment and enrollment.end_date, on_day)
    categories = (AttendanceEvent.select(AttendanceEvent.category)
                  .where((AttendanceEvent.student == student)
                         & (AttendanceEvent.date >= start) & (AttendanceEvent.date <= end)).tuples())
    return tally([category for category, in categories], calendar.count(start, end))


def summary_of(standing):
    """The same counts from a student's standing under the rule set
    (rules.engine.Result), which has read their attendance already."""
    start, end = standing.enrolled
    return tally([category for day, category, _ in standing.events if start <= day <= end],
                 standing.days_enrolled)


def tally(categories, days_enrolled):
    """An AttendanceSummary of the categories of a student's attendance events."""
    counts = Counter(categories)
    return AttendanceSummary(days_enrolled=days_enrolled, unexcused=counts["unexcused"],
                             excused=counts["excused"], tardy=counts["tardy"],
                             early_departure=counts["early_departure"], partial=counts["partial"])


def school_days(start, end):
    """The district's instructional days from start to end inclusive (see
    fieldapp.rules.calendar: imported calendars, or weekdays assumed)."""
    return calendar_for(None, start).days_between(start, end)
