"""What an applied import changed, row by row, so that it can be undone.

Each entry names a table, a row id and the values of the fields concerned
before and after (JSON; dates as ISO text). Attendance marks an import
stores are not journalled one by one: they carry the import's id.
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
    return "" if values is None else json.dumps({k: plain(v) for k, v in values.items()})


class Journal:
    """Entries gathered while an import applies; saved with the run."""

    def __init__(self):
        self.entries = []  # (table, row id, action, before dict or None, after dict or None)

    def created(self, table, row_id, after=None):
        self.entries.append((table, row_id, "created", None, after or {}))

    def updated(self, table, row_id, before, after):
        self.entries.append((table, row_id, "updated", before, after))

    def deleted(self, table, row_id, before):
        self.entries.append((table, row_id, "deleted", before, None))

    def replaced(self, table, row_id, before):
        """A whole record (a calendar) swapped for a new one with id row_id."""
        self.entries.append((table, row_id, "replaced", before, None))

    def save(self, run_id):
        """Write the entries as ImportChange rows of run_id (in the caller's transaction)."""
        fields = [ImportChange.run, ImportChange.table, ImportChange.row_id, ImportChange.action,
                  ImportChange.before_json, ImportChange.after_json]
        insert_rows(ImportChange, fields, [(run_id, table, row_id, action, _json(before), _json(after))
                                           for table, row_id, action, before, after in self.entries])
