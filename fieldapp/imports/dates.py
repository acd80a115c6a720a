"""Dates as district files write them.

Ed-Fi and OneRoster say YYYY-MM-DD; exports from real systems add a time
(`2021-08-31T00:00:00`, `2021-08-31 00:00:00.000`, `...Z`), which is read
as the date it is written on. Spreadsheets write slash dates, month first
(9/13/2019, the United States) or day first (13/09/2019, most of the
world). A slash date that reads as a date both ways (05/09/2019) is refused
unless the import says which order the file uses (DATE_ORDERS); one that
reads only one way is read that way, unless the import said the other. A
file whose slash dates read only month first in some rows (9/30/2021) and
only day first in others (13/09/2021) is refused whole (OrderWatch): its
orders are mixed, so none of its dates can be trusted to read as meant.
A date whose year is outside FIRST_YEAR..LAST_YEAR (a typo such as
0206-11-02, 03/04/1850 or 10000-01-01) is a row problem naming its column
and value and saying the year is what to fix, whatever its order or its
number of digits: no school record (attendance, calendar, enrollment or
birth) is that old or that far ahead.
"""
import calendar
import datetime
import re

from fieldapp.messages import Message, N_

MONTH_FIRST, DAY_FIRST = "month-first", "day-first"
DATE_ORDERS = {"": N_("Only unambiguous dates (YYYY-MM-DD, or a slash date that reads one way only)"),
               MONTH_FIRST: N_("Month first: 9/13/2025 (United States)"),
               DAY_FIRST: N_("Day first: 13/09/2025")}
ISO = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)"
                 r"(Z|[+-]\d{2}(?::?\d{2})?)?)?$")
SLASH = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?: ?[AaPp][Mm])?)?$")
FIRST_YEAR, LAST_YEAR = 1900, 2100  # the years an imported date may have (as the contact log's filter)
TIME = re.compile(r"^(\d{2}):(\d{2})(?::(\d{2}))?")
# A date written with its year first (2021-08-31) or last (8/31/2021), any number of year digits, a time
# or not: what why_not_a_date reads a year from, to say when the year is the one thing wrong.
YEAR_WRITTEN = re.compile(r"^(?:(\d{4,12})-(\d{1,2})-(\d{1,2})|(\d{1,2})/(\d{1,2})/(\d{4,12}))(?:[ T].*)?$")


def _date(year, month, day):
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _iso(match):
    day = _date(*(int(part) for part in match[1].split("-")))
    if day is not None and match[2]:
        hours, minutes, seconds = TIME.match(match[2]).groups()
        if int(hours) > 23 or int(minutes) > 59 or int(seconds or 0) > 60:
            return None
    return day


def _slash_readings(match):
    """{order: date} of the ways a slash date reads as a real date."""
    first, second, year = int(match[1]), int(match[2]), int(match[3])
    readings = {MONTH_FIRST: _date(year, first, second), DAY_FIRST: _date(year, second, first)}
    return {order: day for order, day in readings.items() if day is not None}


def parse_date(raw, order=""):
    """The date a file's cell names, or None when it names none for certain:
    YYYY-MM-DD with or without a time (ISO 8601; the date as written, the
    time and zone ignored), or a slash date read in `order` (MONTH_FIRST,
    DAY_FIRST, or '' for one that reads only one way), in a year from
    FIRST_YEAR to LAST_YEAR. See why_not_a_date."""
    day = _any_year(raw, order)
    return day if day is not None and FIRST_YEAR <= day.year <= LAST_YEAR else None


def _any_year(raw, order):
    """The date a cell names, whatever its year (parse_date without the range)."""
    if len(raw) == 10 and raw[4] == raw[7] == "-" and raw.isascii():  # YYYY-MM-DD, as nearly every cell
        try:
            return datetime.date.fromisoformat(raw)
        except ValueError:
            pass  # a day that does not exist, or not digits: read below as the rules say
    match = ISO.match(raw)
    if match:
        return _iso(match)
    match = SLASH.match(raw)
    if not match:
        return None
    readings = _slash_readings(match)
    if order:
        return readings.get(order)
    return next(iter(readings.values())) if len(readings) == 1 else None


def _year_outside(raw):
    """The year a date cell writes, as written, when it is outside FIRST_YEAR..LAST_YEAR and its month and
    day could be a date's (1850-03-04, 03/04/2150, 10000-01-01); else None."""
    match = YEAR_WRITTEN.match(raw)
    if not match:
        return None
    year = match[1] or match[6]
    parts = [int(part) for part in (match.group(2, 3) if match[1] else match.group(4, 5))]
    if FIRST_YEAR <= int(year) <= LAST_YEAR or not all(1 <= part <= 31 for part in parts):
        return None
    return year if min(parts) <= 12 else None


