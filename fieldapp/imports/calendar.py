"""School calendars from a CSV, one row per day with an event:

    schoolId,date,calendarEvent,name
    ,2025-08-18,First day,
    ,2026-06-11,Last day,
    ,2025-09-01,Holiday,Labor Day
    sch-1,2025-10-10,Holiday,Staff development day
    ,2026-03-14,Make-up day,Snow day made up

An empty schoolId is the whole district; a school is named by its sourcedId
or its code (imports.schools). calendarEvent (or Ed-Fi's
calendarEventDescriptor) is First day, Last day, No school, or any standard
Ed-Fi CalendarEventDescriptor value, as a URI or its short name; EVENTS says
what each means for counting. A date may carry several events (Instructional
day and Student late arrival/early dismissal) unless one says school and
another no school: such a date is left out whole, every row of it named, and
stays as stored. A date listed again under another name, or as another
kind of day off under the same name (Holiday, then Weather day), keeps the
first row's, and a note names the date and both rows. A calendar that cannot
be used (no First day) names every row of it left out with it.

A calendar either lists its days off (every weekday from the first day to
the last is a school day unless listed as a day off) or lists its
instructional days (as Ed-Fi systems export them: a weekday it does not
list has no school). Which one is decided from the file, per calendar:
Instructional days (or late arrival/early dismissal days) on at least half
the weekdays of its year make it a list of instructional days. The preview says, per
calendar, what it lists, its first and last day and how many school days
that makes, and warns when the year looks cut short, and names the weekdays
a school's calendar lists with school that the district's has off: they
stay days off (a school's calendar adds days off, and takes none away).

A calendar (district or school, per school year) replaces the stored one
only when the file gives its whole year: its First day and Last day, or
instructional days from before October to after April. Otherwise the file
speaks for part of the year and changes only that part (Derived.whole): a
list of days off changes the dates it lists (a Holiday added, an
Instructional day that takes a stored day off away) and a list of
instructional days the dates from its first to its last; the stored
calendar's other days, and its year, stay (a First day or Last day given
moves that end; instructional days beyond the year widen it). A district
calendar with nothing stored needs its whole year.
"""
import datetime
from dataclasses import dataclass

from fieldapp.imports.csvfile import CsvFile, longer_than
from fieldapp.imports.dates import OrderWatch, in_a_whole_school_year, outside_school_years, parse_date, why_not_a_date
from fieldapp.imports.journal import plain
from fieldapp.imports.schools import school_keys, unknown_school
from fieldapp.messages import Message, N_, NP_, listed, plural_message
from fieldapp.models import CalendarDay, School, SchoolCalendar
from fieldapp.rules.calendar import ONE_DAY, CalendarBook, assumed_calendar, first_year_of
from fieldapp.timefmt import school_year_of

# Ed-Fi CalendarEventDescriptor (Data Standard 2.0 to 5.x; CalendarEventType in 2.0) and this
# import's own words: folded name -> (code, what the day is for counting).
SCHOOL, OFF, NEITHER = "school day", "no school", "neither"
EVENTS = {
    "firstday": ("first_day", SCHOOL), "firstdayofschool": ("first_day", SCHOOL),
    "lastday": ("last_day", SCHOOL), "lastdayofschool": ("last_day", SCHOOL),
    "instructionalday": ("instructional", SCHOOL),
    "makeupday": ("make_up", SCHOOL),
    "studentlatearrivalearlydismissal": ("late_arrival_early_dismissal", SCHOOL),
    "holiday": ("holiday", OFF), "noschool": ("holiday", OFF),
    "noninstructionalday": ("non_instructional", OFF),
    "teacheronlyday": ("teacher_only", OFF),
    "weatherday": ("weather", OFF),
    "emergencyday": ("emergency", OFF),
    "strike": ("strike", OFF),
    "other": ("other", NEITHER),
}
# What each event means for counting, as the preview and the README say it.
MEANING = {
    "first_day": N_("the first school day of the year"),
    "last_day": N_("the last school day of the year"),
    "instructional": N_("a school day"),
    "make_up": N_("a school day (on a weekend, it adds one)"),
    "late_arrival_early_dismissal": N_("a school day, shortened; marks count as on any school day"),
    "holiday": N_("no school"), "non_instructional": N_("no school for students"),
    "teacher_only": N_("no school for students"), "weather": N_("no school (closed for weather)"),
    "emergency": N_("no school (closed for an emergency)"), "strike": N_("no school (closed by a strike)"),
    "other": N_("neither: the day stays what the rest of the calendar makes it"),
}
NOT_LISTED = "Not listed as a school day"
SHORT_YEAR_DAYS = 160  # fewer school days than any state's year: the file may be cut short

