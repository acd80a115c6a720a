"""Counting a student's marks the way the statutes count them.

A mark counts toward a state's thresholds when it is an unexcused full day,
or an unexcused part of a day of at least the state's minutes, on a day
with school, while the student was enrolled and bound by the compulsory
attendance law. Marks left out for one of those reasons are kept aside with
the reason, so a page can say why nothing is due.
"""
import datetime
from dataclasses import dataclass, field

FULL_DAY_ABSENCES = ("excused", "unexcused")
PART_DAY = ("tardy", "early_departure", "partial")  # unexcused parts of days
EXCUSED_PART_DAY = ("excused_tardy", "excused_early_departure", "excused_partial")
# Why a mark that would otherwise count does not.
NOT_SCHOOL_DAY, NOT_OF_AGE, EXCUSED, NOT_ENROLLED = "not_school_day", "not_of_age", "excused", "not_enrolled"


@dataclass
class Tally:
    """A school year's marks, sorted by what the law makes of them."""
    counted: list = field(default_factory=list)  # sorted days that count toward the thresholds
    excused: list = field(default_factory=list)  # sorted days of full-day excused absences that count
    left_out: dict = field(default_factory=dict)  # reason -> sorted days that would count but for it


def _would_count(category, minutes, minimum):
    if category == "unexcused":
        return True
    return bool(minimum) and category in PART_DAY and (minutes or 0) >= minimum


def _excused_part(category, minutes, minimum):
    return bool(minimum) and category in EXCUSED_PART_DAY and (minutes or 0) >= minimum


def tally(events, version, calendar=None, bound=None, enrolled=None):
    """A Tally of events [(date, category, minutes)] under a rule version.
    calendar (rules.calendar.Calendar) leaves out days without school;
    bound(day) -> bool leaves out days the student was not of compulsory
    age; enrolled (a set of days) leaves out days not enrolled anywhere in the
    district (None: no enrolment record, every day counts)."""
    minimum = version.part_day_minutes
    counted, excused, left_out = set(), set(), {}
    for day, category, minutes in events:
        counts = _would_count(category, minutes, minimum)
        if not (counts or category == "excused" or _excused_part(category, minutes, minimum)):
            continue
        reason = ""
        if calendar is not None and not calendar.is_school_day(day):
            reason = NOT_SCHOOL_DAY
        elif enrolled is not None and day not in enrolled:
            reason = NOT_ENROLLED
        elif bound is not None and not bound(day):
            reason = NOT_OF_AGE
        if category == "excused":
            if not reason:
                excused.add(day)
            continue
        if not counts:
            reason = reason or EXCUSED
        if reason:
            left_out.setdefault(reason, set()).add(day)
        else:
            counted.add(day)
    left_out = {reason: sorted(days - counted) for reason, days in left_out.items()}
    return Tally(sorted(counted), sorted(excused), {r: d for r, d in left_out.items() if d})


def days_missed_in_parts(events, day_minutes):
    """The days whose parts missed add up to the whole school day: a split
    day (Ed-Fi eventDuration 0.5 Excused Absence and 0.5 Unexcused Absence,
    kept as an excused partial day and a partial day, imports.attendance),
    or tardies, early departures and partial days, excused or not, whose
    minutes together reach day_minutes (FIELDAPP_SCHOOL_DAY_MINUTES). Such a
    day was missed whole, whatever its reasons: chronic absence counts it as
    one day missed, as it counts a full-day absence. events: [(date,
    category, minutes)]; returns a set of dates."""
    minutes = {}
    for day, category, missed in events:
        if category in PART_DAY or category in EXCUSED_PART_DAY:
            minutes[day] = minutes.get(day, 0) + (missed or 0)
    return {day for day, total in minutes.items() if total >= day_minutes}


def counted_days(events, version, calendar=None, bound=None):
    """The days that count toward the state's thresholds, sorted (see tally)."""
    return tally(events, version, calendar, bound).counted


def months_before(day, months):
    """The same day `months` months earlier (the last day of a shorter month)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue


def semester_of(day):
    """(year, 1 or 2): July to December, or January to June. Calendars here
    carry no semester dates, so the half-year stands for the semester."""
    return day.year, 1 if day.month >= 7 else 2


def in_window(first, last, window):
    """Do first..last both fall in one window of this kind ending on last?"""
    if window == "four_weeks":
        return (last - first).days < 28
    if window == "six_months":
        return first > months_before(last, 6)
    if window == "month":
        return (first.year, first.month) == (last.year, last.month)
    if window == "semester":
        return semester_of(first) == semester_of(last)
    return True


def window_counts(days, on_day):
    """Counted absences on or before on_day in each window the states use."""
    four_weeks = on_day - datetime.timedelta(days=28)
    six_months = months_before(on_day, 6)
    past = [d for d in days if d <= on_day]
    return {
        "year": len(past),
        "four_weeks": sum(1 for d in past if d > four_weeks),
        "six_months": sum(1 for d in past if d > six_months),
        "month": sum(1 for d in past if (d.year, d.month) == (on_day.year, on_day.month)),
        "semester": sum(1 for d in past if semester_of(d) == semester_of(on_day)),
    }


def crossings(days, threshold, monthly=False, each=False):
    """The days on which the threshold was crossed: the first only, the first
    in each month when the step repeats monthly, or every further day when it
    repeats on each one."""
    n, hits, months = threshold.count, [], set()
    for i in range(n - 1, len(days)):
        day = days[i]
        if monthly and (day.year, day.month) in months:
            continue
        if in_window(days[i - n + 1], day, threshold.window):
            hits.append(day)
            if not (monthly or each):
                break
            months.add((day.year, day.month))
    return hits


def enrolled_days(spans, calendar_of, on_day, year_start):
    """The school days, up to on_day, of this school year on which the student
    was enrolled at one of the district's schools: spans are (school id, begin,
    end) with None for an open end; calendar_of(school id) gives that school's
    calendar, so each span counts its own school's days."""
    days = set()
    for school_id, begin, end in spans:
        calendar = calendar_of(school_id)
        first = max(calendar.first_day, begin or calendar.first_day, year_start)
        last = min(on_day, calendar.last_day, end or on_day)
        if first <= last:
            days.update(calendar.days_between(first, last))
    return days


def elsewhere_on(spans, school_id, day):
    """Whether enrolment spans ((school id, first, last), None for an open
    end; days as dates or as ordinals, the same kind as day) put the student
    at another school on day and none of them at school_id: a mark of
    school_id that day is another school's. A day outside every span is not
    (the mark is kept, and not counted as a day enrolled)."""
    covered = False
    for school, first, last in spans:
        if (first is None or first <= day) and (last is None or day <= last):
            if school == school_id:
                return False
            covered = True
    return covered


def of_schools_enrolled(marks, home_school, spans):
    """The marks [(date, category, minutes, school id)] of a school the
    student was enrolled at on the mark's day, as (date, category, minutes):
    their own school (home_school) or the school of one of their enrolment
    spans ((school id, begin, end), None for an open end), except on a day
    the spans put them at another school only (elsewhere_on).

    It is the rule the attendance import applies to each row
    (imports.attendance_lookups), applied again whenever marks are counted,
    so a mark stored while a roster placed the student at its school stops
    counting once the roster no longer does (a transfer undone, a later
    roster moving the student): the mark is kept, not counted."""
    schools = {home_school, *(span[0] for span in spans)}
    return [(day, category, minutes) for day, category, minutes, school in marks
            if school in schools and not (spans and elsewhere_on(spans, school, day))]
