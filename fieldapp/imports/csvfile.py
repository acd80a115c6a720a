"""Reading a district's CSV files: UTF-8 with or without a byte-order mark,
columns checked by name, rows numbered as a spreadsheet numbers them, and
every problem kept with its file and line."""
import codecs
import contextlib
import csv
import difflib
import io
import json
from dataclasses import dataclass, field

MAX_KEPT_PROBLEMS = 1000
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

    def problem(self, file, line, reason):
        """Note a row problem; the row is left out (or the file refused)."""
        self.problem_count += 1
        self.bad_lines.add((file, line))
        if len(self.problems) < MAX_KEPT_PROBLEMS:
            self.problems.append([file, line, reason])

    def add(self, name, n=1):
        if n:
            self.counts[name] = self.counts.get(name, 0) + n

    def refuse(self, message):
        self.applied, self.message = False, message
        return self

    @property
    def rows_rejected(self):
        return len(self.bad_lines)

    @property
    def outcome(self):
        if not self.applied:
            return "refused"
        return "applied_with_skips" if self.problem_count else "applied"

    def may_apply(self):
        """Apply when nothing is wrong, or when told to skip the bad rows."""
        if self.problem_count and not self.skip_bad_rows:
            self.refuse(f"{self.problem_count:,} row problem(s); nothing was changed. Fix them, "
                        "or import again skipping bad rows to apply the rest.")
            return False
        return True

    def counts_json(self):
        return json.dumps(self.counts)


def _folded(name):
    return "".join(ch for ch in name.lower() if ch.isalnum())


class CsvFile:
    """One CSV file: `columns` maps each known column to a position (or None
    when absent); rows() yields (line number, list of cells)."""

    def __init__(self, binary, name, required, optional=(), one_of=()):
        self.name = name
        head = binary.read(4)
        if any(head.startswith(bom) for bom in UTF16_32):
            raise ImportRefused(f"{name} is UTF-16 or UTF-32 text; save it as CSV UTF-8 and import it again.")
        if binary.seekable():
            binary.seek(0)
            stream = binary
        else:
            stream = io.BufferedReader(_Prepend(head, binary))
        self.text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        self.reader = csv.reader(self.text)
        self.header = self._header()
        self.columns = self._match(required, optional, one_of)
        self.width = len(self.header)

    def _header(self):
        try:
            header = next(self.reader, None)
        except UnicodeDecodeError:
            raise ImportRefused(f"{self.name} is not UTF-8 text (line 1); save it as CSV UTF-8 "
                                "and import it again.") from None
        except csv.Error as error:
            raise ImportRefused(f"{self.name}, line 1: {error}") from None
        if not header or not any(cell.strip() for cell in header):
            raise ImportRefused(f"{self.name} is empty: the first line must name the columns.")
        return [cell.strip() for cell in header]

    def _match(self, required, optional, one_of):
        known = list(required) + list(optional) + [c for group in one_of for c in group]
        by_fold = {_folded(h): i for i, h in enumerate(self.header)}
        columns = {c: by_fold.get(_folded(c)) for c in known}
        missing = [c for c in required if columns[c] is None]
        for group in one_of:
            if all(columns[c] is None for c in group):
                missing.append(" or ".join(group))
        unmatched = [h for h in self.header if _folded(h) not in {_folded(c) for c in known}]
        misspelled = []
        for h in unmatched:
            close = difflib.get_close_matches(_folded(h), [_folded(c) for c in known], n=1, cutoff=0.8)
            if close:
                right = next(c for c in known if _folded(c) == close[0])
                misspelled.append(f"'{h}' (did you mean '{right}'?)")
        if missing or misspelled:
            parts = []
            if missing:
                parts.append("missing column(s): " + ", ".join(missing))
            if misspelled:
                parts.append("misspelled column(s): " + ", ".join(misspelled))
            raise ImportRefused(f"{self.name}: " + "; ".join(parts) + ". Nothing was changed.")
        return columns

    def has(self, column):
        return self.columns.get(column) is not None

    def rows(self):
        """(line, cells) for each non-blank row; the line is where the row starts."""
        reader, line = self.reader, 1
        try:
            for cells in reader:
                start, line = line + 1, reader.line_num
                if len(cells) > 1 or (cells and cells[0].strip()):
                    yield start, cells
        except UnicodeDecodeError:
            raise ImportRefused(f"{self.name} is not UTF-8 text (near line {line + 1}); save it as "
                                "CSV UTF-8 and import it again. Nothing was changed.") from None
        except csv.Error as error:
            raise ImportRefused(f"{self.name}, line {line + 1}: {error}. Nothing was changed.") from None

    @contextlib.contextmanager
    def guarded(self):
        """For loops over self.reader itself: decoding and CSV errors refuse the file."""
        try:
            yield
        except UnicodeDecodeError:
            raise ImportRefused(f"{self.name} is not UTF-8 text (near line {self.reader.line_num + 1}); "
                                "save it as CSV UTF-8 and import it again. Nothing was changed.") from None
        except csv.Error as error:
            raise ImportRefused(f"{self.name}, line {self.reader.line_num}: {error}. "
                                "Nothing was changed.") from None

    def cell(self, cells, column):
        i = self.columns.get(column)
        return cells[i].strip() if i is not None and i < len(cells) else ""


class _Prepend(io.RawIOBase):
    """A binary stream with some already-read bytes put back in front."""

    def __init__(self, head, rest):
        self.head, self.rest = head, rest

    def readable(self):
        return True

    def readinto(self, buffer):
        if self.head:
            n = min(len(buffer), len(self.head))
            buffer[:n], self.head = self.head[:n], self.head[n:]
            return n
        data = self.rest.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)
