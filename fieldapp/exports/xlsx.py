"""XLSX of one sheet, streamed: SpreadsheetML (ECMA-376 Part 1, section 18)
written row by row into a ZIP stream, so the first bytes leave while the
rows are still being read and no file, in memory or on disk, holds the
export whole.

Why not XlsxWriter: even in its constant-memory mode it spends about a dozen
Python calls on every cell (checks, a cell object, its own XML writer), 19 s
of CPU per 100,000 rows of 15 columns on the bench machine, past the export
budget of 10 s; a row here is one string join (see bench/bench_desk.py).
The ZIP is the stdlib's, which writes to a stream it cannot seek."""
import datetime
import decimal
import re
import zipfile

from fieldapp.exports.writers import FORMULA_STARTS, ROWS_PER_CHUNK

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_TEXT = 32767  # characters a cell holds (Excel's specifications and limits)
EPOCH = datetime.datetime(1899, 12, 30)  # day 0 of the 1900 date system, as Excel counts it
# Characters XML 1.0 cannot carry, written as Excel's own _xHHHH_ escape.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # what _escaped changes
# Style indexes in styles.xml below.
DATE, DATE_TIME, AS_TYPED, HEADER = 1, 2, 3, 4
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
PARTS = {  # the parts of the package that do not depend on the rows
    "[Content_Types].xml": (
        DECLARATION + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '</Types>'),
    "_rels/.rels": (
        DECLARATION + '<Relationships xmlns="' + RELATIONSHIPS + '">'
        '<Relationship Id="rId1" Target="xl/workbook.xml" Type="' + OFFICE + '/officeDocument"/></Relationships>'),
    "xl/_rels/workbook.xml.rels": (
        DECLARATION + '<Relationships xmlns="' + RELATIONSHIPS + '">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="' + OFFICE + '/worksheet"/>'
        '<Relationship Id="rId2" Target="styles.xml" Type="' + OFFICE + '/styles"/></Relationships>'),
    # Cell styles by index: 0 plain, DATE, DATE_TIME, AS_TYPED (quotePrefix: the
    # ' a person types before = so that it stays text), HEADER (bold).
    "xl/styles.xml": (
        DECLARATION + '<styleSheet xmlns="' + MAIN + '">'
        '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/>'
        '<numFmt numFmtId="165" formatCode="yyyy\\-mm\\-dd\\ hh:mm"/></numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        '</styleSheet>'),
}


def _workbook(sheet_name):
    return (DECLARATION + f'<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}"><sheets>'
            f'<sheet name="{_escaped(sheet_name[:31])}" sheetId="1" r:id="rId1"/></sheets></workbook>')


def _escaped(text):
    """Text as XML character data that reads back exactly: a carriage return
    as a character reference (a parser turns a bare one into a line feed)."""
    if not SPECIAL.search(text):  # most cells: nothing to do
        return text
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    return NOT_XML.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def column_letters(count):
    """['A', 'B', ..., 'Z', 'AA', ...]: the names of the first `count` columns."""
    names = []
    for n in range(1, count + 1):
        name = ""
        while n:
            n, rest = divmod(n - 1, 26)
            name = chr(65 + rest) + name
        names.append(name)
    return names


def _cell(ref, value):
    """One <c> element. Text is always an inline string, never a formula
    (no <f> is ever written), and text that a spreadsheet would take for one
    carries the quote prefix, so editing the cell does not turn it into one."""
    kind = type(value)
    if kind is str:
        style = f' s="{AS_TYPED}"' if value.startswith(FORMULA_STARTS) else ""
        text = _escaped(value if len(value) <= MAX_TEXT else value[:MAX_TEXT])
        return f'<c r="{ref}" t="inlineStr"{style}><is><t xml:space="preserve">{text}</t></is></c>'
    if kind is int or kind is float or kind is decimal.Decimal:
        return f'<c r="{ref}"><v>{value}</v></c>'
    if kind is bool:
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if kind is datetime.datetime:
        serial = ((value if value.tzinfo is None else value.replace(tzinfo=None)) - EPOCH).total_seconds() / 86400
        return f'<c r="{ref}" s="{DATE_TIME}"><v>{serial!r}</v></c>'
    if kind is datetime.date:
        return f'<c r="{ref}" s="{DATE}"><v>{(value - EPOCH.date()).days}</v></c>'
    return _cell(ref, str(value))


def _row(number, letters, values):
    cells = [_cell(f"{letter}{number}", value)
             for letter, value in zip(letters, values) if value is not None and value != ""]
    return f'<row r="{number}">{"".join(cells)}</row>'


class _Pipe:
    """The file the ZIP is written into: it keeps what was written until
    take() hands it over."""

    def __init__(self):
        self.parts = []

    def write(self, data):
        self.parts.append(bytes(data))
        return len(data)

    def flush(self):
        pass

    def take(self):
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def xlsx_chunks(header, rows, sheet_name="Export"):
    """Yield an XLSX workbook of one sheet as bytes, ROWS_PER_CHUNK rows at a
    time: header (strings) in bold on the first row, then rows (an iterable
    of lists) as they come. Values: None or "" leave the cell empty; str is
    text; bool, int, float and Decimal are numbers or booleans; date and
    datetime (naive, local) are dates. Anything else is written as its str().
    Text past 32,767 characters (a cell's limit) is cut there."""
    pipe = _Pipe()
    letters = column_letters(len(header))
    # Deflate at its fastest level: a file about a third larger, for a
    # fraction of the CPU of the default level.
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for name, text in PARTS.items():
            book.writestr(name, text)
        book.writestr("xl/workbook.xml", _workbook(sheet_name))
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
            titles = "".join(f'<c r="{letter}1" t="inlineStr" s="{HEADER}"><is><t>{_escaped(title)}</t></is></c>'
                             for letter, title in zip(letters, header))
            sheet.write(f'{DECLARATION}<worksheet xmlns="{MAIN}"><sheetData><row r="1">{titles}</row>'.encode())
            lines = []
            for number, values in enumerate(rows, 2):
                lines.append(_row(number, letters, values))
                if len(lines) == ROWS_PER_CHUNK:
                    sheet.write("".join(lines).encode())
                    lines.clear()
                    if chunk := pipe.take():
                        yield chunk
            sheet.write(("".join(lines) + "</sheetData></worksheet>").encode())
    yield pipe.take()
