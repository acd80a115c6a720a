"""Reading a district's CSV files: UTF-8 with or without a byte-order mark,
columns checked by name, rows numbered as a spreadsheet numbers them, and
every problem kept with its file and line."""
import codecs
import contextlib
from array import array
import csv
import difflib
import io
import json
from dataclasses import dataclass, field

from fieldapp.messages import N_, Message, plural_message

MAX_KEPT_PROBLEMS = 1000
MAX_EXAMPLES = 5
# The columns a note says the import left aside: the first SHOWN_COLUMNS, each
# name cut at SHOWN_NAME characters (a file's header can hold anything).
SHOWN_COLUMNS, SHOWN_NAME = 20, 60
UTF16_32 = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


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


def cells_not_header(cells, width):
    """Why a row of cells cells is left out, its header having width."""
    return plural_message("has %(num)d cell where the header has %(width)d: check its commas and quotes",
                          "has %(num)d cells where the header has %(width)d: check its commas and quotes",
                          cells, num=cells, width=width)


DUPLICATE_ID = N_("sourcedId '%(sid)s' is also on row %(line)s, with other values: keep one of the two rows")
SHOWN_VALUE = 40  # the characters of a cell a message quotes


def duplicate_id(sid, first_line, differs=()):
    """Why a row whose sourcedId sid an earlier row (on first_line) has is left out; differs: the
    columns whose cells differ, each a Message (see differing), once both rows are read again."""
    if differs:
        return Message("sourcedId '%(sid)s' is also on row %(line)s, with other values: keep one of the two rows "
                       "(differs in %(columns)s)", sid=sid, line=str(first_line), columns=tuple(differs))
    return Message(DUPLICATE_ID, sid=sid, line=str(first_line))


def _quoted(value):
    return value if len(value) <= SHOWN_VALUE else value[:SHOWN_VALUE] + "…"


def differing(header, first, later):
    """[Message "column: 'a' vs 'b'"] of each column (named by header, else by its letter) whose cells
    (without the spaces around them) differ between two rows' cells first and later."""
    found = []
    for i in range(max(len(first), len(later))):
        a = first[i].strip() if i < len(first) else ""
        b = later[i].strip() if i < len(later) else ""
        if a != b:
            name = header[i] if i < len(header) and header[i] else column_letter(i)
            # TRANSLATORS: a column and its two cells, on an earlier row and on a later one
            found.append(Message("%(column)s: '%(first)s' vs '%(later)s'", column=name, first=_quoted(a),
                                 later=_quoted(b)))
    return found


def explain_duplicates(report, cells_at, explained=None):
    """Name, in each row problem of a repeated sourcedId with other values (duplicate_id), the columns
    whose cells differ. Only fingerprints of rows are kept while a file is read (FirstRows), so the rows
    are read again here, and only when there is such a problem. cells_at(file, lines): (its header,
    {line: cells}) of those rows of file (a set of row numbers). explained: {msgid: rebuild(reason,
    differs) -> Message} of other problems naming an earlier row (their values' "line") whose
    differing cells are to be named (an attendance row repeating a student's day and category)."""
    explained = explained or {DUPLICATE_ID: lambda reason, differs: duplicate_id(
        reason.values["sid"], reason.values["line"], differs)}
    wanted = {}  # file -> {problem's row: (the problem as kept, its earlier row)}
    for kept in report.problems:
        reason = kept[2]
        if getattr(reason, "msgid", None) in explained:
            wanted.setdefault(kept[0], {})[kept[1]] = (kept, int(reason.values["line"]))
    for file, problems in wanted.items():
        lines = set(problems) | {earlier for _, earlier in problems.values()}
        try:
            header, cells = cells_at(file, lines)
        except ImportRefused:  # read whole the first time: never here
            continue
        for line, (kept, earlier) in problems.items():
            if line in cells and earlier in cells:
                differs = differing(header, cells[earlier], cells[line])
                if differs:
                    kept[2] = explained[kept[2].msgid](kept[2], differs)


