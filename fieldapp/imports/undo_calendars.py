"""Undoing a calendar import (see fieldapp.imports.undo): a school's calendar
goes back to what the import found, unless a later import (not undone) has
replaced or changed it since."""
import json

from fieldapp.imports.undo_words import CHANGED_SINCE, count, kept_by, named
from fieldapp.messages import Message
from fieldapp.models import CalendarDay, ImportChange, ImportRun, School, SchoolCalendar


def calendar_named(before):
    if before["school"] is None:
        return Message("the district's calendar, %(year)s", year=before["school_year"])
    return Message("the calendar of %(school)s, %(year)s", school=named(School, before["school"]),
                   year=before["school_year"])


def calendars_changed_later(run):
    """{(school id or None, school year): the first later import, not undone,
    that replaced or changed in part that calendar}. A calendar import stores
    each calendar anew (and SQLite may give the new one the id of the one it
    replaced), so a calendar is known by its school and year, never by id."""
    later = {}
    for by, before_json in ImportChange.select(ImportChange.run, ImportChange.before_json).join(ImportRun).where(
            ImportChange.run > run.id, ImportChange.table == "school_calendar",
            ImportRun.undone_at.is_null()).order_by(ImportChange.run).tuples():
        before = json.loads(before_json)
        later.setdefault((before["school"], before["school_year"]), by)
    return later


def calendar_found(run, before):
    """(the calendar to put back for `before`, what run found of a school's
    year; the earlier import that made it and is undone since, or None).
    What run found is put back unless an earlier import made it and was
    undone after run was applied: that undo kept run's calendar and left its
    own in run's `before`; then what that import found is put back instead,
    and so on back."""
    key, at, undone = (before["school"], before["school_year"]), run, None
    while True:
        made = _last_change_before(at.id, key)
        if made is None:
            return before, undone
        maker = ImportRun.get_by_id(made[0])
        if maker.undone_at is None or at.applied_at is None or maker.undone_at < at.applied_at:
            return before, undone
        before, at, undone = made[1], maker, maker.id


def _last_change_before(run_id, key):
    """(run id, what it found) of the last import before run_id that changed the calendar of key
    ((school id or None, school year)), or None."""
    for by, found in ImportChange.select(ImportChange.run, ImportChange.before_json).where(
            ImportChange.run < run_id, ImportChange.table == "school_calendar",
            ImportChange.before_json.contains(json.dumps({"school_year": key[1]})[1:-1])  # read first where kept
    ).order_by(ImportChange.run.desc(), ImportChange.id.desc()).tuples():
        found = json.loads(found)
        if (found["school"], found["school_year"]) == key:
            return by, found
    return None


def calendar_back(before, counts, later, run=None):
    key = (before["school"], before["school_year"])
    if key in later:  # what the later import made of it stands
        count(counts, CHANGED_SINCE, which=kept_by(calendar_named(before), later[key]))
        return
    named = calendar_named(before)
    before, undone = calendar_found(run, before) if run is not None else (before, None)
    # The calendar of the school and year is this import's (or what undoing a later one put back: the same).
    if not SchoolCalendar.delete().where((SchoolCalendar.school_year == key[1]) & (
            SchoolCalendar.school.is_null() if key[0] is None else SchoolCalendar.school == key[0])).execute():
        count(counts, CHANGED_SINCE, which=Message("%(what)s: removed since", what=named))
        return
    # the calendar it found, when an import undone since made it, is not put back: that undo took it away
    which = Message("%(what)s: the calendar it found was made by import %(run)s, undone since, and is not put back",
                    what=named, run=str(undone)) if undone else None
    if before.get("absent"):  # the school's first calendar: none to put back
        count(counts, "calendars it imported removed", which=which)
        return
    old = SchoolCalendar.create(school=before["school"], school_year=before["school_year"],
                                first_day=before["first_day"], last_day=before["last_day"])
    for day, kind, name in before["days"]:
        CalendarDay.create(calendar=old, date=day, kind=kind, name=name)
    count(counts, "calendars put back", which=which)
