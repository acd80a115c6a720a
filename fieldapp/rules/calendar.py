"""School calendars: which days are instructional, and counting in school days.

A district calendar (imported, see fieldapp.imports.calendar) gives the first
and last day of the school year and the weekdays without school; a school may
have its own calendar that moves those days and adds its own days off.
Weekends are never school days unless listed as make-up days. Without an
imported calendar, weekdays from the first Monday on or after 15 August to
the last weekday by 12 June are assumed, and the calendar says so.
"""
import bisect
import datetime
import time

from fieldapp.db import Param, Prepared
from fieldapp.timefmt import school_year_of, school_year_start

ONE_DAY = datetime.timedelta(days=1)


class Calendar:
    """The instructional days of one school year at one school."""

    def __init__(self, school_year, first_day, last_day, holidays=None, make_up=None,
                 assumed=False, year_assumed=None):
        self.school_year = school_year
        self.first_day, self.last_day = first_day, last_day
        self.holidays = dict(holidays or {})  # date -> name: weekdays without school
        self.make_up = dict(make_up or {})  # date -> name: weekend days with school
        self.assumed = assumed  # no calendar imported: weekdays assumed
        # the first or the last day assumed (mid-August, mid-June): days off imported, but no calendar
        # of the school or the district gives the year's bounds
        self.year_assumed = assumed if year_assumed is None else year_assumed
        self.days = self._instructional_days()
        self._ordinals = [d.toordinal() for d in self.days]
        self._school_days = set(self._ordinals)  # a year's calendar asks of every day: no search

    def _instructional_days(self):
        days, day = [], self.first_day
        while day <= self.last_day:
            if (day.weekday() < 5 and day not in self.holidays) or day in self.make_up:
                days.append(day)
            day += ONE_DAY
        return days

    def is_school_day(self, day):
        return day.toordinal() in self._school_days

    def days_between(self, start, end):
        """The school days from start to end, both included."""
        lo = bisect.bisect_left(self._ordinals, start.toordinal())
        hi = bisect.bisect_right(self._ordinals, end.toordinal())
        return self.days[lo:hi]

    def count(self, start, end):
        """How many school days from start to end, both included."""
        if end < start:
            return 0
        return (bisect.bisect_right(self._ordinals, end.toordinal())
                - bisect.bisect_left(self._ordinals, start.toordinal()))

    def add_school_days(self, day, n):
        """The nth school day after day (n=0: day itself, or the next school day
        when day has no school). Past the last day of school, weekdays are
        counted, since next year's calendar may not be known yet."""
        i = bisect.bisect_right(self._ordinals, day.toordinal()) if n > 0 else \
            bisect.bisect_left(self._ordinals, day.toordinal())
        i += max(n - 1, 0)
        if i < len(self.days):
            return self.days[i]
        extra = i - len(self.days) + 1
        current = max(day, self.last_day)
        while extra > 0:
            current += ONE_DAY
            if current.weekday() < 5:
                extra -= 1
        return current

    def school_days_left(self, today, due):
        """School days from today (excluded) to due (included); negative when
        due has passed (how many school days overdue)."""
        if due >= today:
            return self.count(today + ONE_DAY, due) if due > today else 0
        return -self.count(due + ONE_DAY, today)

    def previous_school_day(self, day):
        """The last school day before day, or the day before when there is none."""
        i = bisect.bisect_left(self._ordinals, day.toordinal())
        return self.days[i - 1] if i > 0 else day - ONE_DAY

    def kind_of(self, day):
        """'school', 'holiday', 'weekend' or 'outside' (before or after the year)."""
        if day < self.first_day or day > self.last_day:
            return "outside"
        if self.is_school_day(day):
            return "school"
        return "weekend" if day.weekday() >= 5 else "holiday"


def first_year_of(school_year):
    """The calendar year a school year such as '2026-27' starts in, kept
    within the years a date can have (a year written '206-07' or '0-1' too)."""
    return min(max(int(school_year.split("-")[0] or 0), datetime.MINYEAR), datetime.MAXYEAR - 1)


def assumed_calendar(school_year):
    """Weekdays from the first Monday on or after 15 August to the last
    weekday on or before 12 June."""
    start_year = first_year_of(school_year)
    first = datetime.date(start_year, 8, 15)
    first += datetime.timedelta(days=(7 - first.weekday()) % 7)
    last = datetime.date(start_year + 1, 6, 12)
    last -= datetime.timedelta(days=max(last.weekday() - 4, 0))
    return Calendar(school_year, first, last, assumed=True)