MAX_NAME = 255  # the longest name of a day off a calendar keeps; longer is a row problem, never cut


def event_of(raw):
    """(code, SCHOOL | OFF | NEITHER) of a calendarEvent cell, or None:
    'uri://ed-fi.org/CalendarEventDescriptor#Student late arrival/early dismissal',
    'http://ed-fi.org/Descriptor/CalendarEventDescriptor.xml/Holiday' or 'Holiday'."""
    if "#" in raw:
        name = raw.rsplit("#", 1)[1]
    elif "://" in raw:
        name = raw.split(".xml/", 1)[1] if ".xml/" in raw else raw.rsplit("/", 1)[1]
    else:
        name = raw
    return EVENTS.get("".join(ch for ch in name.lower() if ch.isalnum()))


def _read(file, report, date_order="", tracks=None, refused_ends=None, kept=None, repeats=None):
    """{(school id or None, school year): {date: ({event codes}, name, line)}};
    kept, when given, gets {(school id or None, school year): ([lines of its rows kept],
    {dates left out})}: a date listed both with school and without is left out
    whole, every row of it named (which of them is wrong cannot be told, and
    keeping the first would keep the file's order), and its stored day stays;
    tracks, when given, gets {(school id or None, school year): {calendarCode: None}};
    refused_ends, when given, gets {(school id or None, 'first_day' or 'last_day'): line}
    of the First day and Last day rows refused (a bad date), for the problem of a
    calendar left without one to name that row; repeats, when given, gets the lines of
    the rows repeating an earlier row exactly (its school, date, event and name), each as
    (its line, the earlier row's)."""
    schools, shared_codes = school_keys()
    groups, watch = {}, OrderWatch(date_order)
    kept = {} if kept is None else kept
    rows, left_out = {}, {}  # (key, date) -> [(line, event code)] kept / the row that contradicted it
    repeats = [] if repeats is None else repeats
    exact = {}  # (key, date, event code, name) of the rows read -> the first row saying it
    for line, cells in file.rows(report):
        report.rows_read += 1
        school_key, raw_date = file.cell(cells, "schoolId"), file.cell(cells, "date")
        raw_event = file.cell(cells, "calendarEvent")
        day, event = parse_date(raw_date, date_order), event_of(raw_event)
        watch.saw(raw_date, file.name, line, "date")
        if school_key and school_key not in schools:
            report.problem(file.name, line, unknown_school(school_key, shared_codes))
        elif day is None or not in_a_whole_school_year(day):
            report.problem(file.name, line, why_not_a_date(raw_date, "date", date_order) if day is None
                           else outside_school_years(raw_date, day))
            if refused_ends is not None and event and event[0] in ("first_day", "last_day"):
                refused_ends.setdefault((schools.get(school_key), event[0]), line)
        elif len(file.cell(cells, "name")) > MAX_NAME:
            report.problem(file.name, line, longer_than(["name"], MAX_NAME))
        elif event is None and not raw_event:
            report.problem(file.name, line, Message(
                "calendarEvent is empty: give one of First day, Last day, No school or an Ed-Fi "
                "CalendarEventDescriptor: Instructional day, Make-up day, Holiday, ..."))
        elif event is None:
            report.problem(file.name, line, Message(
                "unknown calendarEvent '%(raw)s' (use First day, Last day, No school or an Ed-Fi "
                "CalendarEventDescriptor: Instructional day, Make-up day, Holiday, ...)", raw=raw_event))
        else:
            key = (schools.get(school_key), school_year_of(day))
            if (key, day) in left_out:
                report.problem(file.name, line, _left_out_date(left_out[(key, day)], day))
                continue
            said = (key, day, event[0], file.cell(cells, "name"))
            if said in exact:  # an exact repeat: read once, said in a note unless its date is left out
                repeats.append((line, exact[said]))
            else:
                exact[said] = line
            group = groups.setdefault(key, {})
            lines, dates_left_out = kept.setdefault(key, ([], set()))
            if not _add(group, day, event, file.cell(cells, "name"), (report, file.name, line)):
                left_out[(key, day)] = line
                dates_left_out.add(day)
                del group[day]
                for earlier, code in rows.pop((key, day)):
                    report.problem(file.name, earlier, _left_out_date(line, day))
                    lines.remove(earlier)
                    if refused_ends is not None and code in ("first_day", "last_day"):
                        refused_ends.setdefault((key[0], code), earlier)
                continue
            rows.setdefault((key, day), []).append((line, event[0]))
            lines.append(line)
            # Ed-Fi's calendarCode names a track (a school may run several); one calendar per school is kept.
            if tracks is not None and file.cell(cells, "calendarCode"):
                tracks.setdefault(key, {})[file.cell(cells, "calendarCode")] = None
    return groups


