"""What an applied import changed, row by row, so that it can be undone.

Each entry names a table, a row id and the values of the fields concerned
before and after (JSON; dates as ISO text). Rows a roster creates by the
thousand are journalled a batch to an entry: its after names them all
({"rows": [...]}). Attendance marks an import
stores are not journalled one by one: they carry the import's id.

What a delta file says again as it is stored (a record it ends that an
earlier delta ended already, a guardian link it lists unchanged) is
journalled too, a batch to an entry ("said"), so that undoing an earlier
import keeps what this one, still standing, says; a bulk file, which says
every record, is journalled as one entry naming its files ("said", table
"roster_file"): journalling each unchanged row of a district's roster would
write a million rows a night. Both entries take the run's id, negative, for
a row id: they name no row another import changed.
"""
import datetime
import json

from fieldapp.imports.bulk import insert_rows
from fieldapp.models import ImportChange


def plain(value):
    """A value as JSON keeps it: dates and times as ISO text."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def _json(values):
    if values is None:
        return ""
    return json.dumps({k: plain(v) for k, v in values.items()}) if values else "{}"


FLUSH = 5000  # rows named by the entries held before they are written, when the run is known


class Journal:
    """Entries gathered while an import applies; saved with the run.

    Journal(run_id) writes its entries as ImportChange rows once they name
    FLUSH rows (an entry of many created rows counts each), in the order they
    came (the caller's transaction keeps or drops them with the rest), so a
    roster of a million rows never holds a million rows' ids; save() writes
    what is left. Journal(keep=False) keeps nothing: a preview, or an import
    applied without a history."""

    def __init__(self, run_id=None, keep=True):
        self.entries = []  # (table, row id, action, before dict or None, after dict or None)
        self.run_id, self.keep = run_id, keep
        self.held = 0  # rows the entries held name

    def _add(self, entry, rows=1):
        if self.keep:
            self.entries.append(entry)
            self.held += rows
            if self.run_id is not None and self.held >= FLUSH:
                self._write(self.run_id)

    def created(self, table, row_id, after=None):
        self._add((table, row_id, "created", None, after or {}))

    def created_rows(self, table, rows):
        """Many rows created at once, as one entry: rows is a list of row ids
        ([student id, guardian id] pairs for student_guardian); a roster
        creates hundreds of thousands."""
        if rows:
            self._add((table, rows[0] if table != "student_guardian" else rows[0][0], "created", None,
                       {"rows": rows}), len(rows))

    def said(self, table, rows):
        """Rows the file gives again as they are stored (row ids, [student id, guardian id] pairs for
        student_guardian), as one entry: see the module's docstring."""
        if rows:
            self._add((table, -(self.run_id or 0), "said", None, {"rows": rows}), len(rows))

    def said_whole(self, files):
        """The roster files (users, enrollments, orgs) this import sent whole (bulk): each says every record."""
        if files:
            self._add(("roster_file", -(self.run_id or 0), "said", None, {"bulk": sorted(files)}))

    def moved(self, student, school_left, school, day):
        """A student users.csv moved to another school on day (the day the move was applied): undoing an
        earlier import that leaves them no enrolment period writes the move as this file alone would
        have (fieldapp.imports.undo_moves)."""
        self._add(("student_move", student, "moved", None, {"from": school_left, "to": school, "day": day}))

    def updated(self, table, row_id, before, after):
        self._add((table, row_id, "updated", before, after))

    def deleted(self, table, row_id, before):
        self._add((table, row_id, "deleted", before, None))

    def replaced(self, table, row_id, before, after=None):
        """A whole record (a calendar) swapped for a new one with id row_id;
        after, when given, says what of it the import decided."""
        self._add((table, row_id, "replaced", before, after))

    def _write(self, run_id):
        fields = [ImportChange.run, ImportChange.table, ImportChange.row_id, ImportChange.action,
                  ImportChange.before_json, ImportChange.after_json]
        insert_rows(ImportChange, fields, [(run_id, table, row_id, action, _json(before), _json(after))
                                           for table, row_id, action, before, after in self.entries])
        self.entries, self.held = [], 0

    def save(self, run_id):
        """Write the entries not yet written as ImportChange rows of run_id (in
        the caller's transaction)."""
        if self.run_id not in (None, run_id):
            raise ValueError(f"journal of import #{self.run_id} saved as #{run_id}")
        self._write(run_id)
