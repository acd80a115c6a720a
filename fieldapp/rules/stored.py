"""Stored standing: each student's engine Result kept in student_standing, so
pages and lists read one row instead of recomputing the school year.

A row answers for one day (`as_of`) under one set of rule settings and
calendars (`rules_key`). Whatever a standing is computed from -- attendance,
a contact or letter, a case's stage, flags or status, an enrolment, a birth
date, a transfer -- marks the students it touches stale when it changes: the
database does it (triggers, migrations/0181_standing_triggers.py), and
`mark_stale` is there for facts kept elsewhere. A rule setting or a school
calendar changes the key, and a new day changes `as_of`.

"Today" is each school's own: a row's `as_of` is the day in the zone of the
student's school (fieldapp.timefmt.todays). Callers that mean "today" pass
on_day=None, and the schools in scope are taken a day at a time, so that
just after midnight in New York a Honolulu school's rows still answer for
Honolulu's today, and neither is recomputed for the other's day. Readers refresh what
is not fresh before reading (`ensure_fresh`, `standing_for`), and the daily
job refreshes the whole district ahead of the morning. A test holds a stored
row equal to a recomputation (tests/unit/test_stored_standing.py).
"""
import base64
import dataclasses
import datetime
import hashlib
import json

from peewee import fn, JOIN, Value

from fieldapp.db import Param, Params, Prepared, PreparedBySize, database, is_postgres
from fieldapp.messages import Message
from fieldapp.models import SchoolCalendar, SchoolRoll, StandingTally, Student, StudentStanding, utcnow
from fieldapp.rules.calendar import calendar_revision, calendars_fingerprint, load_book
from fieldapp.rules.engine import CaseRecord, Result, StepResult
from fieldapp.rules.standing import CHUNK, marks_read, marks_text, standing_of, standings
from fieldapp.timefmt import school_year_of, schools_by_today, today_for_school

FORMAT = 2  # bump when what a row holds, or how the rules compute it, changes: every row is refreshed
REFRESH_CHUNK = 2000  # students computed and written per transaction
# After rewriting this many standings at once, PostgreSQL's planner is told
# (ANALYZE) rather than left to autovacuum, which may be off or lag behind: on
# the bench district, a refresh of all 100,000 left it planning the worklist
# from the old rows, and the page took 2.0 s instead of 0.14 s.
ANALYZE_AFTER = 10000


def rules_key(settings, on_day, book=None, calendars=None):
    """A short fingerprint of what a standing on on_day is computed under: the
    state, the rule-set version, every local adjustment, and the school
    calendars of that year (an import replaces a calendar with a new row).
    book: that year's CalendarBook when the caller has read it already;
    calendars: else that year's calendars' fingerprint when read
    (calendar.calendars_fingerprint)."""
    version = settings.version_on(on_day)
    if calendars is None:
        calendars = book.fingerprint if book is not None else calendars_fingerprint(
            _CALENDARS.rows(year=school_year_of(on_day))[0])
    text = json.dumps([FORMAT, settings.state, version.version_id, sorted(settings.thresholds.items()),
                       sorted(settings.deadlines.items()), settings.part_day_minutes,
                       settings.due_soon_days, settings.school_day_minutes, list(version.adjustments),
                       list(calendars)])
    return hashlib.sha1(text.encode()).hexdigest()[:20]


# On every page that reads a standing: how many calendars, the newest id and
# the year's revision (migration 0840 counts every change to a calendar or day).
_CALENDARS = Prepared(lambda: SchoolCalendar.select(
    fn.COUNT(SchoolCalendar.id), fn.MAX(SchoolCalendar.id), calendar_revision().alias("revision"))
    .where(SchoolCalendar.school_year == Param("year")).tuples())


def since_day(on_day):
    """Crossings on or after this day are "new" on the worklist: the district's
    previous school day."""
    return load_book(school_year_of(on_day)).for_school(None).previous_school_day(on_day)


def section_of(result, since, due_soon):
    """(step or None, section) of the worklist, as the worklist decides it, else None."""
    from fieldapp.rules.worklist import _section  # the worklist imports this module
    return _section(result, since, due_soon)


# -- a Result as a row, and back ---------------------------------------------------

@dataclasses.dataclass
class StoredResult(Result):
    """A Result read back from its row: every field the engine gave, and so the
    same properties (next_step, upcoming, why_nothing_due, status_label...),
    with the school days left of each step as stored. `calendar` and
    `events` are None unless a caller loads them (the student page does)."""
    days_left: dict = None  # step code -> school days left on as_of
    section: str = None

    def school_days_left(self, step_result):
        return self.days_left[step_result.step.code]