def _left_out_date(line, day):
    """Why a row of a date left out (see _read) is refused, naming the row that contradicted it."""
    return Message("left out with row %(row)s: %(day)s is listed both as a day with school and as one without, "
                   "so none of that date's rows is kept and the day stays as stored; correct it in the file and "
                   "import it again", row=str(line), day=day.isoformat())


def _warn_tracks(tracks, report, names):
    """Say which calendars hold several calendarCode tracks: their days are merged into one."""
    for (school, year), codes in sorted(tracks.items(), key=lambda item: (item[0][0] or 0, item[0][1])):
        if len(codes) > 1:
            label = _label(school, year, names)
            report.add("calendars merging several tracks")
            report.example("calendars merging several tracks", label)
            report.note(plural_message(  # more than one, always: the plural forms of a language say which
                "Check %(label)s: the file gives %(num)d calendar (calendarCode %(codes)s), merged into one: this "
                "import keeps one calendar per school and year, so a day listed in any of them counts for every "
                "student of the school.",
                "Check %(label)s: the file gives %(num)d calendars (calendarCode %(codes)s), merged into one: this "
                "import keeps one calendar per school and year, so a day listed in any of them counts for every "
                "student of the school.", len(codes), label=label, num=len(codes), codes=", ".join(codes)))


def _label(school, year, names):
    """A calendar as the notes name it: its school's name, or the district's, and its year."""
    return f"{names[school]} {year}" if school and school in names else Message("District %(year)s", year=year)


def _dated(msgid, plural=None, n=None, **values):
    """A Message whose dates stay dates, for the pages to say in the reader's
    words ("12 ago 2026" in Spanish); its English says them day first, "12 Aug 2026".
    plural and n: its wording depends on the number n (fieldapp.messages.plural_message)."""
    english = Message(msgid, plural=plural, n=n, **{key: _day_first(value) for key, value in values.items()})
    return Message(msgid, english=str(english), plural=plural, n=n, **values)


def _day_first(value):
    """A date as the calendar's English says it, "12 Aug 2026"; a tuple of them (and words) as one list."""
    if isinstance(value, tuple):
        return listed(str(_day_first(part)) for part in value)
    return f"{value:%-d %b %Y}" if isinstance(value, datetime.date) else value


def _joined(pieces):
    """Messages said one after another, "; " between them."""
    said = pieces[-1]
    for piece in reversed(pieces[:-1]):
        said = Message("%(said)s; %(then)s", said=piece, then=said)
    return said


def _add(days, day, event, name, where):
    """Add a row's event to its date; False (the row named) when the date already has school and
    the row says no school, or the other way round."""
    report, file_name, line = where
    code, meaning = event
    if day in days:
        codes, old_name, first_line = days[day]
        meanings = {EVENTS_BY_CODE[c] for c in codes} | {meaning}
        if {SCHOOL, OFF} <= meanings:
            events = [Message(LABELS[c]) for c in sorted(codes)]
            said = events[0]
            for event in events[1:]:
                said = Message("%(said)s and %(then)s", said=said, then=event)
            report.problem(file_name, line, Message(
                "%(day)s is already listed as %(events)s (row %(row)s): a day has school or not",
                day=day.isoformat(), events=said, row=str(first_line)))
            return False
        earlier = _another_day_off(codes, code, meaning)
        codes.add(code)
        if name and old_name and name != old_name:  # one date, one name: the first row's is kept, and said
            _said_again(report, file_name, line, day, first_line, name, old_name)
        elif earlier and name in (old_name, ""):  # another day off, no other name: the first row's is kept, said
            _said_again(report, file_name, line, day, first_line, _event_named(code, name),
                        _event_named(earlier, old_name))
            old_name = old_name or Message(LABELS[earlier])  # the name the day keeps: the first row's event
        days[day] = (codes, old_name or name, first_line)
    else:
        days[day] = ({code}, name, line)
    return True


def _another_day_off(codes, code, meaning):
    """The event of the day off a date's first row listed, when a later row lists it again as another
    day off (Holiday, then Weather day); else None."""
    offs = sorted(c for c in codes if EVENTS_BY_CODE[c] == OFF)
    return offs[0] if meaning == OFF and offs and code not in codes else None


def _event_named(code, name):
    """A row of a day off as the notes name it: its event, and its name when it has one."""
    return Message("%(event)s: %(name)s", event=Message(LABELS[code]), name=name) if name else Message(LABELS[code])


