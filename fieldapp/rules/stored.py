"""Stored standing: each student's engine Result kept in student_standing, so
pages and lists read one row instead of recomputing the school year.

A row answers for one day (`as_of`) under one set of rule settings and
calendars (`rules_key`). Whatever a standing is computed from -- attendance,
a contact or letter, a case's stage, flags or status, an enrolment, a birth
date, a transfer -- marks the students it touches stale when it changes: the
database does it (triggers, migrations/0181_standing_triggers.py), and
`mark_stale` is there for facts kept elsewhere. A rule setting or a school
calendar changes the key, and a new day changes `as_of`. Readers refresh what
is not fresh before reading (`ensure_fresh`, `standing_for`), and the daily
job refreshes the whole district ahead of the morning. A test holds a stored
row equal to a recomputation (tests/unit/test_stored_standing.py).
"""
import dataclasses
import datetime
import hashlib
import json

from peewee import fn, JOIN

from fieldapp.db import database
from fieldapp.models import SchoolCalendar, Student, StudentStanding, utcnow
from fieldapp.rules.calendar import load_book
from fieldapp.rules.engine import CaseRecord, Result, StepResult, _blocked
from fieldapp.rules.standing import CHUNK, standing_of, standings
from fieldapp.timefmt import school_year_of

FORMAT = 1  # bump when what a row holds changes: every stored row is then refreshed
REFRESH_CHUNK = 2000  # students computed and written per transaction
TALLY = ("unexcused", "excused", "tardy", "early_departure", "partial")


def rules_key(settings, on_day):
    """A short fingerprint of what a standing on on_day is computed under: the
    state, the rule-set version, every local adjustment, and the school
    calendars of that year (an import replaces a calendar with a new row)."""
    version = settings.version_on(on_day)
    calendars = (SchoolCalendar.select(fn.COUNT(SchoolCalendar.id), fn.MAX(SchoolCalendar.id))
                 .where(SchoolCalendar.school_year == school_year_of(on_day)).tuples().get())
    text = json.dumps([FORMAT, settings.state, version.version_id, sorted(settings.thresholds.items()),
                       sorted(settings.deadlines.items()), settings.part_day_minutes,
                       settings.due_soon_days, list(version.adjustments), list(calendars)])
    return hashlib.sha1(text.encode()).hexdigest()[:20]


def since_day(on_day):
    """Crossings on or after this day are "new" on the worklist: the district's
    previous school day."""
    return load_book(school_year_of(on_day)).for_school(None).previous_school_day(on_day)


def section_of(result, since, due_soon):
    """(step, section) of the worklist for a student with something to do, else None."""
    step = result.next_step
    if step is None:
        return (result.blocked_steps[0], "barred") if result.blocked_steps else None
    if result.school_days_left(step) < 0:
        return step, "overdue"
    if crossed_since(result, since):
        return step, "new"
    return step, "due_soon" if result.school_days_left(step) <= due_soon else "later"


def crossed_since(result, since):
    """Pending steps whose threshold was crossed on or after since."""
    return [s for s in result.steps if s.pending and s.triggered_on >= since]


# -- a Result as a row, and back ---------------------------------------------------

@dataclasses.dataclass
class StoredResult(Result):
    """A Result read back from its row: the same properties (next_step,
    upcoming, blocked_steps, status_label...) with the school days left of
    each step as stored. `calendar` and `events` are None unless a caller
    loads them (the student page does, for the year's months)."""
    days_left: dict = None  # step code -> school days left on as_of
    tally: dict = None  # category -> marks within the enrolled span
    section: str = None
    calendar_assumed: bool = False

    def school_days_left(self, step_result):
        return self.days_left[step_result.step.code]


def _day(value):
    return datetime.date.fromisoformat(value) if value else None


def _iso(value):
    return value.isoformat() if value else None


def _tally(result):
    start, end = result.enrolled
    counts = dict.fromkeys(TALLY, 0)
    for day, category, _ in result.events or ():
        if start <= day <= end and category in counts:
            counts[category] += 1
    return counts


