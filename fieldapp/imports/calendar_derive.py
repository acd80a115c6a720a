"""The calendar a file makes (imports.calendar): what it lists, its year, its days off and make-up
days, the part of the year it speaks for, and that calendar imported over the one stored."""
import datetime
from dataclasses import dataclass

from fieldapp.imports.calendar_events import LABELS, NEITHER, OFF, SCHOOL, TAUGHT, meaning_of
from fieldapp.imports.calendar_words import dated
from fieldapp.messages import Message, N_, NP_
from fieldapp.rules.calendar import ONE_DAY, assumed_calendar, first_year_of

# The names this import gives a weekday a list of instructional days has no school on, without a name of its
# own: kept as these msgids (English), the pages say them in the reader's language (rules.yearview), as the
# event labels a nameless day off takes; a name the district's file gives is kept and shown as given.
NOT_LISTED = N_("Not listed as a school day")
OTHER_NOT_LISTED = N_("Other: not listed as a school day")


@dataclass
class Derived:
    """One calendar as the file makes it: what Calendar (rules.calendar) keeps."""
    first: datetime.date  # None: the district's
    last: datetime.date
    holidays: dict  # weekday -> name: no school
    make_up: dict  # weekend day -> name: school
    lists: str  # "instructional days" or "days off"
    whole: bool = True  # the file gives the whole year: it replaces the stored calendar
    speaks_for: frozenset = frozenset()  # not whole: the dates it decides, the stored calendar's others stay
    span: tuple = None  # not whole, a list of instructional days: its first and last, which may widen the year
    left_out: frozenset = frozenset()  # the dates the file both gives school and not: they stay as stored
    sparse: tuple = None  # a list of instructional days on fewer than half its weekdays: (listed, weekdays)


def _weekdays(first, last):
    day, n = first, 0
    while day <= last:
        n += day.weekday() < 5
        day += ONE_DAY
    return n


def _lists_taught(days):
    """Does this calendar list its instructional days? Yes when they fall on
    at least half the weekdays from the first date it lists to the last (a
    few days off with an Instructional day among them list days off), and
    when it lists more instructional days than days off and they come week
    after week, in at least half the weeks from its first date to its last:
    a list of days off made of them would say little (Wednesdays only are
    its school days, a holiday among them or not), while an Instructional
    day or two alone take stored days off away, as a list of days off does."""
    taught = _taught(days)
    if not taught:
        return False
    if len(taught) * 2 >= _weekdays(min(days), max(days)):
        return True
    weeks = {_monday(day) for day in taught}
    spanned = (_monday(max(days)) - _monday(min(days))).days // 7 + 1
    off = sum(1 for codes, _, _ in days.values() if meaning_of(codes) == OFF)
    return len(taught) > off and len(weeks) * 2 >= spanned


def _monday(day):
    return day - ONE_DAY * day.weekday()


def _taught(days):
    return sorted(d for d, (codes, _, _) in days.items() if codes & TAUGHT and d.weekday() < 5)


def _sparse(days):
    """(instructional days listed, weekdays from the first date listed to the last) of a calendar read
    as a list of instructional days on fewer than half its weekdays (more than its days off); else None."""
    listed, weekdays = len(_taught(days)), _weekdays(min(days), max(days))
    return (listed, weekdays) if listed * 2 < weekdays else None


def _looks_whole(first, last, year):
    """Do instructional days from first to last make a whole school year (not cut short)?"""
    start = first_year_of(year)
    return first <= datetime.date(start, 10, 1) and last >= datetime.date(start + 1, 5, 1)


def _bounds(key, days, report, name, lists_taught, stored=False, refused_ends=None):
    """(first day, last day) of one calendar, checked; None when unusable. An
    instructional listing without First and Last day spans its school days.
    stored: a calendar of key is stored, which a part of a year changes.
    refused_ends: see calendar_read.read_calendars; a missing end is pinned on its refused row.
    When unusable, the row its problem is named on."""
    firsts = [d for d, (codes, _, _) in days.items() if "first_day" in codes]
    lasts = [d for d, (codes, _, _) in days.items() if "last_day" in codes]
    taught = sorted(d for d, (codes, _, _) in days.items() if meaning_of(codes) == SCHOOL) if lists_taught else []
    first = min(firsts) if firsts else (taught[0] if taught else None)
    last = max(lasts) if lasts else (taught[-1] if taught else None)
    line = min(entry[2] for entry in days.values())
    if len(firsts) > 1 or len(lasts) > 1:
        for twice, said in ((firsts, _TWO_FIRSTS), (lasts, _TWO_LASTS)):
            if len(twice) > 1:  # named on the row of the later one
                line = max(days[d][2] for d in twice)
                report.problem(name, line, dated(*said, n=len(twice), num=len(twice), year=key[1],
                                                 days=tuple(sorted(twice))))
    elif key[0] is None and (first is None or last is None) and not stored:
        missing = "first_day" if first is None else "last_day"
        line = (refused_ends or {}).get((None, missing), line)
        report.problem(name, line, _lacking_an_end(key[1], first, last))
    elif first and last and first > last:
        report.problem(name, line, Message("%(year)s: the first day %(first)s is after the last day %(last)s",
                                           year=key[1], first=first.isoformat(), last=last.isoformat()))
    else:
        return first, last
    return line


