"""Writing rows as CSV (the stdlib csv module) or XLSX (XlsxWriter in its
constant-memory mode), a chunk at a time, so an export of any length is sent
while it is written and never held whole in memory."""
import csv
import datetime
import io
import os
import tempfile

import xlsxwriter

# A cell starting with one of these is read as a formula (or the start of
# one) by Excel, LibreOffice and Google Sheets; OWASP's advice is to quote it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ROWS_PER_CHUNK = 500
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_text(value):
    """Text a spreadsheet shows as written: a leading ' before a formula start."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat(sep=" ") if isinstance(value, datetime.datetime) else value.isoformat()
    return safe_text(str(value))


def csv_chunks(header, rows):
    """Yield the CSV file (UTF-8 with a byte-order mark, which spreadsheets
    need to read accented names) as bytes, ROWS_PER_CHUNK rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([safe_text(h) for h in header])
    for count, row in enumerate(rows, 1):
        writer.writerow([_csv_value(v) for v in row])
        if count % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _write_cell(sheet, r, c, value, formats):
    """Each cell by its type: text is always a string cell, never a formula,
    and text that looks like one carries Excel's quote prefix (the ' a person
    would type), so editing the cell does not turn it into one either."""
    if value is None or value == "":
        return
    if isinstance(value, bool):
        sheet.write_boolean(r, c, value)
    elif isinstance(value, (int, float)):
        sheet.write_number(r, c, value)
    elif isinstance(value, datetime.datetime):
        sheet.write_datetime(r, c, value, formats["time"])
    elif isinstance(value, datetime.date):
        sheet.write_datetime(r, c, datetime.datetime.combine(value, datetime.time()), formats["date"])
    else:
        text = str(value)
        if text.startswith(FORMULA_STARTS):
            sheet.write_string(r, c, text, formats["quoted"])
        else:
            sheet.write_string(r, c, text)


def xlsx_chunks(header, rows, sheet_name="Export", chunk_size=64 * 1024):
    """Yield an XLSX workbook of one sheet as bytes. XlsxWriter's constant
    memory mode flushes each row to a temporary file as it is written; the
    finished file is then read back in chunks and removed."""
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        book = xlsxwriter.Workbook(path, {"constant_memory": True, "tmpdir": tempfile.gettempdir()})
        sheet = book.add_worksheet(sheet_name[:31])
        bold = book.add_format({"bold": True})
        formats = {"date": book.add_format({"num_format": "yyyy-mm-dd"}),
                   "time": book.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
                   "quoted": book.add_format({"quote_prefix": True})}
        for c, title in enumerate(header):
            sheet.write_string(0, c, title, bold)
        for r, row in enumerate(rows, 1):
            for c, value in enumerate(row):
                _write_cell(sheet, r, c, value, formats)
        book.close()
        with open(path, "rb") as f:
            while chunk := f.read(chunk_size):
                yield chunk
    finally:
        os.unlink(path)
