"""Undoing a calendar import (see fieldapp.imports.undo), day by day: each
date of a school's calendar the import decided (a day off, a make-up day or a
school day), and its first and last day, goes back to what the import found,
unless a later import, not undone, decided that date since: what the later
import made of it stays, and the undo names the date and that import. A
later import of the whole year keeps every date, and is named once, by its
calendar.

An import's journal entry holds what it found (before: the calendar, or
{"absent": true}) and what it decided (after: calendar.decided, the whole
year or the dates and ends of the part it spoke for; an entry journalled
without it decided the whole calendar). Where an earlier import that made
what it found was undone after it was applied, that undo kept this import's
day, so what that import found is put back instead, and so on back: undone
in any order, the calendar ends as the imports still applied made it."""
import datetime
import json

from fieldapp.imports.undo_words import CHANGED_SINCE, count, kept_by, named
from fieldapp.messages import N_, Message
from fieldapp.models import CalendarDay, ImportChange, ImportRun, School, SchoolCalendar
from fieldapp.rules.calendar import assumed_calendar

ENDS = ("first_day", "last_day")
# Said by undos before a calendar went back day by day; their stored counts still read it.
REMOVED_SINCE = N_("%(what)s: removed since")


def calendar_named(before):
    if before["school"] is None:
        return Message("the district's calendar, %(year)s", year=before["school_year"])
    return Message("the calendar of %(school)s, %(year)s", school=named(School, before["school"]),
                   year=before["school_year"])


class _Entry:
    """One import's change of one calendar: its run, what it found ({item: value}, an item an ISO
    date or an end, a value [kind, name] or an ISO date) and what it decided."""

    def __init__(self, run_id, before, after, undone_at, applied_at):
        self.run_id, self.before, self.undone_at, self.applied_at = run_id, before, undone_at, applied_at
        self.found = _state(before)
        said = json.loads(after) if after else {}
        self.whole = said.get("whole", True)  # journalled without it: the whole calendar
        self.left_out = frozenset(said.get("except", ()))
        self.items = frozenset(said.get("dates", ())) | frozenset(said.get("ends", ()))

    def decides(self, item):
        return item not in self.left_out if self.whole else item in self.items


def _state(snapshot):
    """{item: value} of a calendar as the journal keeps it (calendar._snapshot); {} when absent."""
    if snapshot is None or snapshot.get("absent"):
        return {}
    state = {end: snapshot[end] for end in ENDS if snapshot.get(end)}
    state.update({day: [kind, name] for day, kind, name in snapshot["days"]})
    return state


def _entries(key):
    """The _Entry of each import that changed the calendar of key ((school id or None, school year)),
    in the order made. A calendar import stores each calendar anew (and SQLite may give the new one
    the id of the one it replaced), so a calendar is known by its school and year, never by id."""
    entries = []
    for run_id, before, after, undone_at, applied_at in ImportChange.select(
            ImportChange.run, ImportChange.before_json, ImportChange.after_json, ImportRun.undone_at,
            ImportRun.applied_at).join(ImportRun).where(
            ImportChange.table == "school_calendar",
            ImportChange.before_json.contains(json.dumps({"school_year": key[1]})[1:-1])  # read first where kept
    ).order_by(ImportChange.run, ImportChange.id).tuples():
        before = json.loads(before)
        if (before["school"], before["school_year"]) == key:
            entries.append(_Entry(run_id, before, after, undone_at, applied_at))
    return entries


def _current(key):
    calendar = SchoolCalendar.get_or_none((SchoolCalendar.school_year == key[1]) & (
        SchoolCalendar.school.is_null() if key[0] is None else SchoolCalendar.school == key[0]))
    if calendar is None:
        return {}
    state = {end: getattr(calendar, end).isoformat() for end in ENDS if getattr(calendar, end)}
    state.update({day.date.isoformat(): [day.kind, day.name] for day in calendar.days})
    return state


def _found(mine, earlier, item):
    """(the value of item to put back, the earlier import undone since whose value it is, or None)."""
    at, value, undone = mine, mine.found.get(item), None
    while True:
        prior = next((e for e in reversed(earlier) if e.run_id < at.run_id and e.decides(item)), None)
        if prior is None or prior.undone_at is None or at.applied_at is None or prior.undone_at < at.applied_at:
            return value, undone
        at, value, undone = prior, prior.found.get(item), prior.run_id


def _plan(run, key):
    """What undoing run does to the calendar of key: (the calendar it leaves, {item: value}; the
    calendar now; {later run id: (its _Entry, [items it keeps])}; the earlier imports undone since
    whose days are put back, the first of the list the one furthest back; whether any day it decided
    is put back, not kept)."""
    entries = _entries(key)
    mine = next(e for e in entries if e.run_id == run.id)
    later = [e for e in entries if e.run_id > run.id and e.undone_at is None]
    earlier = [e for e in entries if e.run_id < run.id]
    now = _current(key)
    items = set(mine.items)
    if mine.whole:
        items = set(ENDS) | set(mine.found) | set(now)
        for entry in earlier:
            items |= set(entry.found)
    left, kept, undone, restored = dict(now), {}, set(), False
    for item in sorted(items):
        if not mine.decides(item):
            continue
        deciders = [e for e in later if e.decides(item)]
        if deciders:  # the last to decide it made what it is
            kept.setdefault(deciders[-1].run_id, (deciders[-1], []))[1].append(item)
            continue
        value, maker = _found(mine, earlier, item)
        restored = True
        if maker:
            undone.add(maker)
        if value is None:
            left.pop(item, None)
        else:
            left[item] = value
    return left, now, kept, sorted(undone), restored


