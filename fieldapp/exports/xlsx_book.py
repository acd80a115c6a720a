"""The workbook of an XLSX export (fieldapp.exports.xlsx), and the process
that writes one from rows sent to it.

Book writes the sheets' XML itself, a row at a time, into a ZIP written as
it goes (the standard library's zipfile, each sheet deflated as a stream),
so memory stays flat however long the sheet. XlsxWriter, used before,
spent about 4 microseconds of CPU on each cell (checks, a cell object and a
temporary file per row in its constant-memory mode): 4.4 s for 100,000 rows
of twelve columns, as much as reading and wording them. This writes the
same cells, styles and inline strings in 1.1 s (0.3 s of it deflating).

Run as a script (python -P xlsx_book.py) it reads pickled messages on its
standard input, as _BookProcess in fieldapp.exports.xlsx sends them: the
Book's arguments, then ("sheet", name, header) and ("rows", [row, ...])
in turn, then ("close",); it writes the workbook, prints the rows written
of the first sheet and exits 0. At the end of its input without "close"
(the sender stopped) it stops writing and exits 1. It imports the
standard library only: the app's rows are read, and put in its users'
words, by the process that sends them."""
import datetime
import decimal
import math
import pickle
import re
import sys
import zipfile
from xml.sax.saxutils import quoteattr

TEXT_LIMIT = 32767  # characters a cell holds; Excel refuses a file with more
COMPRESS_LEVEL = 6  # zlib's fastest: the sheet's XML repeats itself, 1 packs it nearly as well as 6
SHEET_ROWS = 1_048_576  # rows a sheet holds, its header included; Excel refuses a file with more
# Excel's day 0 for dates from 1 March 1900. Excel counts a 29 February 1900
# that never was (serial 60, kept from Lotus 1-2-3), so a day before it is
# one less than this epoch gives; a day before 1 January 1900 has no serial
# and is written as text (ISO).
EPOCH = datetime.datetime(1899, 12, 30)
EPOCH_DAY = EPOCH.toordinal()
FIRST_TRUE_SERIAL = 61  # 1 March 1900
# What XML cannot carry as it is: the markup characters, and the control
# characters other than tab and newline and the two non-characters, which
# are written as Excel's _xHHHH_ escape; so text that reads as one such
# escape has its underscore escaped (_x005F_), as Excel writes it, or Excel
# would show it as the character.
NEEDS_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
ESCAPE_LIKE = re.compile(r"(_x[0-9A-Fa-f]{4}_)")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")
BAD_IN_NAME = re.compile(r"[\[\]:*?/\\\x00-\x1f]")  # in a sheet's name
# Styles (cellXfs) by index: plain, bold header, quote prefix, date, date and time.
BOLD, QUOTED, DAY, MOMENT = 1, 2, 3, 4

HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STYLES = (
    f'{HEAD}<styleSheet xmlns="{MAIN}"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/></numFmts><fonts count="2">'
    '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')
SHEET_START = (f'{HEAD}<worksheet xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheetViews><sheetView{{selected}} '
               'workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/><sheetData>')
SHEET_END = ('</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
             '</worksheet>')


def _column_letters(n):
    """The letters of the first n columns: A, B, ... Z, AA, AB, ..."""
    letters = []
    for i in range(n):
        name, i = "", i + 1
        while i:
            i, rest = divmod(i - 1, 26)
            name = chr(65 + rest) + name
        letters.append(name)
    return letters


