"""Undoing an enrolment delta whose periods were all a student had, when a
later import (not undone) moved the student to another school in users.csv
(see fieldapp.imports.undo): with no period left they would count as
enrolled all year at the new school. Where the day of that move is kept
(journal.moved), the move is written as that import's file alone would have
written it: the school left until the day before, the new one from the day,
both journalled as that import's, so undoing it too removes them. A move
from before the day was kept is said, for the district to send the
enrolments that say when the student moved."""
import datetime
import json

from fieldapp.imports.journal import Journal
from fieldapp.imports.roster_spans import ONE_DAY, Span, store_spans
from fieldapp.imports.undo_kept import changed_later
from fieldapp.imports.undo_words import count, named
from fieldapp.messages import Message
from fieldapp.models import Enrollment, ImportChange, ImportRun, School, Student


def _later_moves(run):
    """{student: [later import]} of the students later imports (not undone) moved in users.csv, in order."""
    moves, c = {}, ImportChange
    for student, after, by in c.select(c.row_id, c.after_json, c.run).join(ImportRun).where(
            c.run > run.id, c.table == "student", c.action == "updated",
            ImportRun.undone_at.is_null()).order_by(c.run).tuples():
        if "school" in (json.loads(after) if after else {}):
            moves.setdefault(student, []).append(by)
    return moves


def _days(moves):
    """{student: (school left, school, day)} of the moves whose day was kept (journal.moved): of students
    moved once since."""
    once = {student: runs[0] for student, runs in moves.items() if len(runs) == 1}
    days, c, ids = {}, ImportChange, sorted(once)
    for start in range(0, len(ids), 500):
        for student, by, after in c.select(c.row_id, c.run, c.after_json).where(
                c.table == "student_move", c.action == "moved", c.row_id.in_(ids[start:start + 500])).tuples():
            if once[student] == by:
                said = json.loads(after)
                days[student] = (said["from"], said["to"], datetime.date.fromisoformat(said["day"]))
    return days


def moved_since_left_spanless(run):
    """{student id: (the line naming them, the move or None)} of the students every enrolment period of
    whom this run added, whom a later import (not undone) moved to another school in users.csv: undoing
    the run leaves them no period. The move (later import, school left, school, day), when its day was
    kept, is written again by write_moves; else they count as enrolled all year at the school that import
    gave them, said before the undo and after it."""
    moves = _later_moves(run)  # first: few, where a roster's periods are many
    if not moves:
        return {}
    made = set()
    for row_id, after in ImportChange.select(ImportChange.row_id, ImportChange.after_json).where(
            ImportChange.run == run, ImportChange.table == "enrollment", ImportChange.action == "created").tuples():
        rows = (json.loads(after) if after else {}).get("rows")
        made.update(rows or [row_id])
    spans, moved = {}, sorted(moves)
    for start in range(0, len(moved), 500):
        for span_id, student in Enrollment.select(Enrollment.id, Enrollment.student).where(
                Enrollment.student.in_(moved[start:start + 500])).tuples():
            spans.setdefault(student, set()).add(span_id)
    later = changed_later(run) if made else {}
    left = [student for student, ids in spans.items() if ids <= made and not any(("enrollment", i) in later for i in ids)]
    days, lines = _days({student: moves[student] for student in left}), {}
    for student in left:
        by = moves[student][-1]
        if student in days:
            old, school, day = days[student]
            lines[student] = (Message(
                "%(student)s: no enrolment period of this import is left once it is undone; import %(run)s's "
                "users.csv moved them on %(day)s: enrolled at %(left)s until %(end)s and at %(school)s from "
                "%(day)s, as that file alone says", student=named(Student, student), run=str(by), day=day,
                left=named(School, old), end=day - ONE_DAY, school=named(School, school)), (by, old, school, day))
            continue
        school = Student.select(Student.school).where(Student.id == student).scalar()
        lines[student] = (Message(
            "%(student)s: no enrolment period is left once this import is undone; they count as enrolled all "
            "year at %(school)s, where import %(run)s's users.csv moved them: send the enrolments that say "
            "when they moved", student=named(Student, student), school=named(School, school), run=str(by)), None)
    return lines


def write_moves(left, counts):
    """Once the run's periods are removed, write the later moves of left (moved_since_left_spanless)
    whose day was kept as their import's file alone would have: the school left until the day before,
    the new one from the day, journalled as that import's (undoing it removes them)."""
    for student, (line, move) in sorted(left.items()):
        if move is None or Enrollment.select().where(Enrollment.student == student).exists():
            continue
        by, old, school, day = move
        journal = Journal(by)
        store_spans([Span(None, student, old, None, day - ONE_DAY), Span(None, student, school, day, None)],
                    journal)
        journal.save(by)
        count(counts, "transfers recorded", which=line)
