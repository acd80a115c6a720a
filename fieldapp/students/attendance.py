"""A student's attendance this school year, and its chronic-absence band."""
from dataclasses import dataclass

from peewee import fn

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
    in_year = ((AttendanceEvent.student == student)
               & (AttendanceEvent.date >= start) & (AttendanceEvent.date <= end))
    counts = dict(AttendanceEvent.select(AttendanceEvent.category, fn.COUNT(AttendanceEvent.id))
                  .where(in_year).group_by(AttendanceEvent.category).tuples())
    return AttendanceSummary(
        days_enrolled=calendar.count(start, end),
        unexcused=counts.get("unexcused", 0),
        excused=counts.get("excused", 0),
        tardy=counts.get("tardy", 0),
        early_departure=counts.get("early_departure", 0),
        partial=counts.get("partial", 0),
    )


def school_days(start, end):
    """The district's instructional days from start to end inclusive (see
    fieldapp.rules.calendar: imported calendars, or weekdays assumed)."""
    return calendar_for(None, start).days_between(start, end)
