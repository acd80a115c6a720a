"""Enrollment spans from a OneRoster roster, journalled so an import can be undone.

Each enrollments.csv record (a student in a class at a school) is kept by
its sourcedId (RosterEnrollment). A file changes only the records it
carries: a delta adding one class adds one record, and tobedeleted ends a
record (on its endDate, else the day before the import) without deleting
it. A student's spans at a school (Enrollment, what days enrolled count)
are the union of all their records there, so no file shortens what earlier
files said. Spans at other schools stay, so a transfer keeps its history.

A student with no span at all is enrolled at their school all year (what
the rules assume of them): a delta adding a class keeps that, and only a
tobedeleted record of theirs there ends it. A delta enrolling such a student
at another school from a beginDate moves them there on that day: the year
assumed at their school ends the day before, as a clerk recording a move
would write it, and a note names them (without a beginDate both stay). A
record with an endDate on a class at their own school leaves the year as it
is (a class ending is not a student leaving), and a note says so, naming the
records. A bulk file is the whole truth: its records alone make the spans.
What changes a stored student's days enrolled is said in a note, with the
first few named.
"""
import datetime
from collections import namedtuple

from fieldapp.imports.bulk import ids_by_sourced_id, insert_rows, new_ids
from fieldapp.imports.journal import plain
from fieldapp.messages import Message, plural_message
from fieldapp.models import Enrollment, RosterEnrollment, School, Student
from fieldapp.timefmt import latest_today, today_for_school

# One enrollments.csv record of a student: sourced ids, dates (None: open), active | tobedeleted.
Record = namedtuple("Record", "student school class_sid begin end status")
# One stored RosterEnrollment row, as plain values (ids for the student and school).
StoredRecord = namedtuple("StoredRecord", "id student_id school_id class_sourced_id begin_date end_date status")
EARLIEST, LATEST = datetime.date.min, datetime.date.max
ONE_DAY = datetime.timedelta(days=1)
BATCH = 500
SHOWN_CHANGES = 5


def _ids(model):
    return ids_by_sourced_id(model)


class Span:
    """An Enrollment row as plain values (a district's roster reads and
    makes hundreds of thousands); id None until it is stored."""
    __slots__ = ("id", "student_id", "school_id", "begin_date", "end_date")

    def __init__(self, id, student_id, school_id, begin_date, end_date):  # noqa: A002
        self.id, self.student_id, self.school_id = id, student_id, school_id
        self.begin_date, self.end_date = begin_date, end_date


def _create(journal, dry, student, school, begin_date, end_date):
    """A new span, stored (and journalled), or in a preview (dry) only made."""
    span = Span(None, student, school, begin_date, end_date)
    if not dry:
        _store_spans([span], journal)
    return span


def _store_spans(spans, journal):
    """Insert new spans a batch at a time, their ids given before (bulk.new_ids), one journal entry a batch."""
    for start in range(0, len(spans), 5000):
        part = spans[start:start + 5000]
        ids = new_ids(Enrollment, len(part))
        m = Enrollment
        insert_rows(m, [m.id, m.student, m.school, m.begin_date, m.end_date],
                    [(i, s.student_id, s.school_id, s.begin_date, s.end_date) for i, s in zip(ids, part)])
        for i, span in zip(ids, part):
            span.id = i
        journal.created_rows("enrollment", ids)


def _update(journal, span, dry=False, **fields):
    if not dry:
        Enrollment.update(**fields).where(Enrollment.id == span.id).execute()
        journal.updated("enrollment", span.id, {k: getattr(span, k) for k in fields}, fields)
    for key, value in fields.items():
        setattr(span, key, value)


def union(intervals):
    """[(begin, end)] merged where they overlap or touch; None is open (no
    begin: from the start; no end: still enrolled). Sorted by begin."""
    spans = []
    for begin, end in sorted((b or EARLIEST, e or LATEST) for b, e in intervals):
        if spans and begin <= spans[-1][1] + (ONE_DAY if spans[-1][1] < LATEST else datetime.timedelta()):
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([begin, end])
    return [(None if b == EARLIEST else b, None if e == LATEST else e) for b, e in spans]


def _ended(record, old, today):
    """The end date a record keeps: a tobedeleted record without one ends
    the day before the import (or on its begin date, if that is later)."""
    if record.status != "tobedeleted" or record.end:
        return record.end
    if old is not None and old.end_date:
        return old.end_date
    yesterday = today - ONE_DAY
    return max(yesterday, record.begin) if record.begin else yesterday