def cells_again(file, lines):
    """(header, {row: cells}) of the rows numbered in lines (a set) of a CsvFile read already, read
    again from the top of its upload (explain_duplicates). Raises ImportRefused when the upload
    cannot be read again."""
    binary = file.source
    if not binary.seekable():
        raise ImportRefused(Message("%(file)s cannot be read again.", file=file.name))
    binary.seek(0)
    again = CsvFile(binary, file.name, (), optional=file.multiline_names, multiline=file.multiline_names)
    found = {}
    for line, cells in again.rows():
        if line in lines:
            found[line] = cells
            if len(found) == len(lines):
                break
    return again.header, found


def differs_in_case(sid, other, other_line):
    """Why a row whose sourcedId sid differs only in case from other's (on an earlier row) is left out."""
    return Message("sourcedId '%(sid)s' differs only in case from '%(other)s' on row %(line)s: one record "
                   "typed twice, most likely; keep one of the two rows", sid=sid, other=other, line=str(other_line))


def differs_in_case_from_stored(sid, other, name):
    """Why a row whose sourcedId sid differs only in case from other, the sourcedId of a record stored
    already (name: a student's or guardian's name, a school's), is left out."""
    return Message("sourcedId '%(sid)s' differs only in case from '%(other)s' of %(name)s, stored already: one "
                   "record typed twice, most likely; write the sourcedId as stored ('%(other)s')",
                   sid=sid, other=other, name=name)


def stored_case_twins(named, stored):
    """{sid: other} of each sourcedId of named (an iterable) not in stored (a collection of the sourcedIds
    of stored records) whose letters differ only in case from other, one of stored: a new record made of
    a stored one whose sourcedId was typed anew (see case_twins). A sid stored as it is, is that record."""
    named = [sid for sid in named if sid not in stored]
    if not named or not stored:
        return {}
    # most ids are written in lower case (or digits): only the others are folded into a copy
    folded = {fold: sid for sid in stored if (fold := sid.casefold()) != sid}
    twins = {}
    for sid in named:
        fold = sid.casefold()
        other = fold if fold in stored else folded.get(fold)
        if other is not None and other != sid:
            twins[sid] = other
    return twins


def case_twins(lines):
    """(sid, line, other sid, other line) of each sourcedId of lines ({sid: row}) whose letters differ
    only in case from those of one on an earlier row. OneRoster's ids are case-sensitive, but two records
    whose ids differ only so are one record typed twice far more often than two (a sourcedId typed by
    hand, or two systems' exports joined): each later one is a row problem naming the other row."""
    folded, twins = {}, []
    for sid, line in lines.items():
        fold = sid.casefold()
        if fold == sid and fold not in folded:  # as most ids are written (lower case, digits): no copy kept
            folded[sid] = (sid, line)
            continue
        other = folded.setdefault(fold, (sid, line))
        if other[0] != sid:
            first, later = sorted((other, (sid, line)), key=lambda pair: pair[1])
            folded[fold] = first
            twins.append((later[0], later[1], first[0], first[1]))
    return sorted(twins, key=lambda twin: twin[1])


def fingerprint(cells):
    """A row's fingerprint for FirstRows: its cells as they are read, without
    the spaces around each ('Santiago ' is 'Santiago'), so a repeat that
    differs only there is read once."""
    return hash(tuple(cell.strip() for cell in cells))


ROW = "*row"  # not a column: the name a row's fingerprint goes by beside its columns' values (FirstRows)


