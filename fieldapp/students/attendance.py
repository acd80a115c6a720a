"""A student's attendance this school year, and its chronic-absence band."""
import datetime
from dataclasses import dataclass

from peewee import fn

from fieldapp.models import AttendanceEvent
from fieldapp.timefmt import school_year_start

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
        if not self.days_enrolled:
            return 0.0
        return round(100.0 * self.days_missed / self.days_enrolled, 1)

    @property
    def band(self):
        return band_for(self.percent_missed)


def band_for(percent_missed):
    """Chronic-absence band: <5% satisfactory, 5-9 at risk, 10-19 moderate, 20+ severe."""
    if percent_missed >= 20:
        return "severe"
    if percent_missed >= 10:
        return "moderate"
    if percent_missed >= 5:
        return "at_risk"
    return "satisfactory"


def summary(student, on_day):
    """Counts by category from the start of on_day's school year to on_day."""
    start = school_year_start(on_day)
    in_year = ((AttendanceEvent.student == student)
               & (AttendanceEvent.date >= start) & (AttendanceEvent.date <= on_day))
    counts = dict(AttendanceEvent.select(AttendanceEvent.category, fn.COUNT(AttendanceEvent.id))
                  .where(in_year).group_by(AttendanceEvent.category).tuples())
    return AttendanceSummary(
        days_enrolled=len(school_days(start, on_day)),
        unexcused=counts.get("unexcused", 0),
        excused=counts.get("excused", 0),
        tardy=counts.get("tardy", 0),
        early_departure=counts.get("early_departure", 0),
        partial=counts.get("partial", 0),
    )


def school_days(start, end):
    """Instructional days from start to end inclusive: weekdays from the first
    day of school (the first Monday on or after 15 August)."""
    first = datetime.date(start.year, 8, 15)
    first += datetime.timedelta(days=(7 - first.weekday()) % 7)
    day, days = max(start, first), []
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days