def _save_records(plan, report, students, school_ids, journal, today, dry=False):
    """Upsert the file's records (journalled); returns the (student, school)
    pairs they touch, in a preview (dry: nothing written) the file's records
    as they would be stored: {pair: [(begin, end)]}, and the latest end of the
    records the file ends (tobedeleted) of each pair: {pair: date}."""
    stored, wanted, ends = {}, {}, {}
    sids, m = list(plan.enrollments), RosterEnrollment
    for start in range(0, len(sids), BATCH):  # plain rows: a district's records, never a model object each
        for sid, *row in m.select(m.sourced_id, m.id, m.student, m.school, m.class_sourced_id, m.begin_date,
                                  m.end_date, m.status).where(m.sourced_id.in_(sids[start:start + BATCH])).tuples():
            stored[sid] = StoredRecord(*row)
    pairs, new = set(), []
    for sid, record in plan.enrollments.items():
        if record.student not in students:  # its users.csv row was left out
            continue
        old = stored.get(sid)
        want = {"student": students[record.student], "school": school_ids[record.school],
                "class_sourced_id": record.class_sid, "begin_date": record.begin,
                "end_date": _ended(record, old, today), "status": record.status}
        pair = (want["student"], want["school"])  # one tuple for both: a district has hundreds of thousands
        pairs.add(pair)
        if record.status == "tobedeleted":
            ends[pair] = max(ends.get(pair, want["end_date"]), want["end_date"])
        if dry:
            wanted.setdefault(pair, []).append((want["begin_date"], want["end_date"]))
        if old is None:
            new.append((sid, want["student"], want["school"], want["class_sourced_id"], want["begin_date"],
                        want["end_date"], want["status"]))
            if len(new) >= 5000:  # a batch at a time: a district's records are never all held twice
                _insert_records(new, report, journal, dry)
                new = []
            continue
        have = {"student": old.student_id, "school": old.school_id, "class_sourced_id": old.class_sourced_id,
                "begin_date": old.begin_date, "end_date": old.end_date, "status": old.status}
        changed = {k: v for k, v in want.items() if v != have[k]}
        if changed:
            pairs.add((old.student_id, old.school_id))
            if not dry:
                RosterEnrollment.update(**changed).where(RosterEnrollment.id == old.id).execute()
            journal.updated("roster_enrollment", old.id, {k: plain(have[k]) for k in changed},
                            {k: plain(v) for k, v in changed.items()})
            report.add("enrollment records ended" if changed.get("status") == "tobedeleted"
                       else "enrollment records updated")
    _insert_records(new, report, journal, dry)
    return pairs, wanted, ends


def _insert_records(rows, report, journal, dry=False):
    if dry:
        report.add("enrollment records added", len(rows))
        return
    m = RosterEnrollment
    for start in range(0, len(rows), 5000):  # ids given with the rows: none read back
        part = rows[start:start + 5000]
        ids = new_ids(m, len(part))
        insert_rows(m, [m.id, m.sourced_id, m.student, m.school, m.class_sourced_id, m.begin_date, m.end_date,
                        m.status], [(i,) + row for i, row in zip(ids, part)])
        journal.created_rows("roster_enrollment", ids)
    report.add("enrollment records added", len(rows))


def _records_by_pair(pairs, plan=None, wanted=None):
    """{pair: [(begin, end)]} of the records stored for the pairs; in a
    preview, the file's records (wanted, from _save_records) in place of
    the stored ones they would change (plan: whose sourced ids the file has)."""
    found = {}
    students = sorted({student for student, _ in pairs if student > 0})  # below 0: a preview's stand-in
    m = RosterEnrollment
    for start in range(0, len(students), BATCH):
        for sid, student, school, begin, end in m.select(
                m.sourced_id, m.student, m.school, m.begin_date, m.end_date).where(
                m.student.in_(students[start:start + BATCH])).tuples():
            if (student, school) in pairs and (wanted is None or sid not in plan.enrollments):
                found.setdefault((student, school), []).append((begin, end))
    for pair in (pairs if wanted else ()):
        records = wanted.get(pair)
        if records is None:
            continue
        if pair in found:
            found[pair].extend(records)
        else:
            found[pair] = records  # the same list: no copy of a district's records
    return found