class FirstRows:
    """The row that first gave each key (a sourcedId) of one file, to tell a later row with that key
    repeating it exactly (every cell the same, read or not: harmless, read once and said in a note, never
    a row problem: see Report.note_repeated) from one that says something else of the same
    record (a row problem naming both rows). Of each row only a fingerprint of its values is kept, in one
    array by row number: a district's users.csv has hundreds of thousands of rows. lines: {key: row},
    filled as rows are read (a dict of the caller's, when given)."""

    def __init__(self, report, file, lines=None):
        self.report, self.file = report, file
        self.lines = {} if lines is None else lines
        self.prints, self.start = array("q"), None

    def first(self, key, line, fingerprint):
        """Is this row (line, whose fingerprint is the hash of a tuple of all its cells as written) the first
        with key? When not, it is noted as an exact repeat of that row or as a row problem naming it."""
        if self.start is None:
            self.start = line
        prints = self.prints
        if line - self.start > len(prints):  # rows a line break inside a cell took
            prints.extend([0] * (line - self.start - len(prints)))
        prints.append(fingerprint)
        earlier = self.lines.get(key)
        if earlier is None:
            self.lines[key] = line
            return True
        if prints[earlier - self.start] == prints[-1]:
            self.report.repeated.append((self.file, line, earlier))
        else:
            self.report.problem(self.file, line, duplicate_id(key, earlier))
        return False


def longer_than(columns, most):
    """Why a row whose columns (a list of names) hold more than most characters is left out."""
    return Message("%(column)s: longer than %(num)d characters", column=", ".join(columns), num=most)


def _folded(name):
    return "".join(ch for ch in name.lower() if ch.isalnum())


