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
Ed-Fi CalendarEventDescriptor value, as a URI or its short name;
calendar_events.EVENTS says what each means for counting. A date may carry several events (Instructional
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
the weekdays of its year make it a list of instructional days, and so do
fewer when it lists no day off at all (then warned as sparse). The preview says, per
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

This module checks a file and applies it; its parts: calendar_events (what
each event means), calendar_read (the rows, read and checked),
calendar_derive (the calendar a file makes, over the one stored) and
calendar_words (what the preview says of each calendar).
"""
from fieldapp.imports.calendar_derive import crossed_ends, derive, result, runs_backwards
from fieldapp.imports.calendar_read import read_calendars
from fieldapp.imports.calendar_words import describe, warn_district_days_off, warn_tracks
from fieldapp.imports.csvfile import CsvFile
from fieldapp.imports.journal import plain
from fieldapp.messages import Message
from fieldapp.models import CalendarDay, School, SchoolCalendar
from fieldapp.rules.calendar import CalendarBook


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
    groups = read_calendars(file, report, context.date_order, tracks, refused_ends, rows, repeats)
    names = dict(School.select(School.id, School.name).tuples())
    warn_tracks(tracks, report, names)
    plan, kept, crossed = {}, {}, crossed_ends(groups)
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
            backwards = runs_backwards(plan[key], kept[key], district, days)
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
            warn_district_days_off(key, days, district, report, names)
        if plan[key]:
            book = CalendarBook(key[1], kept[key] if key[0] is None else district,
                                {} if key[0] is None else {key[0]: kept[key]})
            year_given = all(kept[key][i] or (district and district[i]) for i in (0, 1))
            describe(key, plan[key], days, report, names, book.for_school(key[0]), year_given)
    report.problems.sort(key=lambda problem: (problem[0], problem[1]))  # in row order, whatever found them
    report.note_repeats(file.name, [(line, earlier) for line, earlier in repeats
                                     if (file.name, line) not in report.bad_lines])
    return plan


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