# A year has one First day and one Last day: a calendar giving two of either cannot be used until one is kept.
_TWO_FIRSTS = NP_("%(year)s: %(num)d First day, %(days)s: a year has one; keep the row of the day the year begins",
                  "%(year)s: %(num)d First days, %(days)s: a year has one; keep the row of the day the year begins")
_TWO_LASTS = NP_("%(year)s: %(num)d Last day, %(days)s: a year has one; keep the row of the day the year ends",
                 "%(year)s: %(num)d Last days, %(days)s: a year has one; keep the row of the day the year ends")


def _lacking_an_end(year, first, last):
    """Why a district calendar with nothing of its year stored cannot be used without both ends: the end
    it gives, if any, and which to add (the one lacking says what a stored calendar would have given)."""
    if first is not None:
        return dated(N_("the district calendar of %(year)s has a First day, %(day)s, but no Last day, and no "
                         "calendar of that year is stored to give one: add the Last day of %(year)s (or its "
                         "Instructional days)"), year=year, day=first)
    if last is not None:
        return dated(N_("the district calendar of %(year)s has a Last day, %(day)s, but no First day, and no "
                         "calendar of that year is stored to give one: add the First day of %(year)s (or its "
                         "Instructional days)"), year=year, day=last)
    return Message("the district calendar of %(year)s has neither a First day nor a Last day, and no calendar of "
                   "that year is stored to give them: add the First day and the Last day of %(year)s (or its "
                   "Instructional days)", year=year)


def derive(key, days, report, name, stored=False, refused_ends=None, unusable=None):
    """The Derived calendar of one (school, year) group of rows, or None when
    it cannot be used (the problem is noted). When it lists instructional
    days (_lists_taught), every other weekday from its first to its last day
    has no school; when it lists days off, every other weekday is a school day.
    stored: a calendar of key is stored (a part of a year may change it).
    unusable, when given, gets the row the problem of a calendar that cannot be used is named on."""
    lists_taught = _lists_taught(days)
    bounds = _bounds(key, days, report, name, lists_taught, stored, refused_ends)
    if not isinstance(bounds, tuple):
        if unusable is not None:
            unusable.append(bounds)
        return None
    first, last = bounds
    given_first = any("first_day" in codes for codes, _, _ in days.values())
    given_last = any("last_day" in codes for codes, _, _ in days.values())
    whole = (given_first and given_last) or (lists_taught and _looks_whole(first, last, key[1]))
    holidays = {d: n or LABELS[sorted(c)[0]] for d, (c, n, _) in days.items()
                if d.weekday() < 5 and meaning_of(c) == OFF}
    make_up = {d: n or LABELS[sorted(c)[0]] for d, (c, n, _) in days.items()
               if d.weekday() >= 5 and meaning_of(c) == SCHOOL}
    if lists_taught:
        day = first
        while day <= last:
            if day.weekday() < 5 and day not in holidays and meaning_of(days.get(day, ({"other"},))[0]) != SCHOOL:
                holidays[day] = (days[day][1] or OTHER_NOT_LISTED) if day in days else NOT_LISTED
            day += ONE_DAY
    lists = "instructional days" if lists_taught else "days off"
    sparse = _sparse(days) if lists_taught else None
    if whole:
        return Derived(first, last, holidays, make_up, lists, sparse=sparse)
    if lists_taught:  # it decides every day from its first to its last
        speaks_for = frozenset(first + ONE_DAY * i for i in range((last - first).days + 1))
    else:  # it decides the days it lists (Other decides none)
        speaks_for = frozenset(d for d, (codes, _, _) in days.items() if meaning_of(codes) != NEITHER)
    return Derived(first if given_first else None, last if given_last else None, holidays, make_up, lists,
                   whole=False, speaks_for=speaks_for, span=(first, last) if lists_taught else None,
                   sparse=sparse)


