"""The rows an import made, and the enrolment records and periods it
changed, that a later import (not undone) has changed since, or whose file
said them again as they are (a delta repeating a record's tobedeleted, a
guardian link: journal.said): undoing the import keeps them as the later
import left them, and names them, before the undo
(fieldapp.imports.undo.preview_changed) and after it."""
import json

from fieldapp.imports.undo_words import kept_by, named, said_by
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


class Said(int):
    """The id of a later import (not undone) whose file said a row again as it was stored, which it did
    not change (changed_later's value for that row)."""


def said_later(run):
    """{(table, row id): Said(the later import)} of the rows later imports, not undone, said again as
    they were stored (journal.said; a link's row id: (student, guardian)); the periods of a student at
    a school whose record a later delta said again are what their records make there: said too."""
    said, c = {}, ImportChange
    for table, after, by in c.select(c.table, c.after_json, c.run).join(ImportRun).where(
            c.run > run.id, c.action == "said", c.table != "roster_file",
            ImportRun.undone_at.is_null()).order_by(c.run).tuples():
        for row in json.loads(after)["rows"]:
            said.setdefault((table, tuple(row) if isinstance(row, list) else row), Said(by))
    for span, record in spans_of_records([row for table, row in said if table == "roster_enrollment"]).items():
        said.setdefault(("enrollment", span), said["roster_enrollment", record])
    return said


def spans_of_records(records):
    """{period id: a record of records (ids)} of the enrolment periods of each record's student at its
    school: what those records make (roster_enrollments)."""
    pairs, spans, records = {}, {}, sorted(records)
    for start in range(0, len(records), 500):
        for record, student, school in RosterEnrollment.select(
                RosterEnrollment.id, RosterEnrollment.student, RosterEnrollment.school).where(
                RosterEnrollment.id.in_(records[start:start + 500])).tuples():
            pairs.setdefault((student, school), record)
    for (student, school), record in pairs.items():
        for (span,) in Enrollment.select(Enrollment.id).where(
                Enrollment.student == student, Enrollment.school == school).tuples():
            spans[span] = record
    return spans


def changed_later(run):
    """{(table, row id): the later import} of the students, schools,
    enrollment records and periods and guardian links (row id: (student,
    guardian)) this run created that a later import, not undone, has
    changed (a student's name or school, a delta's tobedeleted ending an
    enrolment, a link's relationship): undoing this run keeps them as the
    later import left them (a student stays active, a link in force), and
    says so, as it keeps any other row changed since. With them, the rows
    a later delta said again as they were (said_later, each a Said)."""
    later = {}
    for table, row_id, after, by in ImportChange.select(
            ImportChange.table, ImportChange.row_id, ImportChange.after_json, ImportChange.run).join(ImportRun).where(
            ImportChange.run > run.id, ImportChange.table.in_(KEPT_WHEN_CHANGED + ("student_guardian",)),
            ImportChange.action == "updated", ImportRun.undone_at.is_null()).order_by(ImportChange.run).tuples():
        if table == "student_guardian":  # a link is known by its student (row id) and guardian
            row_id = (row_id, json.loads(after)["guardian"])
        later.setdefault((table, row_id), by)
    for key, by in said_later(run).items():  # what a later import changed is named so, before what one said
        later.setdefault(key, by)
    return later


def kept_since(run, later):
    """The lines naming the rows this run added, and the enrolment records and periods it changed, that
    later imports changed (changed_later)."""
    if not later:
        return []
    lines = set()
    for change in ImportChange.select().where(ImportChange.run == run, ImportChange.action.in_(("created", "updated")),
                                              ImportChange.table.in_(KEPT_WHEN_CHANGED + ("student_guardian",))):
        after = json.loads(change.after_json) if change.after_json else {}
        if change.table == "student_guardian" and "rows" not in after:  # a link: (student, guardian)
            after = {"rows": [[change.row_id, after["guardian"]]]}
        for row_id in (after["rows"] if "rows" in after else [change.row_id]):
            row_id = tuple(row_id) if isinstance(row_id, list) else row_id
            key = (change.table, row_id)
            # an update of a student or school (or a link's) changed since is named by the undo as it finds it
            if key in later and (change.action == "created" or change.table in REMOVED or isinstance(later[key], Said)):
                lines.add(changed_by(change.table, row_id, later))
    return sorted(lines)