def _extra(result):
    return {
        "steps": [{"code": s.step.code, "first": _iso(s.first_triggered_on), "on": _iso(s.triggered_on),
                   "due": _iso(s.due_on), "done": _iso(s.done_on), "missing": list(s.missing),
                   "left": result.school_days_left(s)}
                  for s in result.steps if s.triggered],
        "flags": sorted(result.case.flags) if result.case else [],
        "notes": len(result.notes), "enrolled": [_iso(d) for d in result.enrolled],
        "tally": _tally(result), "assumed": bool(result.calendar.assumed),
    }


def row_of(result, school_id, key, since, due_soon):
    """The student_standing row of an engine Result."""
    found = section_of(result, since, due_soon)
    nxt = result.next_step
    return {
        "student": result.student_id, "school_id": school_id, "as_of": result.on_day,
        "rules_key": key, "stale": False, "school_year": result.school_year,
        "rule_version": result.version.version_id,
        "count_year": result.counts["year"], "count_four_weeks": result.counts["four_weeks"],
        "count_six_months": result.counts["six_months"], "count_month": result.counts["month"],
        "unexcused_days": result.unexcused_days, "excused_days": result.excused_days,
        "part_days": result.part_days, "days_enrolled": result.days_enrolled,
        "days_missed": result.days_missed, "percent_missed": result.percent_missed,
        "band": result.band, "status": result.status.code if result.status else None,
        "next_step": found[0].step.code if found else (nxt.step.code if nxt else None),
        "next_due_on": found[0].due_on if found else None,
        "section": found[1] if found else None,
        "steps_json": json.dumps(_extra(result)), "computed_at": utcnow(),
    }


def from_row(row, settings):
    """The StoredResult of a student_standing row (a model instance)."""
    version = settings.version_on(row.as_of)
    extra = json.loads(row.steps_json)
    flags = frozenset(extra["flags"])
    record = CaseRecord(flags=flags)
    stored = {s["code"]: s for s in extra["steps"]}
    steps = []
    for index, step in enumerate(version.steps):
        s = stored.get(step.code)
        if s is None:
            steps.append(StepResult(step=step, index=index))
            continue
        steps.append(StepResult(
            step=step, index=index, triggered_on=_day(s["on"]), first_triggered_on=_day(s["first"]),
            due_on=_day(s["due"]), done_on=_day(s["done"]), missing=tuple(s["missing"]),
            blocked=_blocked(step, record)))
    counts = {"year": row.count_year, "four_weeks": row.count_four_weeks,
              "six_months": row.count_six_months, "month": row.count_month}
    status = next((s for s in version.statuses if s.code == row.status), None)
    notes = [version.chronic_truancy[1]] if extra["notes"] and version.chronic_truancy else []
    return StoredResult(
        student_id=row.student_id, version=version, on_day=row.as_of, counts=counts,
        unexcused_days=row.unexcused_days, excused_days=row.excused_days, part_days=row.part_days,
        days_enrolled=row.days_enrolled, days_missed=row.days_missed,
        percent_missed=row.percent_missed, band=row.band, status=status, notes=notes, steps=steps,
        calendar=None, case=record, events=None, enrolled=tuple(_day(d) for d in extra["enrolled"]),
        days_left={s["code"]: s["left"] for s in extra["steps"]}, tally=extra["tally"],
        section=row.section, calendar_assumed=extra["assumed"])


# -- writing -------------------------------------------------------------------------

def _write(rows, student_ids):
    with database.atomic():
        for i in range(0, len(student_ids), CHUNK):
            StudentStanding.delete().where(
                StudentStanding.student.in_(student_ids[i:i + CHUNK])).execute()
        for i in range(0, len(rows), 200):
            StudentStanding.insert_many(rows[i:i + 200]).execute()


