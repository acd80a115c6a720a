"""Undoing an attendance import's marks (see fieldapp.imports.undo): the marks
it replaced come back, unless a later import has decided that student's day
again."""
import json

from fieldapp.imports.journal import plain
from fieldapp.imports.undo_words import CHANGED_SINCE, count, kept_by, named
from fieldapp.messages import Message
from fieldapp.models import AttendanceEvent, ImportChange, ImportRun, Student


def marks_replaced_later(run):
    """{(student id, ISO date): the first later import, not undone, that
    replaced this run's marks of the day}: undoing this run finds them gone
    and keeps the later import's, and says so."""
    replaced = {}
    for by, before_json in ImportChange.select(ImportChange.run, ImportChange.before_json).join(ImportRun).where(
            ImportChange.run > run.id, ImportChange.table == "attendance_event", ImportChange.action == "deleted",
            ImportChange.before_json.contains(f'"import_run_id": {run.id}'),  # read first where it is kept
            ImportRun.undone_at.is_null()).order_by(ImportChange.run).tuples():
        mark = json.loads(before_json)
        if mark.get("import_run_id") == run.id:
            replaced.setdefault((mark["student"], mark["date"]), by)
    return replaced


def marks_kept(replaced):
    """The lines naming the days of marks_replaced_later."""
    names = {}
    ids = sorted({student for student, _ in replaced})
    for start in range(0, len(ids), 500):
        for student in Student.select().where(Student.id.in_(ids[start:start + 500])):
            names[student.id] = f"{student.full_name} ({student.sourced_id})"
    return [kept_by(Message("%(student)s, %(day)s: its marks", student=names.get(student, str(student)), day=day),
                     later) for (student, day), later in sorted(replaced.items(), key=lambda item: (
                         names.get(item[0][0], ""), item[0][1]))]


def days_redone_since(run):
    """{(student id, ISO date)} of the days whose marks this run replaced and
    that a later import has decided again: it replaced marks of the day (this
    run's, or marks stored since: "present" replaces and stores nothing), and
    was not undone, or stored marks of its own on it. Putting the
    replaced marks back there would stand them beside, or instead of, the
    later import's word on the day."""
    replaced = set()
    for (before,) in ImportChange.select(ImportChange.before_json).where(
            ImportChange.run == run, ImportChange.table == "attendance_event",
            ImportChange.action == "deleted").tuples():
        mark = json.loads(before)
        replaced.add((mark["student"], mark["date"]))
    if not replaced:
        return set()
    dates = sorted({day for _, day in replaced})
    redone = set()
    for start in range(0, len(dates), 500):
        for student, day in AttendanceEvent.select(AttendanceEvent.student, AttendanceEvent.date).where(
                AttendanceEvent.date.in_(dates[start:start + 500]),
                AttendanceEvent.import_run_id.is_null() | (AttendanceEvent.import_run_id != run.id)).tuples():
            redone.add((student, plain(day)))
    later = (ImportChange.select(ImportChange.before_json).join(ImportRun)
             .where(ImportChange.run > run.id, ImportChange.table == "attendance_event",
                    ImportChange.action == "deleted", ImportRun.undone_at.is_null()).tuples())
    for (before,) in later:  # a later import that replaced any mark of the day, this run's or one stored since
        mark = json.loads(before)
        redone.add((mark["student"], mark["date"]))
    return redone & replaced


def marks_before_undone(before, earlier):
    """The marks an undo puts back for one mark its run replaced (a dict as
    journalled): that mark, unless the import that stored it has been undone
    since, in which case the marks that import had replaced on that student's
    day, and so on back. earlier: {} shared by one undo, where the undone
    imports' replaced marks are kept once read ({run id: {(student id, ISO
    date): [marks]}}, None for a run not undone)."""
    run_id = before.get("import_run_id")
    if not run_id:
        return [before]
    if run_id not in earlier:
        earlier[run_id] = None
        if ImportRun.select().where(ImportRun.id == run_id, ImportRun.undone_at.is_null(False)).exists():
            days = earlier[run_id] = {}
            for (replaced,) in ImportChange.select(ImportChange.before_json).where(
                    ImportChange.run == run_id, ImportChange.table == "attendance_event",
                    ImportChange.action == "deleted").tuples():
                mark = json.loads(replaced)
                days.setdefault((mark["student"], mark["date"]), []).append(mark)
    if earlier[run_id] is None:
        return [before]
    # the day's marks come back once, however many of the undone import's marks were replaced on it
    found = []
    for mark in earlier[run_id].pop((before["student"], before["date"]), []):
        found.extend(marks_before_undone(mark, earlier))
    return found


def mark_back(before, counts, redone=frozenset(), earlier=None):
    """Put back a mark the undone run replaced, or, where the import that
    stored it has been undone since, what was on that day before it
    (marks_before_undone): undoing an import, then the one after it, left the
    first one's mark in force."""
    if (before["student"], before["date"]) in redone:
        count(counts, CHANGED_SINCE, which=Message("%(student)s, %(day)s: a later import decided that day; its "
                                                    "marks stand", student=named(Student, before["student"]),
                                                    day=before["date"]))
        return
    clash = AttendanceEvent.select().where(
        AttendanceEvent.student == before["student"], AttendanceEvent.date == before["date"],
        AttendanceEvent.category == before["category"]).exists()
    if clash:
        count(counts, CHANGED_SINCE, which=Message("%(student)s, %(day)s: a %(category)s mark is on that day "
                                                    "since", student=named(Student, before["student"]),
                                                    day=before["date"], category=before["category"]))
        return
    for mark in marks_before_undone(before, {} if earlier is None else earlier):
        if AttendanceEvent.select().where(
                AttendanceEvent.student == mark["student"], AttendanceEvent.date == mark["date"],
                AttendanceEvent.category == mark["category"]).exists():
            continue
        AttendanceEvent.create(**mark)
        count(counts, "attendance marks put back")