def _spans_by_pair(students):
    stored, m = {}, Enrollment
    students = [s for s in students if s > 0]  # below 0: a preview's stand-in, with nothing stored
    for start in range(0, len(students), BATCH):
        for row in m.select(m.id, m.student, m.school, m.begin_date, m.end_date).where(
                m.student.in_(students[start:start + BATCH])).order_by(m.id).tuples():
            stored.setdefault((row[1], row[2]), []).append(Span(*row))
    return stored


def apply_enrollments(plan, report, school_ids, journal, today=None, stand_ins=None, known=None):
    """Keep the file's enrollment records, then make each touched student's
    spans at that school the union of all their records there (in a delta,
    spans stored before records were kept count as records, and a student
    with neither is enrolled all year at their school, until a record the
    delta ends there); spans at other schools stay, so a transfer keeps
    history. today: the day given for every school, else each school's own
    (a transfer begins on the new school's today; a record ended without an
    endDate ends the day before the latest school's today). known: the
    highest student id stored before the import (None: all were); those
    above it are new, enrolled as the file says.

    stand_ins (a preview's: sid -> stand-in id of each student it would
    create, see roster_apply.apply): nothing is written; what would change
    is counted from the stored rows and the file's, in memory."""
    given, today = today, today or latest_today()
    if not plan.enrollments and not plan.transfers:  # no record to keep, no span to move
        return
    dry = stand_ins is not None
    students = {}
    if plan.enrollments and dry:  # the stand-ins, with the stored ids added (no second copy)
        students = stand_ins
        students.update(_ids(Student))
    elif plan.enrollments:
        students = _ids(Student)
    delta = plan.mode("enrollments") == "delta"
    had_records = set()
    if plan.enrollments and delta:
        had_records = {pair for pair in RosterEnrollment.select(RosterEnrollment.student, RosterEnrollment.school)
                       .distinct().tuples()}
    pairs, wanted, ends = _save_records(plan, report, students, school_ids, journal, today, dry)
    moved, loaded = {student for student, _, _ in plan.transfers}, set()
    stored_before = [student for student, _ in pairs if 0 < student and (known is None or student <= known)
                     and student not in moved]
    homes = _spanless_homes(sorted(set(stored_before)))  # enrolled all year at their school, by assumption
    del stored_before
    assumed = homes if delta else {}
    moves = {}
    if assumed:  # a delta keeps what it does not end: the home school's whole year
        had = {student for student, _ in had_records}
        assumed = {student: home for student, home in homes.items() if student not in had}
        pairs.update(assumed.items())
        moves = _moves_elsewhere(plan, assumed, students, school_ids)
        _say_class_ends(plan, assumed, students, school_ids, report)
    ordered = sorted(pairs)
    del pairs
    changes = _Changes()
    # A few hundred students' records and spans at a time: a district's are never all held at once.
    latest, created = {}, []  # latest: (student, school) -> last span, of students moved by users.csv
    for start in range(0, len(ordered), BATCH):
        chunk = ordered[start:start + BATCH]
        records = _records_by_pair(set(chunk), plan, wanted) if dry else _records_by_pair(set(chunk))
        touched = sorted({student for student, _ in chunk})
        stored = _spans_by_pair(touched)
        for pair in chunk:
            spans = stored.setdefault(pair, [])
            before = [(s.begin_date, s.end_date) for s in spans] or (
                [(None, None)] if homes.get(pair[0]) == pair[1] else [])
            intervals = records.get(pair, [])
            if delta and pair not in had_records and (spans or pair[0] in assumed):
                # spans from before records were kept, or the year assumed: a record ended here ends them,
                # and the year assumed ends the day before the student begins at another school
                end = ends.get(pair)
                if pair[0] in moves and assumed[pair[0]] == pair[1]:
                    end = min(end or LATEST, moves[pair[0]][0] - ONE_DAY)
                intervals = intervals + _ended_by(before, end)
            spans_now, before = union(intervals), union(before)
            # the year assumed, written down as it was: stored, but no date of it changes
            said = report if spans or before != spans_now else None
            _match_spans(pair, spans, spans_now, said, journal, dry, created)
            if pair[0] > 0 and (known is None or pair[0] <= known) and pair[0] not in moved:
                changes.saw(pair, before, spans_now)
        loaded.update(student for student in touched if student in moved)
        latest.update((pair, spans[-1]) for pair, spans in stored.items() if spans and pair[0] in moved)
        if not dry and len(created) >= 5000:
            _store_spans(created, journal)
            created = []
    if not dry:  # before the transfers, which may end one of them
        _store_spans(created, journal)
    changes.say(report)
    _say_moves(moves, assumed, report)
    stored = _spans_by_pair(sorted(moved - loaded))
    latest.update((pair, spans[-1]) for pair, spans in stored.items() if spans)
    _record_transfers(plan, report, latest, journal, given, dry)


