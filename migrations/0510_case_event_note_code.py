"""What the app itself says in a line of a case's history is kept as a code
and its values (case_event.note_code, note_values: JSON), said in the
reader's language (fieldapp.cases.history_text.NOTES); case_event.note keeps
only what a person typed. The app wrote English sentences into the note: why
an account change sent the case to the unassigned queue, a transfer, an
import undone, why a case was opened automatically, a stage recorded
without its letter, the steps outstanding at a closing; a Spanish-speaking supervisor read them in English.

The sentences already stored are turned into their codes where they read
exactly as the app wrote them; a note a person typed stays as it is.

Models here are frozen copies, independent of fieldapp.models."""
import datetime
import json
import re

from peewee import CharField, TextField

WHOLE = {  # a note that is only the app's sentence -> its code
    "Account deactivated: the case waits in the unassigned queue.": "account_deactivated",
    "The officer no longer serves this school: the case waits in the unassigned queue.": "school_removed",
}
WITHOUT_RECORD = " (recorded without a letter on file)"
TRANSFERRED = re.compile(r"Transferred from (?P<school>.*) on (?P<day>[A-Z][a-z]{2} \d{1,2}, \d{4})\.\Z", re.S)
UNDONE = re.compile(r"Import #(?P<run>\d+) \((?P<file>.*)\) was undone; (?P<what>it had opened this case "
                    r"automatically|the case moved back with the student)\.\Z", re.S)
AUTOMATIC = re.compile(r"Opened automatically: (?P<step>.*) \((?P<statute>[^()]*)\) became due on "
                       r"(?P<day>[A-Z][a-z]{2} \d{1,2}, \d{4}); (?P<version>[^;]*)\.\Z", re.S)
OUTSTANDING = "\nClosed with the law's steps outstanding, confirmed: "
LIKE = ("%Account deactivated%", "%no longer serves this school%", "%without a letter on file%",
        "Transferred from %", "Import #%", "Opened automatically: %", "%Closed with the law's steps outstanding%")
STEP = re.compile(r"(?P<label>.*) \((?P<statute>[^()]*)\): overdue since (?P<day>\d{4}-\d{2}-\d{2})\Z", re.S)


def _iso(day):
    """'Oct 3, 2025' as '2025-10-03'."""
    return datetime.datetime.strptime(day, "%b %d, %Y").date().isoformat()


def _step(line):
    found = STEP.match(line)
    if found:
        return [found["label"], found["statute"], found["day"]]
    return [line[len("Status: "):] if line.startswith("Status: ") else line, None, None]


def said(note):
    """(note a person typed, code, values) of a stored note, or None when the app wrote none of it."""
    if note in WHOLE:
        return "", WHOLE[note], {}
    if (" " + note).endswith(WITHOUT_RECORD):
        return note[:-len(WITHOUT_RECORD)].strip() if note != WITHOUT_RECORD.strip() else "", "without_record", {}
    found = TRANSFERRED.match(note)
    if found:
        return "", "transferred", {"school": found["school"], "day": _iso(found["day"])}
    found = UNDONE.match(note)
    if found:
        code = "import_undone_closed" if found["what"].startswith("it had") else "import_undone_moved_back"
        return "", code, {"run": int(found["run"]), "file": found["file"]}
    found = AUTOMATIC.match(note)
    if found:
        return "", "opened_automatically", {**found.groupdict(), "day": _iso(found["day"])}
    if OUTSTANDING in note:
        typed, lines = note.split(OUTSTANDING, 1)
        return typed, "closed_outstanding", {"steps": [_step(line) for line in lines.split("; ")]}
    return None


def up(migrator, db):
    migrator.migrate(migrator.add_column("case_event", "note_code", CharField(default="")),
                     migrator.add_column("case_event", "note_values", TextField(default="")))
    convert(db)


def convert(db):
    """Turn the app's stored English sentences into their codes (see said)."""
    p = db.param
    rows = db.execute_sql("SELECT id, note FROM case_event WHERE " + " OR ".join([f"note LIKE {p}"] * len(LIKE)),
                          LIKE).fetchall()
    for event_id, note in rows:
        found = said(note)
        if found is not None:
            typed, code, values = found
            db.execute_sql(f"UPDATE case_event SET note = {p}, note_code = {p}, note_values = {p} WHERE id = {p}",
                           (typed, code, json.dumps(values) if values else "", event_id))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("case_event", "note_values"),
                     migrator.drop_column("case_event", "note_code"))