def _kept_lines(before, kept):
    """The lines naming the days later imports decided, which the undo keeps: each date (and end) of
    a part of a year, the calendar once for a whole year."""
    calendar, lines = calendar_named(before), []
    for run_id, (entry, items) in sorted(kept.items()):
        if entry.whole:
            lines.append(kept_by(calendar, run_id))
            continue
        for item in items:
            if item == "first_day":
                what = Message("%(calendar)s: its first day", calendar=calendar)
            elif item == "last_day":
                what = Message("%(calendar)s: its last day", calendar=calendar)
            else:
                what = Message("%(calendar)s: %(day)s", calendar=calendar, day=datetime.date.fromisoformat(item))
            lines.append(kept_by(what, run_id))
    return lines


ASSUMED = "calendars with an assumed year"  # the count the undo says it in, as an import's preview does


def _assumed_line(key, now, left):
    """The line saying that the calendar of key, left as left ({item: value}) where it is now, has its
    school year assumed (rules.calendar.assumed_calendar: mid-August, mid-June) where it was given: no
    calendar still applied (its own or the district's) gives its First day, its Last day or both, naming
    the dates assumed; None when the year stays given, was assumed already, or no calendar is left."""
    district = {} if key[0] is None else _current((None, key[1]))
    if not left and not district:  # no calendar at all: as before any was imported
        return None
    before = [now.get(end) or district.get(end) for end in ENDS]
    after = [left.get(end) or district.get(end) for end in ENDS]
    if not all(before) or all(after):
        return None
    fallback = assumed_calendar(key[1])
    first = datetime.date.fromisoformat(after[0]) if after[0] else fallback.first_day
    last = datetime.date.fromisoformat(after[1]) if after[1] else fallback.last_day
    calendar = calendar_named({"school": key[0], "school_year": key[1]})
    if not after[0] and not after[1]:
        return Message("%(calendar)s: no calendar still applied gives its First day and its Last day, so its "
                       "school year is now assumed, %(first)s to %(last)s (the weekdays from mid-August to "
                       "mid-June); import its whole year again to give it", calendar=calendar, first=first,
                       last=last)
    if not after[0]:
        return Message("%(calendar)s: no calendar still applied gives its First day, so its school year now "
                       "begins on %(first)s, assumed (mid-August), and ends on %(last)s; import its whole year "
                       "again to give it", calendar=calendar, first=first, last=last)
    return Message("%(calendar)s: no calendar still applied gives its Last day, so its school year now ends on "
                   "%(last)s, assumed (mid-June), and begins on %(first)s; import its whole year again to give it",
                   calendar=calendar, first=first, last=last)


def calendars_assumed(run):
    """The lines naming each calendar whose school year undoing run leaves assumed (_assumed_line), for the
    undo's preview to say before it is done."""
    lines = []
    for (before,) in ImportChange.select(ImportChange.before_json).where(
            ImportChange.run == run, ImportChange.table == "school_calendar").order_by(ImportChange.id).tuples():
        before = json.loads(before)
        key = (before["school"], before["school_year"])
        left, now = _plan(run, key)[:2]
        line = _assumed_line(key, now, left)
        if line is not None:
            lines.append(line)
    return lines


def calendars_kept(run):
    """The lines naming what of the calendars run changed a later import (not undone) decided since,
    which undoing run keeps (see _kept_lines)."""
    lines = []
    for (before,) in ImportChange.select(ImportChange.before_json).where(
            ImportChange.run == run, ImportChange.table == "school_calendar").order_by(ImportChange.id).tuples():
        before = json.loads(before)
        lines += _kept_lines(before, _plan(run, (before["school"], before["school_year"]))[2])
    return lines


def calendar_back(before, counts, run):
    """Undo run's change of the calendar it found as before (see the module's docstring); counts what
    it put back and names what it kept (CHANGED_SINCE)."""
    key = (before["school"], before["school_year"])
    left, now, kept, undone, restored = _plan(run, key)
    for line in _kept_lines(before, kept):
        count(counts, CHANGED_SINCE, which=line)
    assumed = _assumed_line(key, now, left)
    if assumed is not None:
        count(counts, ASSUMED, which=assumed)
    if left == now and not restored:  # every day it decided, a later import decided since
        return
    # the days an import undone since had made, which it found, are not put back: that undo took them away
    which = Message("%(what)s: the calendar it found was made by import %(run)s, undone since, and is not put back",
                    what=calendar_named(before), run=str(undone[0])) if undone else None
    if left == now and left:  # what it found is there already (a file imported again as it was)
        count(counts, "calendars put back", which=which)
        return
    SchoolCalendar.delete().where((SchoolCalendar.school_year == key[1]) & (
        SchoolCalendar.school.is_null() if key[0] is None else SchoolCalendar.school == key[0])).execute()
    if not left:  # nothing of it left: no calendar, as before the first import made it
        count(counts, "calendars it imported removed", which=which)
        return
    calendar = SchoolCalendar.create(school=key[0], school_year=key[1], first_day=left.get("first_day"),
                                     last_day=left.get("last_day"))
    rows = [{"calendar": calendar.id, "date": day, "kind": value[0], "name": value[1]}
            for day, value in sorted(left.items()) if day not in ENDS]
    for start in range(0, len(rows), 500):
        CalendarDay.insert_many(rows[start:start + 500]).execute()
    count(counts, "calendars put back", which=which)