# Fields not kept in the row: given back by the reader (version, calendar,
# events) or rebuilt (steps, status, case).
_RESULT_OUT = {"version", "calendar", "events", "steps", "status", "case"}
_STEP_OUT = {"step"}


def encode(value):
    """A value of a Result as JSON: dates, sets of dates (as a bitmap from the
    first), tuples, dicts with any keys and Messages (with what translates
    them) come back as they were (decode_row)."""
    if isinstance(value, Message):
        return {"~m": [value.msgid, str(value), value.plural, value.n,
                       {k: encode(v) for k, v in value.values.items()}]}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, datetime.date):
        return {"~d": value.isoformat()}
    if isinstance(value, (set, frozenset)):
        if value and all(type(v) is datetime.date for v in value):
            return {"~b": _bitmap(value)}
        return {"~s": [encode(v) for v in sorted(value, key=repr)]}
    if isinstance(value, tuple):
        return {"~t": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {"~o": [[encode(k), encode(v)] for k, v in value.items()]}
    return str(value)  # anything else is kept as its text


def _tagged(obj):
    """json.loads's hook: a JSON object written by encode, back as it was. The
    parser calls it from the innermost object out, so what a tag holds is
    decoded already; an object without a tag (a Message's values, a row's
    parts) stays a dict."""
    if len(obj) != 1:
        return obj
    (tag, body), = obj.items()
    if tag == "~d":
        return datetime.date.fromisoformat(body)
    if tag == "~t":
        return tuple(body)
    if tag == "~o":
        return {key: value for key, value in body}
    if tag == "~b":
        return frozenset(_days(body))
    if tag == "~s":
        return frozenset(body)
    if tag == "~m":
        msgid, english, plural, n, values = body
        return Message(msgid, english=english, plural=plural, n=n, **values)
    return obj


def decode_row(text):
    """The JSON text of a row's result_json, its values as encode was given them."""
    return json.loads(text, object_hook=_tagged)


def plain(value):
    """A stored value (encode) as JSON, without decoding it: a Message as its
    English (as json.dumps writes a decoded one), a date as ISO text, a
    tuple as a list, a dict with text keys as an object."""
    kind = type(value)
    if kind is list:
        return [plain(v) for v in value]
    if kind is not dict:
        return value
    (tag, body), = value.items()
    if tag == "~m":
        return body[1]
    if tag == "~d":
        return body
    if tag in ("~s", "~t"):
        return [plain(v) for v in body]
    return {k: v if type(v) in _SCALARS else plain(v) for k, v in body}


_SCALARS = (int, float, str, bool, type(None))


def _bitmap(days):
    first = min(days)
    bits = bytearray((max(days) - first).days // 8 + 1)
    for day in days:
        offset = (day - first).days
        bits[offset // 8] |= 1 << (offset % 8)
    return [first.isoformat(), base64.b64encode(bytes(bits)).decode()]


def _days(body):
    first, bits = datetime.date.fromisoformat(body[0]), base64.b64decode(body[1])
    return [first + datetime.timedelta(days=i * 8 + b) for i, byte in enumerate(bits)
            for b in range(8) if byte >> b & 1]


def _fields(obj, kind, left_out):
    return {f.name: encode(getattr(obj, f.name)) for f in dataclasses.fields(kind) if f.name not in left_out}


def _extra(result):
    return {
        "result": _fields(result, Result, _RESULT_OUT),
        "steps": [{"code": s.step.code, **_fields(s, StepResult, _STEP_OUT),
                   "left": result.school_days_left(s) if s.triggered else None} for s in result.steps],
        "flags": sorted(result.case.flags) if result.case else [],
    }


def row_of(result, school_id, key, since, due_soon):
    """The student_standing row of an engine Result."""
    found = section_of(result, since, due_soon)
    step = found[0] if found else None
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
        "next_step": step.step.code if step else None,
        "next_due_on": (step.due_on if step else result.on_day) if found else None,
        "section": found[1] if found else None,
        "result_json": json.dumps(_extra(result)), "computed_at": utcnow(),
    }


def from_row(row, settings):
    """The StoredResult of a student_standing row (a model instance, or any
    object with its as_of, result_json, status and section)."""
    version = settings.version_on(row.as_of)
    extra = decode_row(row.result_json)
    record = CaseRecord(flags=frozenset(extra["flags"]))
    steps, left = [], {}
    for stored in extra["steps"]:
        code = stored.pop("code")
        left[code] = stored.pop("left")
        steps.append(StepResult(step=version.step(code), **stored))
    fields = extra["result"]
    status = next((s for s in version.statuses if s.code == row.status), None)
    return StoredResult(version=version, calendar=None, events=None, steps=steps, status=status,
                        case=record, days_left=left, section=row.section, **fields)


# -- writing -------------------------------------------------------------------------

def _write(rows, student_ids):
    # Several readers may refresh the same student at once (a page opened on
    # many desks after a change): each insert writes over a row another one
    # stored meanwhile (INSERT ... ON CONFLICT DO UPDATE; all of them are
    # fresh), so no count of readers can make it fail.
    # Each row carries its student's sort key, which the database would
    # otherwise write again after the row (migration 0530).
    others = [f for f in StudentStanding._meta.sorted_fields if f.name != "student"]
    keys = {}
    with database.atomic():
        for i in range(0, len(student_ids), CHUNK):
            part = student_ids[i:i + CHUNK]
            StudentStanding.delete().where(StudentStanding.student.in_(part)).execute()
            keys.update(Student.select(Student.id, Student.sort_key).where(Student.id.in_(part)).tuples())
        for row in rows:
            row["student_sort_key"] = keys.get(row["student"], "")
        for i in range(0, len(rows), 200):
            (StudentStanding.insert_many(rows[i:i + 200])
             .on_conflict(conflict_target=[StudentStanding.student], preserve=others).execute())


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
    if stored >= ANALYZE_AFTER and is_postgres():
        database.execute_sql("ANALYZE student_standing")
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


def fresh_rows(key, on_day, school_ids=None):
    """Stored rows in scope that answer for on_day under key (a transfer, a
    student made inactive or any other change marks its row stale)."""
    query = StudentStanding.select().where((StudentStanding.as_of == on_day) & (StudentStanding.rules_key == key)
                                           & (StudentStanding.stale == False))  # noqa: E712
    if school_ids is not None:
        query = query.where(StudentStanding.school_id.in_(list(school_ids)))
    return query


def active_students(school_ids=None):
    """How many active students the schools (ids; None: every school) have,
    from their roll (SchoolRoll, kept by the database's triggers, migration
    0501): counting the students walked an index entry per student."""
    roll = SchoolRoll.select(fn.COALESCE(fn.SUM(SchoolRoll.active_students), 0))
    if school_ids is not None:
        roll = roll.where(SchoolRoll.school_id.in_(list(school_ids)))
    return int(roll.scalar())


def all_fresh(key, on_day, school_ids=None):
    """True when every active student in scope has a fresh row: two counts,
    where finding which ones are not would walk every student. The fresh rows
    are counted from their tally (StandingTally, kept by the database's
    triggers, migration 0260): counting the rows walked an index entry per
    student of the scope, 70 ms on the bench district on every worklist page."""
    tally = StandingTally.select(fn.COALESCE(fn.SUM(StandingTally.students), 0)).where(
        (StandingTally.as_of == on_day) & (StandingTally.rules_key == key))
    if school_ids is not None:
        tally = tally.where(StandingTally.school_id.in_(list(school_ids)))
    return int(tally.scalar()) == active_students(school_ids)


def needing_refresh(settings, on_day, school_ids=None, student_ids=None):
    """Ids of active students in scope whose stored standing is missing or not fresh."""
    key = rules_key(settings, on_day)
    if student_ids is None:
        if all_fresh(key, on_day, school_ids):
            return []
        query = (Student.select(Student.id, Student.active)
                 .join(StudentStanding, JOIN.LEFT_OUTER, on=(StudentStanding.student == Student.id))
                 .where(_not_fresh(key, on_day)))
        query = query.where(Student.active == True)  # noqa: E712
        if school_ids is not None:
            query = query.where(Student.school.in_(list(school_ids)))
        return [sid for (sid, _) in query.tuples()]
    # A page's few students, found by id. With "active" or the schools in the
    # query, SQLite without statistics starts from the index on (active,
    # school) or on school instead: every active student of the district (20 ms
    # a caseload page on 100,000). So no "active" term (checked on the rows
    # found) and "+ 0" on the school.
    schools = None if school_ids is None else list(school_ids)
    if schools == []:  # no school: none of them (an empty IN list is no SQL on PostgreSQL)
        return []
    ids, found = list(student_ids), []
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i:i + CHUNK]
        shape = (None if schools is None else len(schools), len(chunk))
        found += [sid for (sid, active) in _NOT_FRESH_BY_ID.rows(
            shape, key=key, on_day=on_day, schools=schools, ids=chunk) if active]
    return found


def _not_fresh_by_id(shape):
    """needing_refresh's query of a page's students by id (shape: how many
    schools, None for any, and how many students), its values given at each
    run: a caseload page asks it on every view, and building its SQL cost
    more than running it."""
    schools, students = shape
    query = (Student.select(Student.id, Student.active)
             .join(StudentStanding, JOIN.LEFT_OUTER, on=(StudentStanding.student == Student.id))
             .where(_not_fresh(Param("key"), Param("on_day"))))
    if schools is not None:
        query = query.where((Student.school + 0).in_(Params("schools", schools)))
    return query.where(Student.id.in_(Params("ids", students))).tuples()


_NOT_FRESH_BY_ID = PreparedBySize(_not_fresh_by_id)


def ensure_fresh(settings, on_day=None, school_ids=None, student_ids=None, progress=None):
    """Refresh what is not fresh in scope; return how many were refreshed.
    on_day None: each school's own today."""
    if on_day is None:
        return sum(ensure_fresh(settings, day, schools, student_ids, progress)
                   for day, schools in _today_groups(school_ids))
    ids = needing_refresh(settings, on_day, school_ids, student_ids)
    return refresh(settings, on_day, ids, progress) if ids else 0


def _today_groups(school_ids):
    """[(day, school ids)] of the schools in scope by their today; school ids
    None when the scope is every school and all are on one day."""
    groups = schools_by_today(school_ids)
    if school_ids is None and len(groups) == 1:
        return [(next(iter(groups)), None)]
    return sorted(groups.items())


def answering_today(table, settings, school_ids=None):
    """A query condition on `table` (StudentStanding, or StandingTally, which
    counts its rows): the rows in scope computed for their school's own today
    under today's rules (the schools grouped by their day)."""
    condition = None
    for day, schools in _today_groups(school_ids):
        part = (table.as_of == day) & (table.rules_key == rules_key(settings, day))
        if schools is not None:
            part &= table.school_id.in_(schools)
        condition = part if condition is None else (condition | part)
    return condition if condition is not None else Value(False)


def fresh_today(settings, school_ids=None):
    """Stored rows in scope that answer for each school's own today (one
    query; the schools grouped by their day)."""
    return StudentStanding.select().where((StudentStanding.stale == False)  # noqa: E712
                                          & answering_today(StudentStanding, settings, school_ids))


_STANDING = Prepared(lambda: StudentStanding.select().where(StudentStanding.student == Param("student")).limit(1))


def _standing_and_calendars():
    year = SchoolCalendar.school_year == Param("year")
    return (StudentStanding.select(StudentStanding,
                                   SchoolCalendar.select(fn.COUNT(SchoolCalendar.id)).where(year).alias("calendars"),
                                   SchoolCalendar.select(fn.MAX(SchoolCalendar.id)).where(year).alias("newest"),
                                   calendar_revision().alias("revision"),
                                   marks_text(Param("student"), Param("start"), Param("end")).alias("marks"))
            .where(StudentStanding.student == Param("student")).limit(1))


_STANDING_AND_CALENDARS = Prepared(_standing_and_calendars)  # on every student page


def stored_row(student, school_year, start, on_day):
    """(the student's stored standing row or None, the fingerprint of the
    school year's calendars as rules_key reads it, the student's marks from
    start to on_day as student_events gives them), in one statement; the
    last two None when no row was found."""
    row = _STANDING_AND_CALENDARS.first(student=student.id, year=school_year, start=start, end=on_day)
    if row is None:
        return None, None, None
    return row, calendars_fingerprint((row.calendars, row.newest, row.revision)), marks_read(row.marks, student.school_id)


_UNREAD = object()


def standing_for(settings, student, on_day=None, book=None, row=_UNREAD):
    """One student's standing on on_day (None: today at the student's
    school): the stored row when fresh, else computed (also for an inactive
    student) and stored. book: the CalendarBook of on_day's school year, when
    the caller has read it (its fingerprint saves a statement); row: the
    stored row (or None) when the caller has read it (stored_row)."""
    on_day = on_day or today_for_school(student.school_id)
    if book is not None and book.school_year != school_year_of(on_day):
        book = None
    if row is _UNREAD:
        row = _STANDING.first(student=student.id)
    if row is not None and not row.stale and row.as_of == on_day and \
            row.rules_key == rules_key(settings, on_day, book):
        return from_row(row, settings)
    result = standing_of(settings, student, on_day)
    fresh = row_of(result, student.school_id, rules_key(settings, on_day, book), since_day(on_day),
                   settings.due_soon_days)
    _write([fresh], [student.id])
    return result


def standings_of(settings, on_day, student_ids):
    """{student id: StoredResult} of these students, refreshing what is not
    fresh; on_day None: each on their own school's today."""
    ensure_fresh(settings, on_day, student_ids=student_ids)
    ids, found = list(student_ids), {}
    # Only what from_row reads: the counts' columns are in the JSON too.
    read = (StudentStanding.student, StudentStanding.as_of, StudentStanding.status, StudentStanding.section,
            StudentStanding.result_json)
    for i in range(0, len(ids), CHUNK):
        for row in StudentStanding.select(*read).where(StudentStanding.student.in_(ids[i:i + CHUNK])):
            found[row.student_id] = from_row(row, settings)
    return found


class CardStanding:
    """What a caseload card shows of a stored standing, read from the row's
    columns alone: the share of days missed and its band, the status, the next
    step and whether it is overdue; as from_row's StoredResult says them
    (percent_missed, band, status_label, next_step, school_days_left < 0)."""
    __slots__ = ("percent_missed", "band", "status_label", "next_step_label", "overdue", "key")

    def __init__(self, percent_missed, band, status_label, next_step_label, overdue):
        self.percent_missed, self.band, self.status_label = percent_missed, band, status_label
        self.next_step_label, self.overdue = next_step_label, overdue
        # Cards that show the same words share a key, so that a page says
        # them once (the labels are the rule set's own objects).
        self.key = (repr(percent_missed), band, id(status_label), id(next_step_label), overdue)


# The worklist's sections of a row whose step is the Result's next_step
# (rules.worklist._section): "barred" names a blocked step, never next.
_NEXT_STEP_SECTIONS = ("overdue", "new", "due_soon", "later")


# A caseload page's standings, by id: its SQL built once per number of students.
_CARD_ROWS = PreparedBySize(lambda n: StudentStanding.select(
    StudentStanding.student, StudentStanding.as_of, StudentStanding.percent_missed, StudentStanding.band,
    StudentStanding.status, StudentStanding.next_step, StudentStanding.section)
    .where(StudentStanding.student.in_(Params("ids", n))).tuples())


def card_standings(settings, student_ids):
    """{student id: CardStanding} of these students on each one's school's
    today, refreshing what is not fresh (as standings_of), without decoding
    the rows' results."""
    ensure_fresh(settings, None, student_ids=student_ids)
    ids, found, versions = list(student_ids), {}, {}
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i:i + CHUNK]
        for student_id, *row in _CARD_ROWS.rows(len(chunk), ids=chunk):
            found[student_id] = _card(settings, versions, *row)
    return found


