"""Enrollment spans (Enrollment: the days a student's enrolment counts at a
school) as plain values, read, matched to what the records say and stored a
batch at a time, each change journalled; and the spans a users.csv transfer
with no enrollments row records (see fieldapp.imports.roster_enrollments)."""
import datetime

from fieldapp.imports.bulk import insert_rows, new_ids
from fieldapp.models import Enrollment, Student
from fieldapp.timefmt import today_for_school

EARLIEST, LATEST = datetime.date.min, datetime.date.max
ONE_DAY = datetime.timedelta(days=1)
BATCH = 500


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
        store_spans([span], journal)
    return span


def store_spans(spans, journal):
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


def spans_by_pair(students):
    stored, m = {}, Enrollment
    students = [s for s in students if s > 0]  # below 0: a preview's stand-in, with nothing stored
    for start in range(0, len(students), BATCH):
        for row in m.select(m.id, m.student, m.school, m.begin_date, m.end_date).where(
                m.student.in_(students[start:start + BATCH])).order_by(m.id).tuples():
            stored.setdefault((row[1], row[2]), []).append(Span(*row))
    return stored


def spanless_homes(students):
    """{student: their school} of those of students (sorted ids) without any
    enrolment span: the rules count them enrolled there every day."""
    homes, m = {}, Enrollment
    for start in range(0, len(students), BATCH):
        part = students[start:start + BATCH]
        spanned = {s for (s,) in m.select(m.student).where(m.student.in_(part)).distinct().tuples()}
        homes.update(Student.select(Student.id, Student.school).where(
            Student.id.in_([s for s in part if s not in spanned])).tuples())
    return homes


def ended_by(spans, end):
    """spans [(begin, end)] as a record ended on `end` (None: none ended) leaves them."""
    if end is None:
        return spans
    return [(begin, min(until or LATEST, end)) for begin, until in spans if (begin or EARLIEST) <= end]


def unmade(spans, records):
    """Those of spans [(begin, end)] that no record [(begin, end)] covers whole: what records did not make
    (the year assumed, written down when a delta added a class; a move's days)."""
    made = [(begin or EARLIEST, end or LATEST) for begin, end in union(records)]
    return [(begin, end) for begin, end in spans
            if not any(low <= (begin or EARLIEST) and (end or LATEST) <= high for low, high in made)]


def match_spans(pair, spans, wanted, report, journal, dry=False, created=None):
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


def record_transfers(plan, report, stored, journal, today=None, dry=False):
    """A student moved to another school by users.csv, with no enrollments
    row saying when: the open span elsewhere (the old school's, from the start
    of the year when none was on file) ends yesterday, and a span at the new
    school begins today (the day given, else the new school's own today)."""
    for student, old_school, school in plan.transfers:
        day = today or today_for_school(school)  # the day of the move, in the new school's zone
        yesterday = day - ONE_DAY
        if not dry:  # kept, for an undo that leaves the student no period (undo_moves)
            journal.moved(student, old_school, school, day)
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