def column_letter(index):
    """0 -> A, 25 -> Z, 26 -> AA: a column as a spreadsheet names it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class CsvFile:
    """One CSV file: `columns` maps each known column to a position (or None
    when absent); rows() yields (row number, list of cells), numbered as a
    spreadsheet shows them (the header is row 1). Only the columns named in
    `multiline` may hold a line break inside quotes (that row then stays one
    row); anywhere else a line break inside a value is a quote left open,
    which would swallow the lines after it, and refuses the file naming the
    line. A NUL byte, bytes that are not UTF-8, more than `max_bytes` of
    text or more than `max_rows` rows refuse the file too."""

    def __init__(self, binary, name, required, optional=(), one_of=(), max_rows=None, max_bytes=None,
                 aliases=None, multiline=()):
        self.name, self.max_rows, self.source = name, max_rows, binary
        self.aliases = aliases or {}  # another name a column goes by -> the known name
        head = binary.read(8)
        if any(head.startswith(bom) for bom in UTF16_32):
            raise ImportRefused(Message("%(file)s is UTF-16 or UTF-32 text; save it as CSV UTF-8 and import it "
                                        "again.", file=name))
        not_text = _not_text(head, binary, name)
        if not_text:
            raise ImportRefused(not_text)
        if binary.seekable():
            binary.seek(0)
            head = b""
        self.guard = _Guard(head, binary, self, max_bytes)
        self.text = io.TextIOWrapper(io.BufferedReader(self.guard, 1 << 16), encoding="utf-8-sig",
                                     newline="")
        self.reader = csv.reader(self.text)
        self.header = self._header()
        self.columns = self._match(required, optional, one_of)
        self.width = len(self.header)
        self.multiline = {self.columns[c] for c in multiline if self.columns.get(c) is not None}
        self.multiline_names = tuple(multiline)

    def _header(self):
        with self.guarded(lambda: 1):
            header = next(self.reader, None)
        if header and self.reader.line_num > 1:
            self.multiline, self.header = set(), header
            self.refuse_open_quote(header, 1)
        if not header or not any(cell.strip() for cell in header):
            raise ImportRefused(Message("%(file)s is empty: the first line must name the columns.", file=self.name))
        return [cell.strip() for cell in header]

    def _duplicates(self, one_of):
        """Refuse a header naming one column twice: in two spellings, by a name
        and its alias (calendarEvent, calendarEventDescriptor), or by two of
        the names one value may go by (sourcedId, studentSourcedId). Only one
        of them would be read, and the other's values silently lost."""
        same = {_folded(alias): _folded(name) for alias, name in self.aliases.items()}
        for group in one_of:
            same.update({_folded(c): _folded(group[0]) for c in group})
        seen, twice = {}, []
        for i, h in enumerate(self.header):
            fold = same.get(_folded(h), _folded(h))
            if fold and fold in seen:
                twice.append(Message("'%(first)s' (column %(first_at)s) and '%(second)s' (column %(second_at)s)",
                                     first=self.header[seen[fold]], first_at=column_letter(seen[fold]),
                                     second=h, second_at=column_letter(i)))
            seen.setdefault(fold, i)
        if twice:
            raise ImportRefused(Message("%(file)s: the same column is named twice: %(twice)s. Keep one of each and "
                                        "import again. Nothing was changed.", file=self.name, twice=tuple(twice)))

    def _match(self, required, optional, one_of):
        self._duplicates(one_of)
        known = list(required) + list(optional) + [c for group in one_of for c in group]
        by_fold = {_folded(h): i for i, h in enumerate(self.header)}
        for alias, name in self.aliases.items():
            if _folded(alias) in by_fold and _folded(name) not in by_fold:
                by_fold[_folded(name)] = by_fold[_folded(alias)]
        columns = {c: by_fold.get(_folded(c)) for c in known}
        missing = [c for c in required if columns[c] is None]
        for group in one_of:
            if all(columns[c] is None for c in group):
                # TRANSLATORS: columns and last are names of columns, one of which the file must have.
                missing.append(Message("%(columns)s or %(last)s", columns=", ".join(group[:-1]), last=group[-1]))
        read = {_folded(c) for c in known} | {_folded(a) for a in self.aliases}
        unmatched = [h for h in self.header if _folded(h) not in read]
        misspelled = []
        for h in unmatched:
            close = difflib.get_close_matches(_folded(h), [_folded(c) for c in known], n=1, cutoff=0.8)
            if close:
                right = next(c for c in known if _folded(c) == close[0])
                misspelled.append(Message("'%(typed)s' (did you mean '%(known)s'?)", typed=h, known=right))
        if missing:
            self._refuse_other_separator()
        if missing and misspelled:
            raise ImportRefused(Message("%(file)s: missing column(s): %(missing)s; misspelled column(s): "
                                        "%(misspelled)s. Nothing was changed.", file=self.name,
                                        missing=tuple(missing), misspelled=tuple(misspelled)))
        if missing:
            raise ImportRefused(Message("%(file)s: missing column(s): %(missing)s. Nothing was changed.",
                                        file=self.name, missing=tuple(missing)))
        if misspelled:
            raise ImportRefused(Message("%(file)s: misspelled column(s): %(misspelled)s. Nothing was changed.",
                                        file=self.name, misspelled=tuple(misspelled)))
        self.ignored = [h for h in unmatched if h]  # named columns this import does not read
        return columns

    def _refuse_other_separator(self):
        """Refuse a file whose header is separated by semicolons or tabs rather than commas (as a
        spreadsheet saves "CSV" in a language writing decimal commas, or as "Text"): read with commas,
        its columns would all be missing, which names no mistake a person can see."""
        header = ",".join(self.header)
        commas = len(self.header) - 1
        if header.count(";") > commas:
            raise ImportRefused(Message(
                "%(file)s is separated by semicolons, not commas: save it as \"CSV UTF-8 (comma delimited)\" and "
                "import that file. Nothing was changed.", file=self.name))
        if header.count("\t") > commas:
            raise ImportRefused(Message(
                "%(file)s is separated by tabs, not commas: save it as \"CSV UTF-8 (comma delimited)\" and import "
                "that file. Nothing was changed.", file=self.name))

    def has(self, column):
        return self.columns.get(column) is not None

    def rows(self, report=None, first_line=0):
        """(row, cells) for each non-blank row, numbered as a spreadsheet shows it.
        A row of only commas or spaces (a spreadsheet's empty row) is skipped and,
        given a report, kept in its blank_rows (numbered from first_line on).
        Raises ImportRefused for a line break inside a value of a column not in
        `multiline` (see refuse_open_quote)."""
        row, limit, reader = 1, self.max_rows, self.reader
        ended = reader.line_num  # the line the last row read ended on
        with self.guarded(lambda: row + 1):
            for cells in reader:
                row += 1
                if reader.line_num - ended > 1:
                    self.refuse_open_quote(cells, ended + 1)
                ended = reader.line_num
                if any(cell.strip() for cell in cells):
                    if limit is not None and row - 1 > limit:
                        self.too_many_rows()
                    yield row, cells
                elif cells and report is not None:
                    report.blank_rows.append((self.name, row + first_line))

    def refuse_open_quote(self, cells, first_line):
        """Raise ImportRefused for the first value of cells (a row that began on
        first_line and ended on the reader's line) holding a line break where
        its column may hold none: a quote opened there and closed lines later,
        or never; the lines between were read into that one value."""
        last_line, line = self.reader.line_num, first_line
        for i, cell in enumerate(cells):
            breaks = cell.count("\n") + cell.count("\r") - cell.count("\r\n")
            if breaks and i not in self.multiline:
                break
            line += breaks
        else:
            return
        # its first line only: a header cell may itself be the one left open
        heading = (self.header[i].strip().splitlines() or [""])[0][:40] if i < len(self.header) else ""
        column = f"{column_letter(i)} ('{heading}')" if heading else column_letter(i)
        at_end = next(self.reader, None) is None and cell.endswith(("\n", "\r"))
        if at_end:
            raise ImportRefused(Message(
                "%(file)s: a quote opened on line %(line)s (column %(column)s) never closes, so every line after "
                "it would be read into that one value. Close the quote, or remove it, and import again. Nothing "
                "was changed.", file=self.name, line=str(line), column=column))
        raise ImportRefused(Message(
            "%(file)s: line %(line)s's value in column %(column)s runs into line %(next)s: a quote opened on line "
            "%(line)s closes only on line %(last)s, so those lines would be read as one row. A value in this "
            "column holds no line break; close the quote on line %(line)s and import again. Nothing was changed.",
            file=self.name, line=str(line), column=column, next=str(line + 1), last=str(last_line)))

    def too_many_rows(self):
        raise ImportRefused(plural_message(
            "%(file)s has more than %(num)d row, the most one import takes (FIELDAPP_IMPORT_MAX_ROWS). Split it, or "
            "ask for the limit to be raised. Nothing was changed.",
            "%(file)s has more than %(num)d rows, the most one import takes (FIELDAPP_IMPORT_MAX_ROWS). Split it, "
            "or ask for the limit to be raised. Nothing was changed.", self.max_rows, file=self.name,
            num=self.max_rows))

    @contextlib.contextmanager
    def guarded(self, row_now):
        """Decoding and CSV errors refuse the file, naming the row where they are."""
        try:
            yield
        except UnicodeDecodeError:
            row = self.row_of_bad_byte() or row_now()
            raise ImportRefused(Message("%(file)s is not UTF-8 text (row %(row)s); save it as CSV UTF-8 and import "
                                        "it again. Nothing was changed.", file=self.name, row=str(row))) from None
        except csv.Error as error:
            if "field larger than field limit" in str(error):  # the csv module's words for a cell too long
                raise ImportRefused(Message(
                    "%(file)s, row %(row)s: a cell holds more than %(limit)s characters, more than any column "
                    "of this import takes; check the file was exported as CSV. Nothing was changed.",
                    file=self.name, row=str(row_now()), limit=csv.field_size_limit())) from None
            raise ImportRefused(Message("%(file)s, row %(row)s: %(error)s. Nothing was changed.", file=self.name,
                                        row=str(row_now()), error=str(error))) from None

    def row_at(self, offset):
        """The spreadsheet row holding the byte at offset (None when the file
        cannot be read again)."""
        if not self.source.seekable():
            return None
        self.source.seek(0)
        prefix = self.source.read(offset).decode("utf-8-sig", errors="replace")
        try:
            records = sum(1 for _ in csv.reader(io.StringIO(prefix)))
        except csv.Error:
            records = prefix.count("\n")
        return records + 1 if not prefix or prefix.endswith("\n") else records

    def row_of_bad_byte(self):
        if not self.source.seekable():
            return None
        self.source.seek(0)
        try:
            self.source.read().decode("utf-8")
        except UnicodeDecodeError as error:
            return self.row_at(error.start)
        return None

    def cell(self, cells, column):
        i = self.columns.get(column)
        return cells[i].strip() if i is not None and i < len(cells) else ""