def refresh(settings, on_day, student_ids, progress=None):
    """Recompute and store the standing of these students on on_day, a chunk
    at a time (bounded memory); inactive students lose their row. Calls
    progress(done, total) after each chunk. Returns how many were stored."""
    student_ids = list(student_ids)
    key, since, stored = rules_key(settings, on_day), since_day(on_day), 0
    for i in range(0, len(student_ids), REFRESH_CHUNK):
        part = student_ids[i:i + REFRESH_CHUNK]
        schools = dict(Student.select(Student.id, Student.school).where(Student.id.in_(part)).tuples()) \
            if len(part) <= CHUNK else _schools_of(part)
        results = standings(settings, on_day, student_ids=part)
        rows = [row_of(r, schools[sid], key, since, settings.due_soon_days) for sid, r in results.items()]
        _write(rows, part)
        stored += len(rows)
        if progress:
            progress(min(i + REFRESH_CHUNK, len(student_ids)), len(student_ids))
    return stored


def _schools_of(ids):
    found = {}
    for i in range(0, len(ids), CHUNK):
        found.update(Student.select(Student.id, Student.school)
                     .where(Student.id.in_(ids[i:i + CHUNK])).tuples())
    return found


def mark_stale(student_ids=None, school_ids=None):
    """Mark stored standings stale: of these students, of these schools'
    students, or of everyone when both are None. Cheap (one UPDATE per
    chunk), so writers call it inside their own transaction."""
    query = StudentStanding.update(stale=True)
    if student_ids is not None:
        ids = sorted(set(student_ids))
        for i in range(0, len(ids), CHUNK):
            query.where(StudentStanding.student.in_(ids[i:i + CHUNK])).execute()
        return
    if school_ids is not None:
        query = query.where(StudentStanding.student.in_(
            Student.select(Student.id).where(Student.school.in_(list(school_ids)))))
    query.execute()


# -- reading -------------------------------------------------------------------------

def _not_fresh(key, on_day):
    return (StudentStanding.student.is_null() | (StudentStanding.stale == True)  # noqa: E712
            | (StudentStanding.as_of != on_day) | (StudentStanding.rules_key != key))


def needing_refresh(settings, on_day, school_ids=None, student_ids=None):
    """Ids of active students in scope whose stored standing is missing or not fresh."""
    key = rules_key(settings, on_day)
    query = (Student.select(Student.id)
             .join(StudentStanding, JOIN.LEFT_OUTER, on=(StudentStanding.student == Student.id))
             .where((Student.active == True) & _not_fresh(key, on_day)))  # noqa: E712
    if school_ids is not None:
        query = query.where(Student.school.in_(list(school_ids)))
    if student_ids is None:
        return [sid for (sid,) in query.tuples()]
    ids, found = list(student_ids), []
    for i in range(0, len(ids), CHUNK):
        found += [sid for (sid,) in query.where(Student.id.in_(ids[i:i + CHUNK])).tuples()]
    return found


def ensure_fresh(settings, on_day, school_ids=None, student_ids=None, progress=None):
    """Refresh what is not fresh in scope; return how many were refreshed."""
    ids = needing_refresh(settings, on_day, school_ids, student_ids)
    return refresh(settings, on_day, ids, progress) if ids else 0


def standing_for(settings, student, on_day):
    """One student's standing on on_day: the stored row when fresh, else
    computed (also for an inactive student) and stored."""
    row = StudentStanding.get_or_none(StudentStanding.student == student.id)
    if row is not None and not row.stale and row.as_of == on_day and \
            row.rules_key == rules_key(settings, on_day):
        return from_row(row, settings)
    result = standing_of(settings, student, on_day)
    fresh = row_of(result, student.school_id, rules_key(settings, on_day), since_day(on_day),
                   settings.due_soon_days)
    _write([fresh], [student.id])
    return result


def standings_of(settings, on_day, student_ids):
    """{student id: StoredResult} of these students, refreshing what is not fresh."""
    ensure_fresh(settings, on_day, student_ids=student_ids)
    ids, found = list(student_ids), {}
    for i in range(0, len(ids), CHUNK):
        for row in StudentStanding.select().where(StudentStanding.student.in_(ids[i:i + CHUNK])):
            found[row.student_id] = from_row(row, settings)
    return found
