"""Undoing an import that changed a student or a school an earlier import,
undone since, had made or changed (see fieldapp.imports.undo): what comes back
is what the row held before that earlier import, not the values it gave, and a
row it created goes as its own undo would have taken it. Undoing roster A,
then the roster B that renamed a student A created, left her active under A's
name, though both imports were undone."""
import json

from fieldapp.imports.undo_cases import students_created, students_kept
from fieldapp.imports.undo_words import count, named
from fieldapp.messages import plural_message
from fieldapp.models import Enrollment, ImportChange, ImportRun, School, Student

# The rows whose values an undo walks back through imports undone since.
WALKED = ("student", "school", "enrollment", "roster_enrollment")
GONE_AGAIN = {"student": "students an import undone since had created deactivated",
              "school": "schools an import undone since had created deactivated",
              "enrollment": "enrollment periods an import undone since had added removed",
              "roster_enrollment": "enrollment records an import undone since had added removed"}


class UndoneEarlier:
    """The imports before `run` that have been undone since, and the rows
    they created, each read once for one undo. Rows walked (WALKED):
    students, schools, and the enrolment records and periods of a roster,
    so that undoing rosters in any order leaves no record an undone one
    added."""

    def __init__(self, run):
        self.run_id = run.id
        self.ids = {run_id for (run_id,) in ImportRun.select(ImportRun.id).where(
            ImportRun.id < run.id, ImportRun.undone_at.is_null(False)).tuples()}
        self._made, self._kept, self._touched = {}, {}, {}

    def made(self, table):
        """[(run id, {row id})] of the rows of table the undone imports created."""
        if table not in self._made:
            found = []
            if self.ids:
                for run_id, row_id, after in ImportChange.select(
                        ImportChange.run, ImportChange.row_id, ImportChange.after_json).where(
                        ImportChange.run.in_(sorted(self.ids)), ImportChange.table == table,
                        ImportChange.action == "created").tuples():
                    rows = (json.loads(after) if after else {}).get("rows")
                    found.append((run_id, set(rows) if rows else {row_id}))
            self._made[table] = found
        return self._made[table]

    def touched(self, table):
        """{row id} of the rows of table the undone imports created or updated:
        only those can have been given their values by one (a roster's undo
        reads no journal row by row for the others)."""
        if table not in self._touched:
            rows = set().union(*(made for _, made in self.made(table)))
            if self.ids:
                rows.update(row_id for (row_id,) in ImportChange.select(ImportChange.row_id).where(
                    ImportChange.run.in_(sorted(self.ids)), ImportChange.table == table,
                    ImportChange.action == "updated").tuples())
            self._touched[table] = rows
        return self._touched[table]

    def kept(self, run_id):
        """students_kept of an undone import: the students it created who have casework."""
        if run_id not in self._kept:
            self._kept[run_id] = students_kept(ImportRun.get_by_id(run_id))
        return self._kept[run_id]

    def before(self, table, row_id, values):
        """(values, maker) for a row of table this undo's import updated from
        values (its journal's before, {field: value}). Each field's value,
        unless the import that gave the field that value has been undone
        since, and then what the field held before that import, and so on
        back. maker: the undone import that created the row, when no import
        still standing has changed the row since (the row then goes as that
        import's undo would have taken it), else None."""
        if not self.ids or row_id not in self.touched(table):
            return values, None
        maker = max((run_id for run_id, rows in self.made(table) if run_id < self.run_id and row_id in rows),
                    default=0)
        updates = ImportChange.select(ImportChange.run, ImportChange.before_json).where(
            ImportChange.table == table, ImportChange.row_id == row_id, ImportChange.action == "updated",
            ImportChange.run < self.run_id).order_by(ImportChange.run.desc()).tuples()
        updates = [(run_id, json.loads(before) if before else {}) for run_id, before in updates]
        if maker and all(run_id in self.ids for run_id, _ in updates if run_id > maker):
            return values, maker
        walked = {}
        for field, value in values.items():
            # the imports before this one that set the field, newest first, while they are undone
            for run_id, before in updates:
                if field not in before:
                    continue
                if run_id not in self.ids:
                    break
                value = before[field]
            walked[field] = value
        return walked, None


def schools_kept(run, kept):
    """{("school", school id): the line naming it} of the schools this run
    created at which active students stay once it is undone: students it did
    not create (a later import, or a person, placed them there) or students it
    created kept for their casework (kept: students_kept). Undoing the run
    keeps those schools active: deactivating one left its students active at a
    school no list shows."""
    made = []
    for row_id, after in ImportChange.select(ImportChange.row_id, ImportChange.after_json).where(
            ImportChange.run == run, ImportChange.table == "school", ImportChange.action == "created").tuples():
        rows = (json.loads(after) if after else {}).get("rows")
        made.extend(rows or [row_id])
    if not made:
        return {}
    going = set(students_created(run)) - set(kept)
    lines = {}
    for school_id in made:
        staying = sum(1 for (student,) in Student.select(Student.id).where(
            Student.school == school_id, Student.active == True).tuples()  # noqa: E712
            if student not in going)
        if staying:
            lines["school", school_id] = plural_message(
                "%(school)s: %(num)d active student stays at it; kept",
                "%(school)s: %(num)d active students stay at it; kept", staying,
                school=named(School, school_id), num=staying)
    return lines


def year_assumed_gone(student, counts, undone):
    """Remove the student's periods left that are each the whole year at their school, made by imports
    undone since (year_assumed_again), once no other period is left: no period says the same, and
    undoing every import leaves none it made."""
    left = list(Enrollment.select(Enrollment.id, Enrollment.school, Enrollment.begin_date, Enrollment.end_date)
                .where(Enrollment.student == student).tuples())
    home = Student.select(Student.school).where(Student.id == student).scalar()
    made = set().union(*(rows for _, rows in undone.made("enrollment")))
    if left and all(span in made and school == home and begin is None and end is None
                    for span, school, begin, end in left):
        count(counts, GONE_AGAIN["enrollment"], Enrollment.delete().where(Enrollment.student == student).execute())
