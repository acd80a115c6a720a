"""The rows an import made, and the enrolment records and periods it
changed, that a later import (not undone) has changed since: undoing the
import keeps them as the later import left them, and names them, before the
undo (fieldapp.imports.undo.preview_changed) and after it."""
import json

from fieldapp.imports.undo_words import kept_by, named
from fieldapp.messages import Message
from fieldapp.models import (
    Case, Enrollment, Guardian, ImportChange, ImportRun, Referral, RosterEnrollment, School, Student,
)

MODELS = {"student": Student, "school": School, "guardian": Guardian, "enrollment": Enrollment,
          "case": Case, "roster_enrollment": RosterEnrollment, "referral": Referral}
# What an undo did to each kind of row it created, in the words of the page (count_words holds their singulars).
DEACTIVATED = {"student": "students it created deactivated", "school": "schools it created deactivated"}
REMOVED = {"enrollment": "enrollment periods it added removed",
           "roster_enrollment": "enrollment records it added removed"}
# The rows an import creates that a later import may change: undoing the first keeps them as the later left them
KEPT_WHEN_CHANGED = tuple(REMOVED) + tuple(DEACTIVATED)


def changed_later(run):
    """{(table, row id): the later import} of the students, schools,
    enrollment records and periods and guardian links (row id: (student,
    guardian)) this run created that a later import, not undone, has
    changed (a student's name or school, a delta's tobedeleted ending an
    enrolment, a link's relationship): undoing this run keeps them as the
    later import left them (a student stays active, a link in force), and
    says so, as it keeps any other row changed since."""
    later = {}
    for table, row_id, after, by in ImportChange.select(
            ImportChange.table, ImportChange.row_id, ImportChange.after_json, ImportChange.run).join(ImportRun).where(
            ImportChange.run > run.id, ImportChange.table.in_(KEPT_WHEN_CHANGED + ("student_guardian",)),
            ImportChange.action == "updated", ImportRun.undone_at.is_null()).order_by(ImportChange.run).tuples():
        if table == "student_guardian":  # a link is known by its student (row id) and guardian
            row_id = (row_id, json.loads(after)["guardian"])
        later.setdefault((table, row_id), by)
    return later


def kept_since(run, later):
    """The lines naming the rows this run added, and the enrolment records and periods it changed, that
    later imports changed (changed_later)."""
    if not later:
        return []
    lines = set()
    for change in ImportChange.select().where(ImportChange.run == run, (ImportChange.action == "created") & (
            ImportChange.table.in_(KEPT_WHEN_CHANGED + ("student_guardian",))) | (ImportChange.action == "updated") & (
            ImportChange.table.in_(tuple(REMOVED)))):
        after = json.loads(change.after_json) if change.after_json else {}
        for row_id in (after["rows"] if "rows" in after else [change.row_id]):
            row_id = tuple(row_id) if isinstance(row_id, list) else row_id  # a link: (student, guardian)
            if (change.table, row_id) in later:
                lines.add(changed_by(change.table, row_id, later))
    return sorted(lines)


def changed_by(table, row_id, later):
    if table == "student_guardian":
        guardian = Guardian.get_or_none(Guardian.id == row_id[1])
        what = Message("%(student)s: guardian link to %(guardian)s", student=named(Student, row_id[0]),
                       guardian=guardian.full_name if guardian else str(row_id[1]))
    else:
        what = named(MODELS[table], row_id)
    return kept_by(what, later[table, row_id])


def moved_since_left_spanless(run):
    """{student id: the line naming them} of the students every enrolment
    period of whom this run added, whom a later import (not undone) moved to
    another school in users.csv: undoing the run leaves them no period, so
    they count as enrolled all year at the school that import gave them (a
    file without this run would have ended their old school the day before
    that move). Said before the undo and after it, for the district to send
    the enrolments that say when they moved."""
    moves = {}  # the students later imports moved, first: few, where a roster's periods are many
    c = ImportChange
    for student, after, by in c.select(c.row_id, c.after_json, c.run).join(ImportRun).where(
            c.run > run.id, c.table == "student", c.action == "updated",
            ImportRun.undone_at.is_null()).order_by(c.run).tuples():
        if "school" in (json.loads(after) if after else {}):
            moves[student] = by
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
    lines = {}
    for student, ids in spans.items():
        if ids <= made and not any(("enrollment", i) in later for i in ids):
            school = Student.select(Student.school).where(Student.id == student).scalar()
            lines[student] = Message(
                "%(student)s: no enrolment period is left once this import is undone; they count as enrolled all "
                "year at %(school)s, where import %(run)s's users.csv moved them: send the enrolments that say "
                "when they moved", student=named(Student, student), school=named(School, school),
                run=str(moves[student]))
    return lines