def result(key, derived, stored, district=None):
    """(first, last, holidays, make_up): the calendar of key once derived is
    imported over stored (see imports.calendar._stored), the whole of it or the part it speaks
    for. district: the district's calendar of the year (the same tuple, or
    None), whose year a school's without its own keeps."""
    if derived.whole:
        return _keep_left_out(derived, stored, (derived.first, derived.last, dict(derived.holidays),
                                                 dict(derived.make_up)))
    first, last, holidays, make_up = stored or (None, None, {}, {})
    holidays = {d: n for d, n in holidays.items() if d not in derived.speaks_for}
    make_up = {d: n for d, n in make_up.items() if d not in derived.speaks_for}
    stored_holidays = stored[2] if stored else {}
    for day, name in derived.holidays.items():  # a day the file leaves out keeps the stored day off's name
        holidays[day] = stored_holidays[day] if name == NOT_LISTED and day in stored_holidays else name
    make_up.update(derived.make_up)
    first, last = derived.first or first, derived.last or last
    if derived.span and key[0] is None and stored is None:  # the district's year, from nothing stored
        first, last = first or derived.span[0], last or derived.span[1]
    elif derived.span:  # days beyond the year it keeps widen it
        assumed = assumed_calendar(key[1])
        year_first = first or (district and district[0]) or assumed.first_day
        year_last = last or (district and district[1]) or assumed.last_day
        first = derived.span[0] if derived.span[0] < year_first else first
        last = derived.span[1] if derived.span[1] > year_last else last
    return _keep_left_out(derived, stored, (first, last, holidays, make_up))


def _keep_left_out(derived, stored, kept):
    """kept, with the dates the file left out (both school and not) as stored: a day off or
    make-up day stored stays one, and a day stored as neither stays a day of the calendar."""
    if not derived.left_out:
        return kept
    stored_holidays, stored_make_up = (stored[2], stored[3]) if stored else ({}, {})
    holidays, make_up = kept[2], kept[3]
    for day in derived.left_out:
        holidays.pop(day, None)
        make_up.pop(day, None)
        if day in stored_holidays:
            holidays[day] = stored_holidays[day]
        if day in stored_make_up:
            make_up[day] = stored_make_up[day]
    return kept


def crossed_ends(groups):
    """{key: (line, problem)} of the calendars (groups: see calendar_read.read_calendars) giving one end of
    a year, a First day after the Last day another calendar of the same school gives without its First day
    (First day 2026-08-20, Last day 2025-06-05: a year typed wrong), each named on its end's row: read apart,
    each would be a calendar of its own year lacking an end, and the problems would never name the typo."""
    ends = {}  # (school, "first_day" or "last_day") -> [(date, line, key)] of the calendars giving that end only
    for key, days in groups.items():
        given = {code: (day, line) for day, (codes, _, line) in sorted(days.items()) for code in codes
                 if code in ("first_day", "last_day")}
        if len(given) == 1:
            (code, (day, line)), = given.items()
            ends.setdefault((key[0], code), []).append((day, line, key))
    crossed = {}
    for (school, code), firsts in ends.items():
        if code != "first_day":
            continue
        for first, first_line, first_key in firsts:
            for last, last_line, last_key in ends.get((school, "last_day"), ()):
                if first > last and first_key not in crossed and last_key not in crossed:
                    why = dated(N_("the First day (%(first)s, row %(first_row)s) is after the Last day (%(last)s, "
                                    "row %(last_row)s): check the years"), first=first, last=last,
                                 first_row=str(first_line), last_row=str(last_line))
                    crossed[first_key], crossed[last_key] = (first_line, why), (last_line, why)
    return crossed


def runs_backwards(derived, kept, district, days):
    """(line, problem) when the one end of a year a file gives falls on the wrong side of the other end
    stored (the calendar's own, or the district's): Last day 2025-08-10 over a stored year from
    2025-08-20 would leave a year of no school day; None when the year runs forward."""
    first = kept[0] or (district and district[0])
    last = kept[1] or (district and district[1])
    if not (first and last and first > last) or (derived.first is None) == (derived.last is None):
        return None
    given = derived.first or derived.last
    line = days[given][2]
    if derived.first is not None:
        why = dated(N_("the First day (%(first)s, row %(row)s) is after the Last day stored (%(last)s): "
                        "check the years"), first=first, last=last, row=str(line))
    else:
        why = dated(N_("the Last day (%(last)s, row %(row)s) is before the First day stored (%(first)s): "
                        "check the years"), first=first, last=last, row=str(line))
    return line, why