def why_not_a_date(raw, column="date", order=""):
    """What to tell a district about a cell parse_date refused: its year first, when the year is outside
    FIRST_YEAR..LAST_YEAR (however the rest reads), then which order a slash date could be read in."""
    year = _year_outside(raw)
    if year is not None or _any_year(raw, order) is not None:
        return Message("%(column)s '%(raw)s' has the year %(year)s: a date's year must be from %(first)s to "
                       "%(last)s", column=column, raw=raw, year=year or str(_any_year(raw, order).year),
                       first=str(FIRST_YEAR), last=str(LAST_YEAR))
    missing = _no_such_day(raw, column, order)
    if missing is not None:
        return missing
    match = SLASH.match(raw)
    if match and not order and len(_slash_readings(match)) == 2:
        readings = _slash_readings(match)
        return Message("%(column)s '%(raw)s' could be %(month_first)s (month first) or %(day_first)s (day "
                       "first): write YYYY-MM-DD, or import again saying which order the file's dates use",
                       column=column, raw=raw, month_first=readings[MONTH_FIRST], day_first=readings[DAY_FIRST])
    if match and order == MONTH_FIRST:
        return Message("%(column)s '%(raw)s' is not a date read month first (use YYYY-MM-DD)", column=column, raw=raw)
    if match and order:
        return Message("%(column)s '%(raw)s' is not a date read day first (use YYYY-MM-DD)", column=column, raw=raw)
    return Message("bad %(column)s '%(raw)s' (use YYYY-MM-DD)", column=column, raw=raw)


def _no_such_day(raw, column, order):
    """Why a cell written as a date (YYYY-MM-DD, or a slash date read in the order given) names none:
    its month, or its day in that month, does not exist (2010-02-30). None for anything else."""
    match = YEAR_WRITTEN.match(raw)
    if not match or (match[1] and len(match[1]) != 4) or (match[6] and not order) or (match[6] and len(match[6]) != 4):
        return None
    if match[1]:
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    else:
        first, second = int(match[4]), int(match[5])
        year, (month, day) = int(match[6]), ((first, second) if order == MONTH_FIRST else (second, first))
    if not 1 <= month <= 12:
        if match[6]:  # a slash date read in the other order, most likely: said as such (why_not_a_date)
            return None
        return Message("%(column)s '%(raw)s' is not a day of the calendar: %(month)s is not a month (1 to 12)",
                       column=column, raw=raw, month=str(month))
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return Message("%(column)s '%(raw)s' is not a day of the calendar: month %(month)s of %(year)s has "
                       "%(days)s days", column=column, raw=raw, month=str(month), year=str(year), days=str(days))
    return None


def in_a_whole_school_year(day):
    """Is day in a school year that begins and ends within the years an import takes (FIRST_YEAR to
    LAST_YEAR)? 1900-01-05 is in the year from July 1899, 2100-12-01 in the year to June 2101: neither
    could be imported whole, and their names would run outside those years. One rule for every dated
    row that belongs to a school year (calendar days, attendance)."""
    start = day.year if day.month >= 7 else day.year - 1
    return FIRST_YEAR <= start and start + 1 <= LAST_YEAR


def outside_school_years(raw, day, column="date"):
    """Why a row dated outside every whole school year of FIRST_YEAR..LAST_YEAR is refused."""
    start = day.year if day.month >= 7 else day.year - 1
    return Message("%(column)s '%(raw)s' is in the school year from July %(start)s to June %(end)s, which runs "
                   "outside %(first)s to %(last)s: a school day's date must be from %(first_day)s to %(last_day)s",
                   column=column, raw=raw, start=str(start), end=str(start + 1), first=str(FIRST_YEAR),
                   last=str(LAST_YEAR), first_day=f"{FIRST_YEAR}-07-01", last_day=f"{LAST_YEAR}-06-30")


def check_order(order):
    """The order as given ('' when not said); ValueError for anything else."""
    order = (order or "").strip().lower()
    if order not in DATE_ORDERS:
        raise ValueError(Message("date order '%(order)s': use %(month_first)s or %(day_first)s", order=order,
                                 month_first=MONTH_FIRST, day_first=DAY_FIRST))
    return order


class OrderWatch:
    """The slash dates of one import read without a said order, watched: the
    first that reads only month first and the first that reads only day
    first are kept, and once both are seen the import is refused, naming
    each (its file, row, column and value)."""

    def __init__(self, order=""):
        self.order, self.seen = order, {}  # order -> (file, row, column, raw)

    def saw(self, raw, file, line, column):
        """Note a date cell as read; raises ImportRefused on the second order."""
        if self.order or "/" not in raw:
            return
        match = SLASH.match(raw)
        readings = _slash_readings(match) if match else {}
        if len(readings) != 1:
            return
        order = next(iter(readings))
        if order not in self.seen:
            self.seen[order] = (file, line, column, raw)
            if len(self.seen) == 2:
                from fieldapp.imports.report import ImportRefused
                raise ImportRefused(self.refusal())

    def refusal(self):
        def where(order):
            file, line, column, raw = self.seen[order]
            return Message("%(file)s row %(line)s, %(column)s '%(raw)s'", file=file, line=str(line), column=column,
                           raw=raw)
        return Message("The file's slash dates are written both month first (%(month_first)s) and day first "
                       "(%(day_first)s), so a date such as 05/09/2021 could be either. Import it again saying "
                       "which order the file uses, or write its dates YYYY-MM-DD. Nothing was changed.",
                       month_first=where(MONTH_FIRST), day_first=where(DAY_FIRST))