def _not_text(head, binary, name):
    """Why a file given as a CSV is another kind of file (a zip, a workbook, a
    PDF), said from its first bytes; None for anything else. Read as text,
    such a file would be refused for its first NUL byte, which names no
    mistake a person can see."""
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        if _is_workbook(binary):
            return Message("%(file)s is a spreadsheet workbook (such as Excel's .xlsx), not a CSV file: open it, "
                           "save it as \"CSV UTF-8\" and import that file. Nothing was changed.", file=name)
        return Message("%(file)s is a zip file, not a CSV file. A OneRoster roster comes as a zip: import it as a "
                       "roster. Otherwise unzip it and import the CSV file inside. Nothing was changed.", file=name)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return Message("%(file)s is an Excel 97-2003 workbook (.xls), not a CSV file: open it, save it as "
                       "\"CSV UTF-8\" and import that file. Nothing was changed.", file=name)
    if head.startswith(b"%PDF"):
        return Message("%(file)s is a PDF document, not a CSV file: export the data from the student information "
                       "system as CSV UTF-8 and import that file. Nothing was changed.", file=name)
    if head.startswith(b"\x1f\x8b"):
        return Message("%(file)s is a compressed (gzip) file, not a CSV file: uncompress it and import the CSV "
                       "file inside. Nothing was changed.", file=name)
    return None