def _said_again(report, file_name, line, day, first_line, name, kept):
    """Note a date listed again (row line, first on first_line) as name, which keeps the first row's, kept."""
    report.note(_dated(N_("%(file)s, row %(row)s: %(day)s is listed again (first on row %(first)s) under "
                          "another name, “%(name)s”: a date keeps one name, the first row's, “%(kept)s”."),
                       file=file_name, row=str(line), day=day, first=str(first_line), name=name, kept=kept))


EVENTS_BY_CODE = {code: meaning for code, meaning in EVENTS.values()}
LABELS = {"first_day": N_("First day"), "last_day": N_("Last day"), "instructional": N_("Instructional day"),
          "make_up": N_("Make-up day"),
          "late_arrival_early_dismissal": N_("Student late arrival/early dismissal"),
          "holiday": N_("Holiday"), "non_instructional": N_("Non-instructional day"),
          "teacher_only": N_("Teacher only day"), "weather": N_("Weather day"), "emergency": N_("Emergency day"),
          "strike": N_("Strike"), "other": N_("Other")}


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


def _weekdays(first, last):
    day, n = first, 0
    while day <= last:
        n += day.weekday() < 5
        day += ONE_DAY
    return n


def _meaning(codes):
    meanings = {EVENTS_BY_CODE[c] for c in codes}
    return SCHOOL if SCHOOL in meanings else OFF if OFF in meanings else NEITHER


TAUGHT = {"instructional", "late_arrival_early_dismissal"}  # the days an instructional listing lists


def _lists_taught(days):
    """Does this calendar list its instructional days? Yes when they fall on
    at least half the weekdays from the first date it lists to the last (a
    few days off with an Instructional day among them list days off)."""
    taught = sorted(d for d, (codes, _, _) in days.items() if codes & TAUGHT and d.weekday() < 5)
    if not taught:
        return False
    return len(taught) * 2 >= _weekdays(min(days), max(days))


def _looks_whole(first, last, year):
    """Do instructional days from first to last make a whole school year (not cut short)?"""
    start = first_year_of(year)
    return first <= datetime.date(start, 10, 1) and last >= datetime.date(start + 1, 5, 1)


def _bounds(key, days, report, name, lists_taught, stored=False, refused_ends=None):
    """(first day, last day) of one calendar, checked; None when unusable. An
    instructional listing without First and Last day spans its school days.
    stored: a calendar of key is stored, which a part of a year changes.
    refused_ends: see _read; a missing end is pinned on its refused row.
    When unusable, the row its problem is named on."""
    firsts = [d for d, (codes, _, _) in days.items() if "first_day" in codes]
    lasts = [d for d, (codes, _, _) in days.items() if "last_day" in codes]
    taught = sorted(d for d, (codes, _, _) in days.items() if _meaning(codes) == SCHOOL) if lists_taught else []
    first = min(firsts) if firsts else (taught[0] if taught else None)
    last = max(lasts) if lasts else (taught[-1] if taught else None)
    line = min(entry[2] for entry in days.values())
    if len(firsts) > 1 or len(lasts) > 1:
        report.problem(name, line, Message("%(year)s: more than one first or last day", year=key[1]))
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


