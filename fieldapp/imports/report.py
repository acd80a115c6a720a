"""What an import read, found wrong and changed: the Report of its counts, row problems and
notes, each problem kept with its file and line, and ImportRefused for a whole file (or folder)
that cannot be imported."""
import json
from dataclasses import dataclass, field

from fieldapp.messages import Message, plural_message

MAX_KEPT_PROBLEMS = 1000
MAX_EXAMPLES = 5
# The columns a note says the import left aside: the first SHOWN_COLUMNS, each
# name cut at SHOWN_NAME characters (a file's header can hold anything).
SHOWN_COLUMNS, SHOWN_NAME = 20, 60


class ImportRefused(Exception):
    """The whole file (or folder) cannot be imported; nothing was changed."""


@dataclass
class Report:
    """What an import read, found wrong and changed."""
    kind: str
    filename: str
    skip_bad_rows: bool = False
    rows_read: int = 0
    applied: bool = False
    message: str = ""  # why the whole import was refused
    problems: list = field(default_factory=list)  # [file, line, reason], the first MAX_KEPT_PROBLEMS
    problem_count: int = 0
    counts: dict = field(default_factory=dict)
    bad_lines: set = field(default_factory=set)  # (file, line) of rows left out
    student_ids: set = field(default_factory=set)  # students whose attendance changed
    examples: dict = field(default_factory=dict)  # count name -> a few records it names
    previewed: bool = False  # counts say what applying would change; nothing is written yet
    confirm_phrase: str = ""  # what an administrator must type to apply it
    transfers: list = field(default_factory=list)  # (student id, old school id, new school id)
    deactivated_students: list = field(default_factory=list)  # (student id, school id)
    notes: list = field(default_factory=list)  # lines: what was read but not used, what was derived
    date_order: str = ""  # how the file's slash dates read ('' not said; see imports.dates)
    # What reading the file counted (staff users skipped): applying starts from these
    checked_counts: dict = field(default_factory=dict)
    checked_examples: dict = field(default_factory=dict)
    # (file, row, earlier row) of rows repeating an earlier row exactly (FirstRows): said once every row is
    # checked (note_repeated), when it is known which rows are left out
    repeated: list = field(default_factory=list)
    # (file, row) of rows holding only commas or spaces (a spreadsheet's empty rows): skipped, said once every
    # row is read (note_blank_rows)
    blank_rows: list = field(default_factory=list)

    def problem(self, file, line, reason):
        """Note a row problem; the row is left out (or the file refused).
        reason: a Message (fieldapp.messages), kept with what translates it.
        Returns the problem as kept ([file, line, reason], None past the first
        MAX_KEPT_PROBLEMS), for a later row that changes why to say so."""
        self.problem_count += 1
        self.bad_lines.add((file, line))
        if len(self.problems) < MAX_KEPT_PROBLEMS:
            kept = [file, line, reason]
            self.problems.append(kept)
            return kept
        return None

    def add(self, name, n=1):
        if n:
            self.counts[name] = self.counts.get(name, 0) + n

    def wants_example(self, name):
        """Would example(name, ...) keep one more? (Spares making its text when not.)"""
        return len(self.examples.get(name, ())) < MAX_EXAMPLES

    def example(self, name, text):
        """Keep up to MAX_EXAMPLES records that a count names, for the preview."""
        kept = self.examples.setdefault(name, [])
        if len(kept) < MAX_EXAMPLES:
            kept.append(text if isinstance(text, Message) else text[:120])  # a Message: translated when shown

    def note(self, text):
        """Keep a line for the preview and the history (once): a Message is
        kept with what translates it."""
        if text not in self.notes:
            self.notes.append(text)

    def note_ignored_columns(self, file):
        """Say which columns of a CsvFile this import does not read."""
        if file.ignored:
            shown = ", ".join(h if len(h) <= SHOWN_NAME else h[:SHOWN_NAME] + "…"
                              for h in file.ignored[:SHOWN_COLUMNS])
            more = len(file.ignored) - SHOWN_COLUMNS
            if more > 0:
                self.note(plural_message("%(file)s: not read, ignored: %(columns)s and %(num)d more column",
                                         "%(file)s: not read, ignored: %(columns)s and %(num)d more columns",
                                         more, file=file.name, columns=shown, num=more))
            else:
                self.note(Message("%(file)s: not read, ignored: %(columns)s", file=file.name, columns=shown))

    def note_repeats(self, file, pairs, cells=False):
        """Say which rows of file repeat an earlier row: pairs, [(row, the earlier row it repeats)] sorted
        by row; harmless, each read once, never a row problem. The first MAX_EXAMPLES are named, each as
        "row 10 repeats row 3". cells: the rows repeat their earlier ones cell for cell (FirstRows, see
        note_repeated); else they say exactly what the earlier ones say (attendance, calendar)."""
        if not pairs:
            return
        shown = tuple(Message("row %(row)s repeats row %(earlier)s", row=str(line), earlier=str(earlier))
                      for line, earlier in pairs[:MAX_EXAMPLES]) + (("…",) if len(pairs) > MAX_EXAMPLES else ())
        if cells:
            self.note(plural_message(
                "%(file)s: %(num)d row repeats an earlier row cell for cell (spaces around cells aside), and is "
                "read once: %(rows)s.",
                "%(file)s: %(num)d rows repeat earlier rows cell for cell (spaces around cells aside); each is "
                "read once: %(rows)s.", len(pairs), file=file, num=len(pairs), rows=shown))
        else:
            self.note(plural_message(
                "%(file)s: %(num)d row repeats an earlier row exactly, and is read once: %(rows)s.",
                "%(file)s: %(num)d rows repeat earlier rows exactly; each is read once: %(rows)s.",
                len(pairs), file=file, num=len(pairs), rows=shown))

    def note_blank_rows(self):
        """Say, for each file, which rows held only commas or spaces (as a spreadsheet leaves its empty rows
        when saved as CSV): skipped, never a row problem. The first MAX_EXAMPLES are named."""
        by_file = {}
        for file, row in self.blank_rows:
            by_file.setdefault(file, []).append(row)
        for file, rows in by_file.items():
            rows = sorted(rows)
            shown = ", ".join(str(row) for row in rows[:MAX_EXAMPLES]) + (", …" if len(rows) > MAX_EXAMPLES else "")
            self.note(plural_message(
                "%(file)s: %(num)d empty row (only commas or spaces) is skipped: row %(rows)s.",
                "%(file)s: %(num)d empty rows (only commas or spaces) are skipped: rows %(rows)s.",
                len(rows), file=file, num=len(rows), rows=shown))
        self.blank_rows = []

    def note_repeated(self):
        """Say the rows FirstRows found repeating an earlier row exactly: in one note per file those whose
        earlier row is read (each is read once), as a row problem each those whose earlier row is left out."""
        read = {}
        for file, line, earlier in sorted(self.repeated):
            if (file, earlier) in self.bad_lines:
                self.problem(file, line, Message("repeats row %(row)s exactly, which is left out", row=str(earlier)))
            else:
                read.setdefault(file, []).append((line, earlier))
        for file, pairs in read.items():
            self.note_repeats(file, pairs, cells=True)
        self.repeated = []

    def refuse(self, message):
        self.applied, self.message = False, message
        return self

    @property
    def rows_rejected(self):
        return len(self.bad_lines)

    @property
    def outcome(self):
        if self.previewed and not self.message:
            return "previewed"
        if not self.applied:
            return "refused"
        return "applied_with_skips" if self.problem_count else "applied"

    def checked(self):
        """Keep what reading the file counted, for the applied report as for the preview."""
        self.checked_counts = dict(self.counts)
        self.checked_examples = {name: list(kept) for name, kept in self.examples.items()}

    def may_apply(self):
        """Apply when nothing is wrong, or when told to skip the bad rows."""
        if self.problem_count and not self.skip_bad_rows:
            self.refuse(plural_message(
                "%(num)d row problem; nothing was changed. Fix it, or import again skipping bad rows to "
                "apply the rest.", "%(num)d row problems; nothing was changed. Fix them, or import again "
                "skipping bad rows to apply the rest.", self.problem_count, num=self.problem_count))
            return False
        return True

    def counts_json(self):
        return json.dumps(self.counts)