def _moves_elsewhere(plan, assumed, students, school_ids):
    """{student: (begin, school)} of the students enrolled all year by
    assumption (assumed: {student: home school}) whom the delta's records
    enrol at another school from a beginDate: the earliest such begin, and
    its school."""
    moves = {}
    for record in plan.enrollments.values():
        student, school = students.get(record.student), school_ids.get(record.school)
        if (student in assumed and school != assumed[student] and record.begin and record.status != "tobedeleted"
                and (student not in moves or record.begin < moves[student][0])):
            moves[student] = (record.begin, school)
    return moves


def _say_class_ends(plan, assumed, students, school_ids, report):
    """Say which of the delta's records with an endDate, at the school of a
    student enrolled all year by assumption (assumed: {student: home school}),
    leave that year as it is (the first few, by sourcedId): a class ending is
    not a student leaving; only status tobedeleted ends an enrolment."""
    ends = sorted((sid, students[record.student], record.class_sid, record.end)
                  for sid, record in plan.enrollments.items()
                  if record.end and record.status != "tobedeleted" and students.get(record.student) in assumed
                  and school_ids.get(record.school) == assumed[students[record.student]])
    if not ends:
        return
    shown = ends[:SHOWN_CHANGES]
    names = dict((i, f"{first} {last} ({key})") for i, first, last, key in Student.select(
        Student.id, Student.first_name, Student.last_name, Student.local_id).where(
        Student.id.in_([student for _, student, _, _ in shown if student > 0])).tuples())
    said = tuple(Message("%(record)s: %(student)s, class %(class_id)s until %(end)s", record=sid,
                         student=names.get(student, ""), class_id=class_sid, end=end)
                 for sid, student, class_sid, end in shown)
    n = len(ends)
    report.note(plural_message(
        "%(num)d enrolment carries an end date on a class at the student's own school; the student stays "
        "enrolled all year, as before (a class ending is not a student leaving): send the enrolment with status "
        "tobedeleted to end it: %(records)s",
        "%(num)d enrolments carry an end date on a class at the student's own school; the students stay "
        "enrolled all year, as before (a class ending is not a student leaving): send the enrolment with status "
        "tobedeleted to end it: %(records)s",
        n, num=n, records=said + (("…",) if n > len(said) else ())))


def _say_moves(moves, assumed, report):
    """Say which students enrolled all year by assumption the delta moved to another school (the first few)."""
    if not moves:
        return
    shown = sorted(moves)[:SHOWN_CHANGES]
    names = dict((i, f"{first} {last} ({key})") for i, first, last, key in Student.select(
        Student.id, Student.first_name, Student.last_name, Student.local_id).where(Student.id.in_(shown)).tuples())
    schools = dict(School.select(School.id, School.name).where(
        School.id.in_({assumed[s] for s in shown} | {moves[s][1] for s in shown})).tuples())
    said = tuple(Message("%(student)s: %(home)s until %(end)s, %(school)s from %(begin)s", student=names.get(s, str(s)),
                         home=schools.get(assumed[s], ""), end=moves[s][0] - ONE_DAY,
                         school=schools.get(moves[s][1], ""), begin=moves[s][0]) for s in shown)
    n = len(moves)
    report.note(plural_message(
        "%(num)d student with no enrolment on file was counted enrolled all year at their school; this file "
        "enrols them at another school from its beginDate, so their year at their school ends the day before "
        "(their school on file stays until users.csv moves them): %(students)s",
        "%(num)d students with no enrolment on file were counted enrolled all year at their school; this file "
        "enrols them at another school from its beginDate, so their year at their school ends the day before "
        "(their school on file stays until users.csv moves them): %(students)s",
        n, num=n, students=said + (("…",) if n > len(said) else ())))