def _is_workbook(binary):
    """Whether a zip holds a spreadsheet (an .xlsx or .ods), read from its list of members."""
    import zipfile
    if not binary.seekable():
        return False
    try:
        binary.seek(0)
        with zipfile.ZipFile(binary) as packed:
            names = packed.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        binary.seek(0)
    return any(n.startswith("xl/") for n in names) or "content.xml" in names and "mimetype" in names


class _Guard(io.RawIOBase):
    """The file's bytes, with already-read bytes put back in front, checked
    as they are read: no NUL byte (PostgreSQL stores no NUL in text), no
    more than max_bytes."""

    def __init__(self, head, rest, file, max_bytes):
        self.head, self.rest, self.file, self.max_bytes, self.read_so_far = head, rest, file, max_bytes, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        if self.head:
            n = min(len(buffer), len(self.head))
            buffer[:n], self.head = self.head[:n], self.head[n:]
            return n
        data = self.rest.read(len(buffer))
        at = data.find(b"\x00")
        if at >= 0:
            row = self.file.row_at(self.read_so_far + at)
            where = (Message("row %(row)s", row=str(row)) if row else
                     Message("byte %(num)d", num=self.read_so_far + at + 1))
            raise ImportRefused(Message("%(file)s holds a NUL byte (%(where)s), which is not text; export it again "
                                        "as CSV UTF-8. Nothing was changed.", file=self.file.name, where=where))
        self.read_so_far += len(data)
        if self.max_bytes is not None and self.read_so_far > self.max_bytes:
            raise ImportRefused(Message("%(file)s is larger than %(most)d MB once unpacked "
                                        "(FIELDAPP_IMPORT_MAX_UNZIPPED_MB). Nothing was changed.",
                                        file=self.file.name, most=self.max_bytes // 1_000_000))
        buffer[:len(data)] = data
        return len(data)