def _escaped(text):
    """text as XML character data, its control characters as _xHHHH_
    (see NEEDS_ESCAPE)."""
    text = ESCAPE_LIKE.sub(r"_x005F\1", text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
    return CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


class Book:
    """An XLSX workbook written to path as its rows come: each sheet's XML
    is deflated into the file row by row, the workbook's own parts are
    added by close. formula_starts: the starts of text a spreadsheet takes
    for a formula (fieldapp.exports.writers.FORMULA_STARTS). Cells are
    written as fieldapp.exports.xlsx.write_xlsx says."""

    def __init__(self, path, formula_starts, sheet_rows=SHEET_ROWS):
        self.zip = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL)
        self.formula_starts = tuple(formula_starts)
        self.names, self.counts, self.stream, self.row, self.letters = [], [], None, 0, []
        self.sheet_rows = sheet_rows
        self.parts = []  # for each sheet, the index of the sheet it continues (its own when it starts one)
        self.header = []

    def add_sheet(self, name, header, continues=None):
        """Start a sheet called name with header (strings) in bold on its
        first row. Excel opens no workbook whose sheet names have one of
        []:*?/\\ or more than 31 characters, or two alike: those characters
        become spaces, the name is cut, and a repeated name is numbered.
        continues: the index of the sheet whose rows this one goes on with."""
        self._end_sheet()
        self.parts.append(len(self.names) if continues is None else continues)
        self.header = list(header)
        base = name = BAD_IN_NAME.sub(" ", name).strip("' ")[:31] or "Sheet"
        taken = {n.casefold() for n in self.names}
        for n in range(2, len(self.names) + 2):
            if name.casefold() not in taken:
                break
            name = f"{base[:31 - len(f' ({n})')]} ({n})"
        self.names.append(name)
        self.counts.append(0)
        self.stream = self.zip.open(f"xl/worksheets/sheet{len(self.names)}.xml", "w")
        self.letters = _column_letters(max(len(header), 26))
        self.stream.write(SHEET_START.format(selected=' tabSelected="1"' if len(self.names) == 1 else "").encode())
        self.row = 0
        self._write([header], BOLD)

    def add_rows(self, rows):
        """Write rows (lists of values) after the sheet's last. A sheet holds
        SHEET_ROWS rows at most (Excel opens no file with more): the rows
        past them go on in a sheet of their own after it, named as it is
        and numbered, under the same header."""
        while rows:
            room = self.sheet_rows - self.row
            if room <= 0:
                self.add_sheet(self.names[self.parts[-1]], self.header, continues=self.parts[-1])
                continue
            part, rows = (rows, []) if len(rows) <= room else (rows[:room], rows[room:])
            before = self.row
            self._write(part)
            self.counts[-1] += self.row - before

    def _write(self, rows, text_style=0):
        parts = []
        add = parts.append
        starts, needs_escape, letters = self.formula_starts, NEEDS_ESCAPE.search, self.letters
        plain = f' s="{text_style}"' if text_style else ""
        r = self.row
        for r, row in enumerate(rows, r + 1):
            if len(row) > len(letters):
                letters = self.letters = _column_letters(len(row))
            add(f'<row r="{r}">')
            for c, value in enumerate(row):
                kind = type(value)
                if kind is str:
                    if not value:
                        continue
                elif value is None:
                    continue
                elif kind is int:
                    add(f'<c r="{letters[c]}{r}"><v>{value}</v></c>')
                    continue
                elif kind is float or kind is decimal.Decimal:
                    number = float(value)
                    if not math.isfinite(number):
                        raise ValueError(f"NAN/INF is no number a spreadsheet holds: {value!r} in row {r}")
                    add(f'<c r="{letters[c]}{r}"><v>{number!r}</v></c>')
                    continue
                elif kind is datetime.datetime:
                    # an aware time: its wall clock; to the second, as the CSV of the same list writes it (a
                    # fraction of a second, a moment before a minute's end, read back as the next minute)
                    delta = value.replace(tzinfo=None, microsecond=0) - EPOCH
                    serial = delta.days + delta.seconds / 86400
                    if serial < FIRST_TRUE_SERIAL:  # before Excel's 29 February 1900 (see EPOCH)
                        serial -= 1
                        if serial < 1:
                            value = value.replace(tzinfo=None).isoformat(" ", "minutes")
                            add(f'<c r="{letters[c]}{r}"{plain} t="inlineStr"><is><t>{value}</t></is></c>')
                            continue
                    add(f'<c r="{letters[c]}{r}" s="{MOMENT}"><v>{serial!r}</v></c>')
                    continue
                elif kind is datetime.date:
                    serial = value.toordinal() - EPOCH_DAY
                    if serial < FIRST_TRUE_SERIAL:  # before Excel's 29 February 1900 (see EPOCH)
                        serial -= 1
                        if serial < 1:
                            add(f'<c r="{letters[c]}{r}"{plain} t="inlineStr"><is><t>{value.isoformat()}</t></is></c>')
                            continue
                    add(f'<c r="{letters[c]}{r}" s="{DAY}"><v>{serial}</v></c>')
                    continue
                elif kind is bool:
                    add(f'<c r="{letters[c]}{r}" t="b"><v>{int(value)}</v></c>')
                    continue
                else:
                    value = str(value)
                    if not value:
                        continue
                if len(value) > TEXT_LIMIT:
                    value = value[:TEXT_LIMIT]
                style = f' s="{QUOTED}"' if value.startswith(starts) else plain
                if needs_escape(value):
                    value = _escaped(value)
                add(f'<c r="{letters[c]}{r}"{style} t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>')
            add("</row>")
        self.row = r
        self.stream.write("".join(parts).encode())

    def _end_sheet(self):
        if self.stream is not None:
            self.stream.write(SHEET_END.encode())
            self.stream.close()
            self.stream = None

    def close(self):
        """Finish the workbook at its path. Returns the rows of its first
        sheet (with the sheets that continue it)."""
        if not self.names:
            self.add_sheet("Sheet1", [])
        self._end_sheet()
        sheets = range(1, len(self.names) + 1)
        part = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        self.zip.writestr("[Content_Types].xml", (
            f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{part}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{part}.styles+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{part}.worksheet+xml"/>'
                      for i in sheets) + "</Types>"))
        self.zip.writestr("_rels/.rels", (
            f'{HEAD}<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        self.zip.writestr("xl/workbook.xml", (
            f'{HEAD}<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><bookViews><workbookView/></bookViews><sheets>'
            + "".join(f'<sheet name={quoteattr(name)} sheetId="{i}" r:id="rId{i}"/>'
                      for i, name in zip(sheets, self.names)) + "</sheets></workbook>"))
        self.zip.writestr("xl/_rels/workbook.xml.rels", (
            f'{HEAD}<Relationships xmlns="{RELS}">'
            + "".join(f'<Relationship Id="rId{i}" Type="{DOC_RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                      for i in sheets)
            + f'<Relationship Id="rId{len(self.names) + 1}" Type="{DOC_RELS}/styles" Target="styles.xml"/>'
            "</Relationships>"))
        self.zip.writestr("xl/styles.xml", STYLES)
        self.zip.close()
        return sum(n for n, part in zip(self.counts, self.parts) if part == 0)

    def discard(self):
        """Stop writing, leaving the unfinished file at path (its caller's,
        who removes it)."""
        try:
            if self.stream is not None:
                self.stream.close()
        finally:
            self.zip.close()


def main(stdin, stdout):
    """Write the workbook sent on stdin (see the module's docstring); the
    rows of its first sheet are printed on stdout. Returns the exit code."""
    book = Book(*pickle.load(stdin))
    while True:
        try:
            message = pickle.load(stdin)
        except EOFError:
            book.discard()
            return 1  # the sender stopped: no workbook
        if message[0] == "rows":
            book.add_rows(message[1])
        elif message[0] == "sheet":
            book.add_sheet(message[1], message[2])
        else:
            stdout.write(f"{book.close()}\n")
            return 0


if __name__ == "__main__":
    sys.exit(main(sys.stdin.buffer, sys.stdout))
