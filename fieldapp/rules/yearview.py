"""A student's school year as a calendar of months, for the student page:
each day marked with what happened (or why there was no school)."""
import calendar as months
import datetime
from dataclasses import dataclass

from fieldapp.messages import N_, Message, plural_message
from fieldapp.timefmt import school_year_of, school_year_start

KINDS = {  # css class -> what the legend says
    "present": N_("Present"), "unexcused": N_("Unexcused absence"), "excused": N_("Excused absence"),
    "tardy": N_("Tardy"), "early_departure": N_("Early departure"), "partial": N_("Part of the day"),
    "excused_part": N_("Excused part of the day"), "split": N_("Part of the day excused, part not"),
    "off": N_("No school"), "unenrolled": N_("Not enrolled"), "future": N_("Still to come"),
}
# Unexcused parts of days share a colour on the calendar, and a line of the key.
UNEXCUSED_PARTS = ("tardy", "early_departure", "partial")
PARTS_OF_DAYS = N_("Tardy, early departure or part of the day")
# A day missed in parts, one excused and one not, says which part is which.
SPLIT_WORDS = {"partial": N_("Unexcused part of the day"), "excused_partial": KINDS["excused_part"]}
# When a day holds several marks (an Ed-Fi split day: an unexcused and an excused share), each
# is said, the one that matters most first; its colour is the day's, unless one part is excused
# and another not ("split").
PRECEDENCE = ("unexcused", "excused", "partial", "early_departure", "tardy",
              "excused_partial", "excused_early_departure", "excused_tardy")
EXCUSED_PARTS = {"excused_partial": N_("Excused partial day"), "excused_early_departure":
                 N_("Excused early departure"), "excused_tardy": N_("Excused tardy")}


@dataclass
class Day:
    date: datetime.date
    kind: str  # a key of KINDS
    what: str  # what a screen reader (and a tooltip) says after the date: a label or a Message
    said: str = ""  # the date and `what` in the user's words, set by the web layer

    @property
    def number(self):
        return self.date.day

    @property
    def text(self):
        return f"{self.date:%b %-d}: {self.what}"


@dataclass
class Month:
    first: datetime.date
    weeks: list  # [[Day or None] * 7]
    rows: list = None  # each week's table cells as HTML, made by the web layer

    @property
    def title(self):
        return f"{self.first:%B %Y}"


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
        # a holiday is named as the district's calendar names it
        name = cal.holidays.get(day) or (N_("Weekend") if kind == "weekend" else KINDS["off"])
        return Day(day, "off", name)
    if day > on_day:
        return Day(day, "future", KINDS["future"])
    if not result.is_enrolled(day):
        return Day(day, "unenrolled", KINDS["unenrolled"])
    held = dict(marks.get(day, ()))
    parts = [_part(category, held[category]) for category in PRECEDENCE if category in held]
    if not parts:
        return Day(day, "present", KINDS["present"])
    if len(parts) == 1:
        return Day(day, *parts[0])
    kinds, kind = {kind for kind, _ in parts}, parts[0][0]
    if "excused_part" in kinds and kinds & set(UNEXCUSED_PARTS):
        # one part excused and one not: both fills, and the part not excused says so
        kind = "split"
        parts = [_part(category, held[category], SPLIT_WORDS) for category in PRECEDENCE if category in held]
    return Day(day, kind, Message("In parts: %(parts)s", parts=tuple(what for _, what in parts)))


def _part(category, minutes, words=None):
    """(kind, what is said) of one mark of a day; words: a category's words in place of its label."""
    kind, what = ("excused_part", EXCUSED_PARTS[category]) if category in EXCUSED_PARTS \
        else (category, KINDS[category])
    what = (words or {}).get(category, what)
    if category in ("excused", "unexcused") or not minutes:
        return kind, what
    return kind, plural_message("%(what)s, %(num)d minute", "%(what)s, %(num)d minutes", minutes,
                                what=what, num=minutes)