def _spanless_homes(students):
    """{student: their school} of those of students (sorted ids) without any
    enrolment span: the rules count them enrolled there every day."""
    homes, m = {}, Enrollment
    for start in range(0, len(students), BATCH):
        part = students[start:start + BATCH]
        spanned = {s for (s,) in m.select(m.student).where(m.student.in_(part)).distinct().tuples()}
        homes.update(Student.select(Student.id, Student.school).where(
            Student.id.in_([s for s in part if s not in spanned])).tuples())
    return homes


def _ended_by(spans, end):
    """spans [(begin, end)] as a record ended on `end` (None: none ended) leaves them."""
    if end is None:
        return spans
    return [(begin, min(until or LATEST, end)) for begin, until in spans if (begin or EARLIEST) <= end]


class _Changes:
    """Stored students whose spans at a school change, the first few kept to name."""

    def __init__(self):
        self.students, self.shown = set(), []

    def saw(self, pair, before, after):
        """pair: (student, school) whose spans were before and are after."""
        if before == after:
            return
        self.students.add(pair[0])
        if len(self.shown) < SHOWN_CHANGES:
            self.shown.append((pair, before, after))

    def say(self, report):
        if not self.students:
            return
        names = dict((i, (f"{first} {last}", key)) for i, first, last, key in Student.select(
            Student.id, Student.first_name, Student.last_name, Student.local_id).where(
            Student.id.in_([s for (s, _), _, _ in self.shown])).tuples())
        schools = dict(School.select(School.id, School.name).where(
            School.id.in_([school for (_, school), _, _ in self.shown])).tuples())
        # each at its school: a student moved has two, "not enrolled" at the new one meant there only
        shown = tuple(Message("%(name)s (%(key)s) at %(school)s: %(before)s, now %(after)s", name=names[s][0],
                              key=names[s][1], school=schools.get(school, ""), before=_said(before),
                              after=_said(after))
                      for (s, school), before, after in self.shown if s in names)
        n = len(self.students)
        report.note(plural_message("Days enrolled change for %(num)d student: %(students)s",
                                   "Days enrolled change for %(num)d students: %(students)s", n, num=n,
                                   students=shown + (("…",) if n > len(shown) else ())))


def _said(spans):
    """A student's spans at a school in words."""
    if not spans:
        return Message("not enrolled")
    words = []
    for begin, end in spans:
        if begin is None and end is None:
            words.append(Message("every day of the year"))
        elif end is None:
            words.append(Message("from %(begin)s", begin=begin))
        elif begin is None:
            words.append(Message("until %(end)s", end=end))
        else:
            words.append(Message("%(begin)s to %(end)s", begin=begin, end=end))
    return tuple(words) if len(words) > 1 else words[0]


def _match_spans(pair, spans, wanted, report, journal, dry=False, created=None):
    """Make the stored spans of one student at one school say `wanted`
    (sorted), updating in order and adding what is missing (to `created`,
    for the caller to store in batches); report None: nothing counted."""
    spans.sort(key=lambda s: (s.begin_date or EARLIEST, s.id))
    for i, (begin, end) in enumerate(wanted):
        if i < len(spans):
            if (spans[i].begin_date, spans[i].end_date) != (begin, end):
                _update(journal, spans[i], dry, begin_date=begin, end_date=end)
                if report is not None:
                    report.add("enrollment dates set")
        else:
            spans.append(Span(None, pair[0], pair[1], begin, end))
            created.append(spans[-1])
            if report is not None:
                report.add("enrollment dates set")


def _record_transfers(plan, report, stored, journal, today=None, dry=False):
    """A student moved to another school by users.csv, with no enrollments
    row saying when: the open span elsewhere (the old school's, from the start
    of the year when none was on file) ends yesterday, and a span at the new
    school begins today (the day given, else the new school's own today)."""
    for student, old_school, school in plan.transfers:
        day = today or today_for_school(school)  # the day of the move, in the new school's zone
        yesterday = day - ONE_DAY
        if (student, school) in stored and stored[(student, school)].end_date is None:
            continue  # the file's enrollments opened it already
        spans = {key: span for key, span in stored.items() if key[0] == student}
        if not spans:
            _create(journal, dry, student=student, school=old_school, begin_date=None, end_date=yesterday)
        for (_, other), span in spans.items():
            if other != school and span.end_date is None:
                _update(journal, span, dry, end_date=max(yesterday, span.begin_date or yesterday))
        _create(journal, dry, student=student, school=school, begin_date=day, end_date=None)
        report.add("transfers recorded")
