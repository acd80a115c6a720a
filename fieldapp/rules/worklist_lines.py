"""Today's worklist as the lines of `flask worklist --json`, read straight
from the stored rows: a plain cursor, a chunk at a time, and each line made
from the row's columns and its stored JSON without building a model object
or decoding a Result. A district of 227,000 students is listed in bounded
memory. The lines equal those of the page's WorkItems (WorkItem.as_dict;
tests/unit/test_stored_standing.py holds the two equal)."""
import datetime
import json
from types import SimpleNamespace

from peewee import JOIN

from fieldapp.db import streamed
from fieldapp.models import Case, School, Student, StudentStanding
from fieldapp.rules import stored
from fieldapp.rules import worklist as work

COLUMNS = (StudentStanding.as_of, StudentStanding.section, StudentStanding.next_step, StudentStanding.status,
           StudentStanding.result_json, Case.id, Student.id, Student.sourced_id, Student.local_id,
           Student.first_name, Student.last_name, School.sourced_id)


class _Days:
    """What a stored row's day decides, worked out once per day: the
    rule-set version in force and the day crossings are new from."""

    def __init__(self, settings):
        self.settings, self.known = settings, {}

    def __call__(self, as_of):
        found = self.known.get(as_of)
        if found is None:  # SQLite gives the day as text, PostgreSQL as a date
            day = as_of if isinstance(as_of, datetime.date) else datetime.date.fromisoformat(as_of)
            found = self.known[as_of] = (day, self.settings.version_on(day), stored.since_day(day).isoformat())
        return found


def lines(settings, school_ids=None, batch=1000):
    """Every line of today's worklist (each school's own today) for some
    schools (None: the whole district), in the page's order: section by
    section, then by due day, name and id. Yields lists of at most `batch`
    lines (dicts of JSON values, fieldapp.rules.worklist.json_line).
    Refreshes what is not fresh first, as the page does."""
    stored.ensure_fresh(settings, None, school_ids=school_ids)
    fresh, days = stored.fresh_today(settings, school_ids), _Days(settings)
    # A student has one open case at most (migration 0241): joined, it adds no row.
    rows = work._rows(fresh, COLUMNS).join(
        Case, JOIN.LEFT_OUTER, on=((Case.student == Student.id) & (Case.status == "open")))
    totals = work._totals(fresh)
    for section in work.SECTIONS:
        if not totals.get(section):
            continue
        for chunk in streamed(work._ordered(rows.where(StudentStanding.section == section)), batch):
            yield [_line(settings, row, days) for row in chunk]


def _line(settings, row, days):
    as_of, section, next_step, status, result_json, case_id, *student = row
    who = (student[0], student[1], student[2], f"{student[4]}, {student[3]}", student[5])
    day, version, since = days(as_of)
    extra = json.loads(result_json)
    result = extra["result"]
    on, counts = result["on_day"]["~d"], stored.plain(result["counts"])
    step = next((s for s in extra["steps"] if s["code"] == next_step), None)
    if step is None:  # nothing due: the reasons are the Result's (fieldapp.rules.explain)
        why = stored.from_row(SimpleNamespace(as_of=day, result_json=result_json, status=status,
                                              section=section), settings)
        return work.json_line(on, who, section, counts, version,
                              why_nothing_due=[str(m) for m in why.why_nothing_due])
    crossed = [s["code"] for s in extra["steps"] if s["triggered_on"] is not None and s["done_on"] is None
               and s["applies"] and s["triggered_on"]["~d"] >= since]
    standing = {"days_enrolled": result["days_enrolled"], "days_missed": result["days_missed"],
                "percent_missed": result["percent_missed"], "band": result["band"], "status": status,
                "band_version": result["band_version"]}
    facts = {"code": next_step, "triggered_on": step["triggered_on"]["~d"], "due_on": step["due_on"]["~d"],
             "school_days_left": step["left"], "missing": stored.plain(step["missing"]),
             "barred": stored.plain(step["blocked"]) or None, "crossed": crossed, "case_id": case_id}
    return work.json_line(on, who, section, counts, version, standing, facts)