class CalendarBook:
    """Every calendar of one school year, loaded once: the district's, and the
    schools' own on top of it."""

    def __init__(self, school_year, district=None, schools=None):
        self.school_year = school_year
        self.district = district  # (first_day, last_day, holidays, make_up) or None
        self.schools = schools or {}  # school_id -> the same tuple
        self._built = {}

    def for_school(self, school_id=None):
        """The calendar a school keeps (the district's when it has none)."""
        if school_id not in self._built:
            self._built[school_id] = self._build(school_id)
        return self._built[school_id]

    def _build(self, school_id):
        base = self.district
        own = self.schools.get(school_id)
        if base is None and own is None:
            return assumed_calendar(self.school_year)
        fallback = assumed_calendar(self.school_year)
        given_first, given_last = (own and own[0]) or (base and base[0]), (own and own[1]) or (base and base[1])
        first, last = given_first or fallback.first_day, given_last or fallback.last_day
        holidays, make_up = {}, {}
        for part in (base, own):
            if part:
                holidays.update(part[2])
                make_up.update(part[3])
        return Calendar(self.school_year, first, last, holidays, make_up,
                        year_assumed=not (given_first and given_last))


def load_book(school_year):
    """The CalendarBook of a school year, read from the database (two queries)."""
    calendars = _BOOK_CALENDARS.rows(year=school_year)
    parts = {c.id: (c.first_day, c.last_day, {}, {}) for c in calendars}
    if calendars:
        for day in _BOOK_DAYS.rows(year=school_year):
            parts[day.calendar_id][2 if day.kind == "holiday" else 3][day.date] = day.name
    district = next((parts[c.id] for c in calendars if c.school_id is None), None)
    schools = {c.school_id: parts[c.id] for c in calendars if c.school_id is not None}
    book = CalendarBook(school_year, district, schools)
    # What rules.stored.rules_key reads of the year's calendars.
    book.fingerprint = calendars_fingerprint((len(calendars), max((c.id for c in calendars), default=None),
                                              calendars[0].revision if calendars else None))
    return book


def calendars_fingerprint(row):
    """[how many calendars, the newest id, the year's revision]: the revision
    goes up on any change to a calendar or one of its days, in place too (an
    edit changes neither the count nor the id, and SQLite reuses ids); with no
    calendar left, the count says it."""
    count, newest, revision = row
    return [count, newest, revision if count else None]


def calendar_revision():
    """The school year's revision (migrations/0840_calendar_revision.py), as a subquery
    of a select of SchoolCalendar rows of the year Param("year")."""
    from fieldapp.models import CalendarRevision
    return (CalendarRevision.select(CalendarRevision.revision)
            .where(CalendarRevision.school_year == Param("year")))


# The books read last, by school year: a student page reads its year's book
# on every view, and the calendars change only by an import, its undo or an
# edit, each of which moves the year's fingerprint. Each is read again after
# KEPT_SECONDS whatever its fingerprint says (a database restored from a
# backup under a running server counts its revisions again).
_KEPT = {}
KEPT_SECONDS = 300


def forget_kept_books():
    """Read every year's calendars again on their next use."""
    _KEPT.clear()


def kept_book(school_year, fingerprint=None):
    """load_book(school_year), or the book read before while the year's
    calendars are the ones it was read from (read, and kept, when
    fingerprint is None): fingerprint is calendars_fingerprint's, as
    rules.stored.rules_key reads it, read by the caller with something it
    asks anyway (the student page: with the stored standing)."""
    now = time.monotonic()
    kept, read_at = _KEPT.get(school_year, (None, 0.0))
    if kept is None or fingerprint is None or kept.fingerprint != list(fingerprint) or \
            now - read_at > KEPT_SECONDS:
        kept = load_book(school_year)
        _KEPT[school_year] = (kept, now)
    return kept


def _book_calendars():
    from fieldapp.models import SchoolCalendar
    return SchoolCalendar.select(SchoolCalendar, calendar_revision().alias("revision")).where(
        SchoolCalendar.school_year == Param("year"))


def _book_days():
    from fieldapp.models import CalendarDay, SchoolCalendar
    return CalendarDay.select().where(CalendarDay.calendar.in_(
        SchoolCalendar.select(SchoolCalendar.id).where(SchoolCalendar.school_year == Param("year"))))


# The SQL built once: every student page reads the book.
_BOOK_CALENDARS, _BOOK_DAYS = Prepared(_book_calendars), Prepared(_book_days)


def calendar_for(school_id, day):
    """The calendar of the school year that day falls in, for one school."""
    return load_book(school_year_of(day)).for_school(school_id)


def year_bounds(day):
    """(1 July, 30 June) of the school year day falls in."""
    start = school_year_start(day)
    return start, datetime.date(start.year + 1, 6, 30)


class CalendarBySpan:
    """A day is a school day on the calendar of the school the student was
    enrolled at that day (a transfer's earlier days on the former school's
    calendar); outside every span, on the current school's calendar."""

    def __init__(self, spans, book, calendar):
        self.spans, self.book, self.calendar = spans, book, calendar

    def is_school_day(self, day):
        for school_id, begin, end in self.spans:
            if (begin is None or begin <= day) and (end is None or day <= end):
                return self.book.for_school(school_id).is_school_day(day)
        return self.calendar.is_school_day(day)