def _lacking_an_end(year, first, last):
    """Why a district calendar with nothing of its year stored cannot be used without both ends: the end
    it gives, if any, and which to add (the one lacking says what a stored calendar would have given)."""
    if first is not None:
        return _dated(N_("the district calendar of %(year)s has a First day, %(day)s, but no Last day, and no "
                         "calendar of that year is stored to give one: add the Last day of %(year)s (or its "
                         "Instructional days)"), year=year, day=first)
    if last is not None:
        return _dated(N_("the district calendar of %(year)s has a Last day, %(day)s, but no First day, and no "
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
                if d.weekday() < 5 and _meaning(c) == OFF}
    make_up = {d: n or LABELS[sorted(c)[0]] for d, (c, n, _) in days.items()
               if d.weekday() >= 5 and _meaning(c) == SCHOOL}
    if lists_taught:
        day = first
        while day <= last:
            if day.weekday() < 5 and day not in holidays and _meaning(days.get(day, ({"other"},))[0]) != SCHOOL:
                holidays[day] = (days[day][1] or "Other: not listed as a school day") if day in days else NOT_LISTED
            day += ONE_DAY
    lists = "instructional days" if lists_taught else "days off"
    if whole:
        return Derived(first, last, holidays, make_up, lists)
    if lists_taught:  # it decides every day from its first to its last
        speaks_for = frozenset(first + ONE_DAY * i for i in range((last - first).days + 1))
    else:  # it decides the days it lists (Other decides none)
        speaks_for = frozenset(d for d, (codes, _, _) in days.items() if _meaning(codes) != NEITHER)
    return Derived(first if given_first else None, last if given_last else None, holidays, make_up, lists,
                   whole=False, speaks_for=speaks_for, span=(first, last) if lists_taught else None)


def _stored_calendar(school, year):
    """The stored SchoolCalendar of a school (None: the district's) for a school year, or None."""
    return SchoolCalendar.get_or_none((SchoolCalendar.school_year == year) & (
        SchoolCalendar.school.is_null() if school is None else SchoolCalendar.school == school))


def _stored(key):
    """(first, last, holidays, make_up) of the stored calendar of key, or None."""
    school, year = key
    old = _stored_calendar(school, year)
    if old is None:
        return None
    holidays, make_up = {}, {}
    for day in old.days:
        (holidays if day.kind == "holiday" else make_up)[day.date] = day.name
    return old.first_day, old.last_day, holidays, make_up


def result(key, derived, stored, district=None):
    """(first, last, holidays, make_up): the calendar of key once derived is
    imported over stored (see _stored), the whole of it or the part it speaks
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


def _describe(key, derived, days, report, names, kept, year_given=True):
    """Say what a calendar lists, its year and school days once imported
    (kept: that calendar's CalendarBook calendar), what its events mean, and
    warn when the year looks cut short, or is assumed (year_given False: no
    First day or Last day in the file, the stored calendar or the district's)."""
    school, year = key
    label = _label(school, year, names)
    seen = {}
    for codes, _, _ in days.values():
        for code in codes:
            seen[code] = seen.get(code, 0) + 1
    events = _joined([Message("%(event)s ×%(num)s: %(meaning)s", event=Message(LABELS[c]), num=str(n),
                              meaning=Message(MEANING[c])) for c, n in sorted(seen.items())])
    count, first, last = len(kept.days), kept.first_day, kept.last_day
    off = sum(1 for d in kept.holidays if first <= d <= last and d.weekday() < 5)
    make_up = sum(1 for d in kept.make_up if first <= d <= last and d.weekday() >= 5)
    msgid, plural, n, given = _what_it_lists(derived)
    report.note(_dated(msgid, plural, n=n if plural else None, label=label, first=first, last=last, given=given,
                        days=plural_message("%(num)d school day", "%(num)d school days", count, num=count),
                        off=plural_message("%(num)d weekday", "%(num)d weekdays", off, num=off),
                        make_up=plural_message("%(num)d weekend day", "%(num)d weekend days", make_up, num=make_up),
                        num=n, start=derived.span and derived.span[0],
                        end=derived.span and derived.span[1], events=events))
    if not year_given:
        report.add("calendars with an assumed year")
        report.example("calendars with an assumed year", label)
        report.note(_dated(N_("Check %(label)s: no calendar gives its school year (a First day and a Last day, "
                              "here or in the district's calendar), so %(first)s to %(last)s is assumed, the "
                              "weekdays from mid-August to mid-June. Import the district's calendar, or this "
                              "school's whole year, so that its school days are its own."),
                           label=label, first=first, last=last))
    start = first_year_of(year)
    short = []
    if first == last:  # a First day and a Last day on one date: a year of one day, wherever it falls
        short.append(_dated(N_("it begins and ends on %(day)s, one day"), day=first))
    else:
        if last < datetime.date(start + 1, 5, 1):
            short.append(_dated(N_("it ends on %(day)s"), day=last))
        if first > datetime.date(start, 10, 1):
            short.append(_dated(N_("it begins on %(day)s"), day=first))
    if count < SHORT_YEAR_DAYS:
        short.append(plural_message("it has %(num)d school day, fewer than the %(most)s of any state's year",
                                    "it has %(num)d school days, fewer than the %(most)s of any state's year",
                                    count, num=count, most=str(SHORT_YEAR_DAYS)))
    if short:
        report.add("calendars that look cut short")
        report.example("calendars that look cut short", label)
        report.note(Message("Check %(label)s: the year looks cut short (%(why)s). If the file holds only part of "
                            "the year, import the whole year's calendar; days after its last day have no school.",
                            label=label, why=_joined(short)))


def _crossed_ends(groups):
    """{key: (line, problem)} of the calendars (groups: see _read) giving one end of a year, a First day
    after the Last day another calendar of the same school gives without its First day (First day
    2026-08-20, Last day 2025-06-05: a year typed wrong), each named on its end's row: read apart, each
    would be a calendar of its own year lacking an end, and the problems would never name the typo."""
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
                    why = _dated(N_("the First day (%(first)s, row %(first_row)s) is after the Last day (%(last)s, "
                                    "row %(last_row)s): check the years"), first=first, last=last,
                                 first_row=str(first_line), last_row=str(last_line))
                    crossed[first_key], crossed[last_key] = (first_line, why), (last_line, why)
    return crossed


def _backwards(derived, kept, district, days):
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
        why = _dated(N_("the First day (%(first)s, row %(row)s) is after the Last day stored (%(last)s): "
                        "check the years"), first=first, last=last, row=str(line))
    else:
        why = _dated(N_("the Last day (%(last)s, row %(row)s) is before the First day stored (%(first)s): "
                        "check the years"), first=first, last=last, row=str(line))
    return line, why


def _what_it_lists(derived):
    """What the preview says a calendar of the file is: (msgid, plural msgid or None, the number n said
    by the plural, the end the file gives when it gives one end only: its First day or its Last day)."""
    if derived.whole and derived.first == derived.last:  # a year of one day lists neither days off nor school days
        return N_("%(label)s: gives its First day and its Last day on the same date, %(first)s: a school year of "
                  "one day, %(days)s (%(off)s without school, %(make_up)s with school). Events: "
                  "%(events)s."), None, 0, None
    if derived.whole and derived.lists == "instructional days":
        return N_("%(label)s: lists instructional days; school year %(first)s to %(last)s, %(days)s (%(off)s "
                  "without school, %(make_up)s with school). Events: %(events)s."), None, 0, None
    if derived.whole:
        return N_("%(label)s: lists days off; school year %(first)s to %(last)s, %(days)s (%(off)s without "
                  "school, %(make_up)s with school). Events: %(events)s."), None, 0, None
    end = derived.first or derived.last  # a part of a year gives one end at most: both make it whole
    others = len(derived.speaks_for - {end})
    if derived.span:
        return (_SPAN_WORDS[derived.first is not None] if end else _SPAN_WORDS[None]), None, others, end
    if end and not others:
        return _ONLY_AN_END[derived.first is not None], None, 0, end
    if end:
        return _DAYS_OFF_AND_AN_END[derived.first is not None] + (others, end)
    return NP_("%(label)s: lists days off, without a First day and a Last day: it changes the one date it lists, "
               "and the rest of the calendar stays as it is; school year %(first)s to %(last)s, %(days)s (%(off)s "
               "without school, %(make_up)s with school). Events: %(events)s.",
               "%(label)s: lists days off, without a First day and a Last day: it changes the %(num)d dates it "
               "lists, and the rest of the calendar stays as it is; school year %(first)s to %(last)s, %(days)s "
               "(%(off)s without school, %(make_up)s with school). Events: %(events)s.") + (others, None)


# A part of a year giving one end of it, its First day (True) or its Last day (False), says which it gives
# and which it lacks: instructional days from a date to another (_SPAN_WORDS; None: neither end given),
# that end alone (_ONLY_AN_END), or days off and that end (_DAYS_OFF_AND_AN_END, said by their number).
_SPAN_WORDS = {
    None: N_("%(label)s: lists instructional days from %(start)s to %(end)s only, without a First day and a Last "
             "day: it changes those dates, and the rest of the calendar stays as it is; school year %(first)s to "
             "%(last)s, %(days)s (%(off)s without school, %(make_up)s with school). Events: %(events)s."),
    True: N_("%(label)s: lists instructional days from %(start)s to %(end)s only, with a First day, %(given)s, "
             "but without a Last day: the school year begins on its First day, it changes those dates, and the "
             "rest of the calendar stays as it is; school year %(first)s to %(last)s, %(days)s (%(off)s without "
             "school, %(make_up)s with school). Events: %(events)s."),
    False: N_("%(label)s: lists instructional days from %(start)s to %(end)s only, with a Last day, %(given)s, "
              "but without a First day: the school year ends on its Last day, it changes those dates, and the "
              "rest of the calendar stays as it is; school year %(first)s to %(last)s, %(days)s (%(off)s without "
              "school, %(make_up)s with school). Events: %(events)s."),
}
_ONLY_AN_END = {
    True: N_("%(label)s: gives only a First day, %(given)s, without a Last day: the school year begins on it, "
             "and the rest of the calendar stays as it is; school year %(first)s to %(last)s, %(days)s (%(off)s "
             "without school, %(make_up)s with school). Events: %(events)s."),
    False: N_("%(label)s: gives only a Last day, %(given)s, without a First day: the school year ends on it, "
              "and the rest of the calendar stays as it is; school year %(first)s to %(last)s, %(days)s (%(off)s "
              "without school, %(make_up)s with school). Events: %(events)s."),
}
_DAYS_OFF_AND_AN_END = {
    True: NP_("%(label)s: lists days off and a First day, %(given)s, without a Last day: the school year begins "
              "on its First day, it changes the one other date it lists, and the rest of the calendar stays as "
              "it is; school year %(first)s to %(last)s, %(days)s (%(off)s without school, %(make_up)s with "
              "school). Events: %(events)s.",
              "%(label)s: lists days off and a First day, %(given)s, without a Last day: the school year begins "
              "on its First day, it changes the %(num)d other dates it lists, and the rest of the calendar stays "
              "as it is; school year %(first)s to %(last)s, %(days)s (%(off)s without school, %(make_up)s with "
              "school). Events: %(events)s."),
    False: NP_("%(label)s: lists days off and a Last day, %(given)s, without a First day: the school year ends "
               "on its Last day, it changes the one other date it lists, and the rest of the calendar stays as "
               "it is; school year %(first)s to %(last)s, %(days)s (%(off)s without school, %(make_up)s with "
               "school). Events: %(events)s.",
               "%(label)s: lists days off and a Last day, %(given)s, without a First day: the school year ends "
               "on its Last day, it changes the %(num)d other dates it lists, and the rest of the calendar stays "
               "as it is; school year %(first)s to %(last)s, %(days)s (%(off)s without school, %(make_up)s with "
               "school). Events: %(events)s."),
}


def _snapshot(key):
    """The stored calendar of key as the journal keeps it, or None."""
    school, year = key
    old = _stored_calendar(school, year)
    if old is None:
        return None
    return {"school": school, "school_year": year, "first_day": plain(old.first_day),
            "last_day": plain(old.last_day),
            "days": [[plain(d.date), d.kind, d.name] for d in old.days.order_by(CalendarDay.date)]}


def decided(derived, stored, kept):
    """What of a calendar an import of derived over stored decides, as its journal keeps it (the undo
    reads it, undo_calendars): {"whole": True, "except": [the dates it left out]} for a whole year;
    {"whole": False, "dates": [ISO dates], "ends": ["first_day" and/or "last_day"]} for a part of one:
    the dates it speaks for and the ends it gives or moves."""
    if derived.whole:
        return {"whole": True, "except": sorted(plain(d) for d in derived.left_out)}
    ends = [end for i, end, given in ((0, "first_day", derived.first), (1, "last_day", derived.last))
            if given or kept[i] != (stored[i] if stored else None)]
    return {"whole": False, "dates": sorted(plain(d) for d in derived.speaks_for - derived.left_out), "ends": ends}


def _save(key, kept, journal, decides=None):
    """Store kept, (first, last, holidays, make_up), as the calendar of key; decides: what of it the
    import decided (decided), journalled with what it found."""
    school, year = key
    first, last, holidays, make_up = kept
    before = _snapshot(key) or {"school": school, "school_year": year, "absent": True}
    SchoolCalendar.delete().where((SchoolCalendar.school_year == year) & (
        SchoolCalendar.school.is_null() if school is None else SchoolCalendar.school == school)).execute()
    calendar = SchoolCalendar.create(school=school, school_year=year, first_day=first, last_day=last)
    journal.replaced("school_calendar", calendar.id, before, decides)
    rows = [{"calendar": calendar.id, "date": d, "kind": "holiday", "name": n}
            for d, n in sorted(holidays.items())]
    rows += [{"calendar": calendar.id, "date": d, "kind": "make_up", "name": n}
             for d, n in sorted(make_up.items())]
    for start in range(0, len(rows), 500):
        CalendarDay.insert_many(rows[start:start + 500]).execute()
    return len(rows)


def check(binary, filename, report, context):
    """Read and check a calendar file; returns {(school id or None, year): Derived or None}."""
    file = CsvFile(binary, filename, required=("date", "calendarEvent"), optional=("schoolId", "name", "calendarCode"),
                   max_rows=context.limits.max_rows,
                   aliases={"calendarEventDescriptor": "calendarEvent", "calendarEventType": "calendarEvent"})
    report.note_ignored_columns(file)
    tracks = {}
    refused_ends, rows, repeats = {}, {}, []
    groups = _read(file, report, context.date_order, tracks, refused_ends, rows, repeats)
    names = dict(School.select(School.id, School.name).tuples())
    _warn_tracks(tracks, report, names)
    plan, kept, crossed = {}, {}, _crossed_ends(groups)
    for key, days in sorted(groups.items(), key=lambda item: (item[0][0] or 0, item[0][1])):  # the district first
        if not days:  # its every date left out: nothing of it changes
            continue
        stored, unusable = _stored(key), []
        if key in crossed:  # its First day after its Last day, given in another year's calendar
            report.problem(file.name, crossed[key][0], crossed[key][1])
            plan[key], unusable = None, [crossed[key][0]]
        else:
            plan[key] = derive(key, days, report, filename, stored is not None, refused_ends, unusable)
        if plan[key]:
            plan[key].left_out = frozenset(rows[key][1])
            district = kept[(None, key[1])] if (None, key[1]) in kept else _stored((None, key[1]))
            kept[key] = result(key, plan[key], stored, district)
            backwards = _backwards(plan[key], kept[key], district, days)
            if backwards:  # one end given, the other stored: the year would run backwards
                report.problem(file.name, *backwards)
                plan[key], unusable = None, [backwards[0]]
                del kept[key]
        if plan[key] is None and unusable:  # its every row is left out with it, each named
            for line in rows[key][0]:
                if (file.name, line) not in report.bad_lines:
                    report.problem(file.name, line, Message(
                        "left out with row %(row)s: the calendar of %(year)s this row is part of cannot be used, "
                        "so none of its rows is kept", row=str(unusable[0]), year=key[1]))
        if plan[key] and key[0] is not None:
            _warn_district_days_off(key, days, district, report, names)
        if plan[key]:
            book = CalendarBook(key[1], kept[key] if key[0] is None else district,
                                {} if key[0] is None else {key[0]: kept[key]})
            year_given = all(kept[key][i] or (district and district[i]) for i in (0, 1))
            _describe(key, plan[key], days, report, names, book.for_school(key[0]), year_given)
    report.problems.sort(key=lambda problem: (problem[0], problem[1]))  # in row order, whatever found them
    report.note_repeats(file.name, [(line, earlier) for line, earlier in repeats
                                     if (file.name, line) not in report.bad_lines])
    return plan


SAID_DAYS = 5  # the dates a note names before it says how many more


def _warn_district_days_off(key, days, district, report, names):
    """Say which weekdays a school's calendar lists with school (an Instructional day, a Make-up day, ...) that
    its district's calendar, as this import leaves it, has as days off: a school's calendar adds days off to
    the district's and takes none away (rules.calendar.CalendarBook), so they stay days off for the school,
    and the administrator checks which calendar is right."""
    closed = sorted(d for d, (codes, _, _) in days.items()
                    if d.weekday() < 5 and _meaning(codes) == SCHOOL and district and d in district[2])
    if not closed:
        return
    said = tuple(closed[:SAID_DAYS])
    if len(closed) > SAID_DAYS:
        more = len(closed) - SAID_DAYS
        said += (plural_message("and %(num)d more", "and %(num)d more", more, num=more),)
    report.note(_dated(*NP_(
        "Check %(label)s: it lists %(num)d day with school that the district's calendar has as a day off, "
        "%(days)s: it stays a day off, as a school's calendar adds days off to the district's and takes none "
        "away. Check which of the two calendars is right.",
        "Check %(label)s: it lists %(num)d days with school that the district's calendar has as days off, "
        "%(days)s: they stay days off, as a school's calendar adds days off to the district's and takes none "
        "away. Check which of the two calendars is right."), n=len(closed),
        label=_label(key[0], key[1], names), num=len(closed), days=said))


def _changes(stored, kept):
    """How many days off and make-up days importing kept over stored adds, renames and takes away
    (each its own count: a district checks that a file adds its holidays and takes none it means to keep)."""
    before, after = {}, {}
    for calendar, days in ((stored, before), (kept, after)):
        if calendar:
            days.update({d: ("holiday", n) for d, n in calendar[2].items()})
            days.update({d: ("make_up", n) for d, n in calendar[3].items()})
    added = len(after.keys() - before.keys())
    removed = len(before.keys() - after.keys())
    renamed = sum(1 for d in before.keys() & after.keys() if before[d] != after[d])
    return added, renamed, removed


def apply(plan, report, journal, context):
    for key, derived in plan.items():  # the district's first: a school's part of a year may take its year
        if derived:
            stored = _stored(key)  # as it is now: a part of a year changes what is stored when it is applied
            kept = result(key, derived, stored, _stored((None, key[1])) if key[0] is not None else None)
            _save(key, kept, journal, decided(derived, stored, kept))
            added, renamed, removed = _changes(stored, kept)
            report.add("days off and make-up days added", added)
            report.add("days off and make-up days renamed", renamed)
            report.add("days off and make-up days removed", removed)
            if stored is None:  # a school's first calendar is imported, not replaced
                report.add("calendars imported")
            else:
                report.add("calendars replaced" if derived.whole else "calendars changed in part")


def import_calendar(binary, filename, skip_bad_rows=False, date_order=""):
    """Check and apply a calendar file at once, without the history; returns its Report."""
    from fieldapp.imports.steps import apply_now
    return apply_now("calendar", binary, filename, skip_bad_rows, date_order=date_order)
