"""An attendance preview applied after a roster moved some of its students.

The preview checked each row against the enrolments stored then: a mark at
a school the student was not enrolled at that day was left out. A roster
applied (or undone) between the preview and the apply may have moved a
student since, and the plan still holds the mark at the school they left.
Applying, the file's days of the students such an import changed are
checked again against the enrolments as they are now: a day whose mark is
now at a school the student was not enrolled at that day, or a day of
presences only (whose school the plan does not keep), is left out, and a
note says which and to import the file again.
"""
import datetime
import json

from fieldapp.messages import Message, plural_message
from fieldapp.models import Enrollment, ImportChange, ImportRun, Student
from fieldapp.rules.counting import elsewhere_on

BATCH = 500
SHOWN = 5


def _imports_since(read_at, run_id):
    """{id: ImportRun} of the imports (run_id's aside) applied, or undone, since read_at."""
    return {r.id: r for r in ImportRun.select(ImportRun.id, ImportRun.filename).where(
        (ImportRun.id != (run_id or 0)) & ((ImportRun.applied_at > read_at) | (ImportRun.undone_at > read_at)))}


def students_moved_since(read_at, run_id=None):
    """({student id: the first import that changed them}, imports) of the students whose school, active
    state or enrolment spans an import (run_id's aside) applied or undone since read_at changed."""
    later = _imports_since(read_at, run_id)
    if not later:
        return {}, later
    moved, spans = {}, {}
    for run, table, row_id, action, before, after in ImportChange.select(
            ImportChange.run, ImportChange.table, ImportChange.row_id, ImportChange.action, ImportChange.before_json,
            ImportChange.after_json).where(ImportChange.run.in_(list(later)),
                                           ImportChange.table.in_(("student", "enrollment"))).tuples():
        if table == "student" and action == "updated" and {"school", "active"} & set(json.loads(after or "{}")):
            moved.setdefault(row_id, run)
        elif table == "enrollment":
            rows = json.loads(after or "{}").get("rows") if action == "created" else None
            for span in rows or (row_id,):
                spans.setdefault(span, run)
    ids = sorted(spans)
    for start in range(0, len(ids), BATCH):
        for span, student in Enrollment.select(Enrollment.id, Enrollment.student).where(
                Enrollment.id.in_(ids[start:start + BATCH])).tuples():
            moved.setdefault(student, spans[span])
    return moved, later


def leave_out_moved(days, marks, report, run_id=None):
    """Take out of the plan (days, marks) the days of students an import applied since it was checked
    (marks.read_at) moved whose marks no longer fit their enrolments (attendance.apply, before anything is
    written; run_id: the import applying it)."""
    moved, later = students_moved_since(marks.read_at, run_id)
    touched = {student for students in days.values() for student in students if student in moved}
    if not touched:
        return
    now = _enrolments_now(sorted(touched))
    of_day = {}  # (student, day) -> indices of its marks
    for index, (student, school, day, *_) in enumerate(marks):
        if student in touched:
            of_day.setdefault((student, day), []).append(index)
    out, dropped = [], set()
    for day, students in days.items():
        for student in [s for s in students if s in touched]:
            indices = of_day.get((student, day), ())
            if indices and all(_fits(now, student, marks[i][1], day) for i in indices):
                continue
            del students[student]
            dropped.update(indices)
            out.append((student, day))
    if not out:
        return
    marks.drop(dropped)
    for day in [day for day, students in days.items() if not students]:
        del days[day]
    _say(out, {moved[student] for student, _ in out}, later, report)


def _enrolments_now(students):
    """{student: (active, school, spans)} as stored now; spans as rules.counting reads them."""
    now = {}
    for start in range(0, len(students), BATCH):
        part = students[start:start + BATCH]
        for student, active, school in Student.select(Student.id, Student.active, Student.school).where(
                Student.id.in_(part)).tuples():
            now[student] = (active, school, [])
        for student, school, begin, end in Enrollment.select(
                Enrollment.student, Enrollment.school, Enrollment.begin_date, Enrollment.end_date).where(
                Enrollment.student.in_(part)).tuples():
            if student in now:
                now[student][2].append((school, _date(begin), _date(end)))
    return now


def _date(value):
    return datetime.date.fromisoformat(value[:10]) if isinstance(value, str) else value


def _fits(now, student, school, day):
    """Whether a mark of student at school on day is one the import would keep now (attendance_read.read_marks)."""
    if student not in now or not now[student][0]:
        return False
    _, home, spans = now[student]
    return (school == home or any(span[0] == school for span in spans)) and not (
        spans and elsewhere_on(spans, school, day))


def _say(out, by, later, report):
    out.sort(key=lambda pair: (pair[1], pair[0]))
    shown = out[:SHOWN]
    names = dict((i, f"{first} {last} ({key})") for i, first, last, key in Student.select(
        Student.id, Student.first_name, Student.last_name, Student.local_id).where(
        Student.id.in_([student for student, _ in shown])).tuples())
    days = tuple(Message("%(student)s on %(day)s", student=names.get(student, ""), day=day)
                 for student, day in shown)
    runs = tuple(Message("import #%(run)s (%(file)s)", run=str(run), file=later[run].filename) for run in sorted(by))
    n = len(out)
    report.note(plural_message(
        "Since this preview, %(runs)s changed where students of this file are enrolled: %(num)d day of a student "
        "is left out, as its mark may now be at a school the student was not enrolled at that day (%(days)s); "
        "nothing of it is stored: import the file again to preview it as the enrolments are now.",
        "Since this preview, %(runs)s changed where students of this file are enrolled: %(num)d days of students "
        "are left out, as their marks may now be at a school the student was not enrolled at that day "
        "(%(days)s); nothing of them is stored: import the file again to preview them as the enrolments are now.",
        n, num=n, runs=runs, days=days + (("…",) if n > len(shown) else ())))