def changed_by(table, row_id, later):
    if table == "student_guardian":
        guardian = Guardian.get_or_none(Guardian.id == row_id[1])
        what = Message("%(student)s: guardian link to %(guardian)s", student=named(Student, row_id[0]),
                       guardian=guardian.full_name if guardian else str(row_id[1]))
    else:
        what = named(MODELS[table], row_id)
    by = later[table, row_id]
    return said_by(what, by) if isinstance(by, Said) else kept_by(what, by)


# The roster file that says each kind of row an import makes or changes.
FILES = {"student": "users.csv", "student_guardian": "users.csv", "school": "orgs.csv",
         "roster_enrollment": "enrollments.csv", "enrollment": "enrollments.csv"}


def sent_whole_later(run):
    """The lines warning, before the undo, of later imports (not undone) that sent whole (bulk) a roster
    file saying rows of the kinds this run made or changed: what such a file says again as it was is not
    journalled row by row (journal.said_whole), so undoing this run takes it away though that import
    stands; importing its file again after the undo puts it back."""
    c = ImportChange
    touched = {FILES[table] for (table,) in c.select(c.table).where(
        c.run == run, c.table.in_(tuple(FILES)), c.action.in_(("created", "updated"))).distinct().tuples()}
    if not touched:
        return []
    lines = []
    for after, by in c.select(c.after_json, c.run).join(ImportRun).where(
            c.run > run.id, c.table == "roster_file", c.action == "said",
            ImportRun.undone_at.is_null()).order_by(c.run).tuples():
        files = tuple(sorted(touched & {name + ".csv" for name in json.loads(after)["bulk"]}))
        if files:
            lines.append(Message(
                "Import %(run)s, later, sent %(files)s whole: what it says again as this import left it is "
                "undone with this import, though import %(run)s stands; import its files again after this "
                "undo to put it back", run=str(by), files=files))
    return lines


def year_assumed_again(run, later):
    """{period id: the line naming it} of the periods this run added at the school a student was at
    before it, the student having no enrolment period before it (the rules counted them enrolled all
    year there), which undoing it would remove while leaving them periods a later import (not undone)
    changed or added: without a period there, only those counted (a student this run moved away, whose
    new school's enrolment a later delta ended, counted the days of that enrolment instead of the
    year). Undoing the run makes the period the whole year again, as the year assumed was."""
    made = []
    for row_id, after in ImportChange.select(ImportChange.row_id, ImportChange.after_json).where(
            ImportChange.run == run, ImportChange.table == "enrollment", ImportChange.action == "created").tuples():
        made.extend((json.loads(after) if after else {}).get("rows") or [row_id])
    if not made:
        return {}
    made, first = set(made), min(made)
    homes = {student: json.loads(before)["school"] for student, before in ImportChange.select(
        ImportChange.row_id, ImportChange.before_json).where(
        ImportChange.run == run, ImportChange.table == "student", ImportChange.action == "updated",
        ImportChange.before_json.contains('"school"')).tuples() if "school" in json.loads(before)}
    ids, spans = sorted(made), {}
    for start in range(0, len(ids), 500):
        students = {student for (student,) in Enrollment.select(Enrollment.student).where(
            Enrollment.id.in_(ids[start:start + 500])).distinct().tuples()}
        for span, student, school in Enrollment.select(Enrollment.id, Enrollment.student, Enrollment.school).where(
                Enrollment.student.in_(sorted(students))).tuples():
            spans.setdefault(student, []).append((span, school))
    lines = {}
    for student, held in spans.items():
        if any(span < first and span not in made for span, _ in held):  # a period before this run
            continue
        home = homes.get(student) or Student.select(Student.school).where(Student.id == student).scalar()
        staying = [school for span, school in held if span not in made or ("enrollment", span) in later]
        ours = [span for span, school in held if span in made and school == home and ("enrollment", span) not in later]
        if staying and home not in staying and ours:
            lines[ours[0]] = Message(
                "%(student)s: enrolled all year at %(school)s again, as before this import, beside the enrolment "
                "periods later imports changed or added", student=named(Student, student), school=named(School, home))
    return lines
