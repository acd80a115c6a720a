"""A student's school year as a calendar of months, for the student page:
each day marked with what happened (or why there was no school)."""
import calendar as months
import datetime
from dataclasses import dataclass

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
KINDS = {  # css class -> what the legend says
    "present": "Present", "unexcused": "Unexcused absence", "excused": "Excused absence",
    "tardy": "Tardy", "early_departure": "Early departure", "partial": "Part of the day",
    "off": "No school", "unenrolled": "Not enrolled", "future": "Still to come",
}
# When a day holds several marks, the one that matters most is shown.
PRECEDENCE = ("unexcused", "excused", "partial", "early_departure", "tardy")


@dataclass
class Day:
    date: datetime.date
    kind: str  # a key of KINDS, or "" outside the school year
    text: str  # what a screen reader (and a tooltip) says

    @property
    def number(self):
        return self.date.day


@dataclass
class Month:
    title: str
    weeks: list  # [[Day or None] * 7]


def _marks(events):
    by_day = {}
    for day, category, minutes in events:
        by_day.setdefault(day, []).append((category, minutes))
    return by_day


def _day(day, result, marks):
    cal, on_day = result.calendar, result.on_day
    kind = cal.kind_of(day)
    if kind == "outside":
        return None  # before the first or after the last day: an empty cell
    if kind in ("holiday", "weekend"):
        name = cal.holidays.get(day) or ("Weekend" if kind == "weekend" else "No school")
        return Day(day, "off", f"{day:%b %-d}: {name}")
    if day > on_day:
        return Day(day, "future", f"{day:%b %-d}: still to come")
    first, last = result.enrolled
    if not first <= day <= last:
        return Day(day, "unenrolled", f"{day:%b %-d}: not enrolled")
    held = dict(marks.get(day, ()))
    for category in PRECEDENCE:
        if category in held:
            minutes = f", {held[category]} minutes" if held[category] and category not in (
                "excused", "unexcused") else ""
            return Day(day, category, f"{day:%b %-d}: {KINDS[category]}{minutes}")
    return Day(day, "present", f"{day:%b %-d}: present")


def year_view(result):
    """The months of the school year of a Result, Monday first."""
    cal, marks = result.calendar, _marks(result.events or [])
    grid = months.Calendar(firstweekday=0)
    year, month = cal.first_day.year, cal.first_day.month
    shown = []
    while (year, month) <= (cal.last_day.year, cal.last_day.month):
        weeks = [[_day(d, result, marks) if d.month == month else None for d in week]
                 for week in grid.monthdatescalendar(year, month)]
        weeks = [week for week in weeks if any(week)]
        shown.append(Month(datetime.date(year, month, 1).strftime("%B %Y"), weeks))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return shown


def legend():
    return list(KINDS.items())


def student_year(settings, student, on_day):
    """What templates/students/_attendance_calendar.html shows of one student."""
    from fieldapp.rules.ladder import WINDOW_CAPTIONS
    from fieldapp.rules.standing import standing_of
    standing = standing_of(settings, student, on_day)
    return {"standing": standing, "year": year_view(standing), "legend": legend(),
            "window_captions": WINDOW_CAPTIONS}