def _card(settings, versions, as_of, percent_missed, band, status, step, section):
    from fieldapp.rules.engine import NOT_TRUANT
    version = versions.get(as_of)
    if version is None:
        version = versions[as_of] = settings.version_on(as_of)
    label = next((s.label for s in version.statuses if s.code == status), NOT_TRUANT)
    step_label = version.step(step).label if step and section in _NEXT_STEP_SECTIONS else None
    return CardStanding(percent_missed, band, label, step_label, section == "overdue")


# What a page that lists students reads of their stored standings beside its
# own columns (LEFT JOIN student_standing) for card_standings_read.
CARD_READ = (StudentStanding.student, StudentStanding.as_of, StudentStanding.rules_key, StudentStanding.stale,
             StudentStanding.percent_missed, StudentStanding.band, StudentStanding.status,
             StudentStanding.next_step, StudentStanding.section)


def card_standings_read(settings, read, calendars, days):
    """card_standings of the students a page read with their stored standings,
    asking the database only for those not fresh (refreshed, then read again).

    read: {student id: (their school id, whether active, then the CARD_READ
    columns, None when no row is stored)}; calendars: the fingerprint of the
    year's calendars (calendar.calendars_fingerprint, as rules_key reads it);
    days: {school id: its today}. As needing_refresh decides, a row is fresh
    when stored for the school's today under today's rules and not marked
    stale; an inactive student's row is shown as it stands."""
    found, versions, keys, again = {}, {}, {}, []
    for student_id, (school_id, active, stored_id, as_of, key, stale, *card) in read.items():
        day = days[school_id]
        if day not in keys:
            keys[day] = rules_key(settings, day, calendars=calendars)
        if stored_id is None or stale or as_of != day or key != keys[day]:
            if active:
                again.append(student_id)
                continue
            if stored_id is None:
                continue
        found[student_id] = _card(settings, versions, as_of, *card)
    if again:
        found.update(card_standings(settings, again))
    return found
