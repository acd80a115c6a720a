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
    for day in dates:  # or found the student's day without marks (In Attendance, say: attendance.apply)
        for (before,) in ImportChange.select(ImportChange.before_json).join(ImportRun).where(
                ImportChange.run > run.id, ImportChange.table == "attendance_event", ImportChange.action == "replaced",
                ImportRun.undone_at.is_null(), ImportChange.before_json.contains(f'"date": "{day}"')).tuples():
            said = json.loads(before)
            redone.update((student, said["date"]) for student in said["students"] if said["date"] == day)
    return redone & replaced


def _undone(run_id, earlier):
    """Has the import run_id been undone? (kept in earlier["undone"], read once an undo)"""
    undone = earlier.setdefault("undone", {})
    if run_id not in undone:
        undone[run_id] = ImportRun.select().where(ImportRun.id == run_id, ImportRun.undone_at.is_null(False)).exists()
    return undone[run_id]


def _replaced_by(run_id, earlier):
    """{(student id, ISO date): [marks]} the import run_id replaced (journalled), read once an undo."""
    if run_id not in earlier:
        days = earlier[run_id] = {}
        for (replaced,) in ImportChange.select(ImportChange.before_json).where(
                ImportChange.run == run_id, ImportChange.table == "attendance_event",
                ImportChange.action == "deleted").tuples():
            mark = json.loads(replaced)
            days.setdefault((mark["student"], mark["date"]), []).append(mark)
    return earlier[run_id]


def _deciders(student, day, before_run=None, after_run=None):
    """The ids of the imports that decided the student's day (replaced its marks, or found it without
    any: attendance.apply journals both), newest first, before before_run or after after_run."""
    found = ImportChange.select(ImportChange.run, ImportChange.action, ImportChange.before_json).where(
        ImportChange.table == "attendance_event", ImportChange.action.in_(("deleted", "replaced")),
        ImportChange.before_json.contains(f'"date": "{day}"'))
    if before_run is not None:
        found = found.where(ImportChange.run < before_run)
    if after_run is not None:
        found = found.where(ImportChange.run > after_run)
    runs = []
    for run_id, action, before in found.order_by(ImportChange.run.desc()).tuples():
        said = json.loads(before)
        if said.get("date") == day and (student in said["students"] if action == "replaced"
                                        else said.get("student") == student) and run_id not in runs:
            runs.append(run_id)
    return runs


def marks_before(run_id, student, day, earlier):
    """The marks on the student's day before the import run_id, as the imports undone since leave it:
    the marks it replaced, each, where the import that stored it has been undone since, walked back to
    what was there before that one; where it replaced none, what the import before it that decided the
    day left there (nothing, unless that import was undone since: then what was there before it, and so
    on back). earlier: {} shared by one undo, where what is read is kept. Each day's marks come back
    once an undo."""
    seen = earlier.setdefault("seen", set())
    if (run_id, student, day) in seen:
        return []
    seen.add((run_id, student, day))
    replaced = _replaced_by(run_id, earlier).get((student, day), [])
    if not replaced:
        last = next(iter(_deciders(student, day, before_run=run_id)), None)
        return marks_before(last, student, day, earlier) if last and _undone(last, earlier) else []
    found = []
    for mark in replaced:
        maker = mark.get("import_run_id")
        found.extend(marks_before(maker, student, day, earlier) if maker and _undone(maker, earlier) else [mark])
    return found


def marks_before_undone(before, earlier):
    """The marks an undo puts back for one mark its run replaced (a dict as
    journalled): that mark, unless the import that stored it has been undone
    since: then what was on that student's day before that import
    (marks_before). earlier: {} shared by one undo (marks_before)."""
    run_id = before.get("import_run_id")
    if not run_id or not _undone(run_id, earlier):
        return [before]
    return marks_before(run_id, before["student"], before["date"], earlier)


def _put_back(marks, counts):
    for mark in marks:
        if AttendanceEvent.select().where(
                AttendanceEvent.student == mark["student"], AttendanceEvent.date == mark["date"],
                AttendanceEvent.category == mark["category"]).exists():
            continue
        AttendanceEvent.create(**mark)
        count(counts, "attendance marks put back")


def day_back(found_empty, counts, earlier):
    """Undo a run's decision of the students' day that held none of their marks (attendance.apply's
    entry {"date", "run", "students"}): where an import undone since had cleared or replaced the marks
    of the day, and no later import, not undone, decided it, what was there before that import comes
    back (marks_before): undoing an import that cleared a day, then the one that marked it after, left
    the day without the marks of the import before them both."""
    run_id, day = found_empty["run"], found_empty["date"]
    if not ImportChange.select().join(ImportRun).where(  # no import before it undone since decided that day
            ImportChange.run < run_id, ImportRun.undone_at.is_null(False), ImportChange.table == "attendance_event",
            ImportChange.action.in_(("deleted", "replaced")), ImportChange.before_json.contains(f'"date": "{day}"')
    ).exists():
        return
    for student in found_empty["students"]:
        if AttendanceEvent.select().where(AttendanceEvent.student == student, AttendanceEvent.date == day).exists():
            continue  # marked since (the run's own marks are removed already)
        if any(not _undone(later, earlier) for later in _deciders(student, day, after_run=run_id)):
            continue
        _put_back(marks_before(run_id, student, day, earlier), counts)


def mark_back(before, counts, redone=frozenset(), earlier=None):
    """Put back a mark the undone run replaced, or, where the import that
    stored it has been undone since, what was on that day before it
    (marks_before_undone): undoing an import, then the one after it, left the
    first one's mark in force. A day the run found without marks (an entry
    naming its students) goes to day_back."""
    if "students" in before:
        day_back(before, counts, {} if earlier is None else earlier)
        return
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
    _put_back(marks_before_undone(before, {} if earlier is None else earlier), counts)
