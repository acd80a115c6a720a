"""Reading a district's CSV file: UTF-8 with or without a byte-order mark, columns checked by
name, rows numbered as a spreadsheet numbers them; a file that cannot be read as one is refused,
naming where."""
import codecs
import contextlib
import csv
import difflib
import io

from fieldapp.imports.csv_bytes import Guard, not_text
from fieldapp.imports.report import ImportRefused
from fieldapp.messages import Message, plural_message

UTF16_32 = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def cells_not_header(cells, width):
    """Why a row of cells cells is left out, its header having width."""
    return plural_message("has %(num)d cell where the header has %(width)d: check its commas and quotes",
                          "has %(num)d cells where the header has %(width)d: check its commas and quotes",
                          cells, num=cells, width=width)


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
        other_kind = not_text(head, binary, name)
        if other_kind:
            raise ImportRefused(other_kind)
        if binary.seekable():
            binary.seek(0)
            head = b""
        self.guard = Guard(head, binary, self, max_bytes)
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
