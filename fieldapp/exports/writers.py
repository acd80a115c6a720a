"""Writing rows as CSV (the stdlib csv module), a chunk at a time, so an
export of any length is sent while it is written and never held whole in
memory; fieldapp.exports.xlsx writes XLSX in flat memory."""
import csv
import datetime
import io

# A cell starting with one of these is read as a formula (or the start of
# one) by Excel, LibreOffice and Google Sheets; OWASP's advice is to quote it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ROWS_PER_CHUNK = 500
CSV_TYPE = "text/csv"  # Flask adds "; charset=utf-8" to text types


def safe_text(value):
    """Text a spreadsheet shows as written: a leading ' before a formula start."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _csv_value(value, say_decimal=None):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and say_decimal is not None:
        return say_decimal(value)
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (datetime.date, datetime.datetime)):
        # to the second: a stored time's microseconds mean nothing to a reader
        return value.strftime("%Y-%m-%d %H:%M:%S") if isinstance(value, datetime.datetime) else value.isoformat()
    return safe_text(str(value))


def csv_chunks(header, rows, sections=(), say_decimal=None):
    """Yield the CSV file (UTF-8 with a byte-order mark, which spreadsheets
    need to read accented names) as bytes, ROWS_PER_CHUNK rows at a time.
    After the rows, each of sections (fieldapp.exports.datasets.Section)
    that has rows follows an empty line: its title, its header, its rows.
    say_decimal (float -> str) writes a share as the reader's language does
    ("9,9" in Spanish, where a spreadsheet reads "9.9" as text or a date)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([safe_text(h) for h in header])
    for count, row in enumerate(rows, 1):
        writer.writerow([_csv_value(v, say_decimal) for v in row])
        if count % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    for section in sections:
        if section.rows:
            writer.writerows([[], [safe_text(section.title)], [safe_text(h) for h in section.header]])
            writer.writerows([_csv_value(v, say_decimal) for v in row] for row in section.rows)
    yield buffer.getvalue().encode("utf-8")
