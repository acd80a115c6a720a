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