def year_view(result, so_far=False):
    """The months of the school year of a Result (a list of Month), Monday first;
    with so_far, only those up to the month of result.on_day (months still to come
    are empty, and push what matters down a phone's screen)."""
    cal, marks = result.calendar, _marks(result.events or [])
    grid = months.Calendar(firstweekday=0)
    year, month = cal.first_day.year, cal.first_day.month
    last = (cal.last_day.year, cal.last_day.month)
    if so_far:
        last = max((year, month), min(last, (result.on_day.year, result.on_day.month)))
    shown = []
    while (year, month) <= last:
        weeks = [[_day(d, result, marks) if d.month == month else None for d in week]
                 for week in grid.monthdatescalendar(year, month)]
        weeks = [week for week in weeks if any(week)]
        shown.append(Month(datetime.date(year, month, 1), weeks))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return shown


def legend(shown=None):
    """(css class, label) of each kind of day; with shown (a list of Month), only the
    kinds that appear in it, in the key's order."""
    if shown is None:
        return list(KINDS.items())
    kinds = {day.kind for month in shown for week in month.weeks for day in week if day}
    key = []
    for kind, text in KINDS.items():
        if kind in UNEXCUSED_PARTS:  # one colour, so one line of the key
            if kinds & set(UNEXCUSED_PARTS) and (UNEXCUSED_PARTS[0], PARTS_OF_DAYS) not in key:
                key.append((UNEXCUSED_PARTS[0], PARTS_OF_DAYS))
        elif kind in kinds:
            key.append((kind, text))
    return key


def student_year(settings, student, on_day):
    """What templates/students/_attendance_calendar.html shows of one student:
    the stored standing (fieldapp.rules.stored), with the school calendar and
    this year's marks read for the months."""
    from fieldapp.rules.ladder import WINDOW_CAPTIONS
    standing = _standing_with_marks(settings, student, on_day)
    shown = year_view(standing, so_far=True)
    return {"standing": standing, "year": shown, "legend": legend(shown), "marked": marked_days(shown),
            "window_captions": WINDOW_CAPTIONS}


def marked_days(shown):
    """The Days of shown (a list of Month) with a mark of absence or of part of a day
    missed, in order: what a phone, with no hover to read a day's title, lists under the months."""
    quiet = ("present", "off", "future", "unenrolled")
    return [day for month in shown for week in month.weeks for day in week if day and day.kind not in quiet]


def present_days(settings, student, on_day, days):
    """The dates among days (a list of dates) that the student's calendar
    shows as present on on_day: past school days of their enrolment with no
    absence, part of a day missed, recorded; in order. A day to come, or one
    without school, is not present; nor is on_day itself unless marked
    present (its marks may not have come yet: a note is often for today)."""
    if not days:
        return []
    standing = _standing_with_marks(settings, student, on_day)
    marks = _marks(standing.events or [])
    shown = (_day(day, standing, marks) for day in days)
    return [day.date for day in shown if day is not None and day.kind == "present"
            and (day.date < on_day or "present" in dict(marks.get(day.date, ())))]


def _standing_with_marks(settings, student, on_day):
    """The stored standing (fieldapp.rules.stored) of student on on_day, with
    the school calendar and this year's marks that a day's kind is read from."""
    from fieldapp.rules.calendar import kept_book
    from fieldapp.rules.standing import student_events
    from fieldapp.rules.stored import standing_for, stored_row
    year, start = school_year_of(on_day), school_year_start(on_day)
    # with the fingerprint of the year's calendars and the year's marks
    row, calendars, marks = stored_row(student, year, start, on_day)
    # the book before the standing: its freshness is checked against the book
    book = kept_book(year, calendars)
    standing = standing_for(settings, student, on_day, book, row)
    if standing.calendar is None:  # read back from its row: the months need these too
        standing.calendar = book.for_school(student.school_id)
        standing.events = marks if marks is not None else student_events(student, start, on_day)
    return standing
