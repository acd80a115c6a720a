"""XLSX of one sheet, written by XlsxWriter in its constant-memory mode: each
row goes to a temporary file as soon as the next one starts, so memory stays
flat however long the export; the finished workbook is then sent in chunks
and the file removed.

A workbook is a ZIP whose directory comes last, so nothing can be sent before
the last row is written: an XLSX export takes longer to start than a CSV one
(about 19 s of CPU per 100,000 rows of 15 columns on the bench machine,
see bench/bench_exports.py), which is why the app writes it in a background
job (fieldapp.jobs.export_kinds) and CSV is the first button."""
import datetime
import decimal
import os
import tempfile

import xlsxwriter

from fieldapp.exports.writers import FORMULA_STARTS

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
READ_SIZE = 64 * 1024
PROGRESS_EVERY = 1000  # rows between two reports of how far a workbook has gone


def xlsx_chunks(header, rows, sheet_name="Export", sections=()):
    """Yield the workbook of write_xlsx as bytes, READ_SIZE at a time, once
    it is whole (its temporary file removed after)."""
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        write_xlsx(path, header, rows, sheet_name, sections=sections)
        with open(path, "rb") as f:
            while chunk := f.read(READ_SIZE):
                yield chunk
    finally:
        os.unlink(path)


def write_xlsx(path, header, rows, sheet_name="Export", written=None, sections=()):
    """Write an XLSX workbook to path: a sheet of header (strings) in bold
    on the first row, then rows (an iterable of lists); then a sheet for each
    of sections (fieldapp.exports.datasets.Section) that has rows, named by
    its title, of its header and rows. Values: None or ""
    leave the cell empty; str is always a text cell, never a formula, and
    text that a spreadsheet would take for one (FORMULA_STARTS) carries the
    quote prefix, the ' a person types, so editing it does not make it one;
    bool, int, float and Decimal are booleans and numbers; date and datetime
    are dates (an aware datetime is written as its wall-clock time). Anything
    else is written as its str(). Text past 32,767 characters, a cell's limit,
    is cut there by XlsxWriter. written(n), when given, hears the rows
    written so far every PROGRESS_EVERY rows. Returns the rows written."""
    book = xlsxwriter.Workbook(path, {
        "constant_memory": True, "tmpdir": tempfile.gettempdir(), "remove_timezone": True,
        # Text is text: no formula, number or link is made of it.
        "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False})
    formats = {"bold": book.add_format({"bold": True}), "day": book.add_format({"num_format": "yyyy-mm-dd"}),
               "moment": book.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
               "quoted": book.add_format({"quote_prefix": True})}
    count = _write_sheet(book.add_worksheet(sheet_name[:31]), formats, header, rows, written)
    for section in sections:
        if section.rows:
            _write_sheet(book.add_worksheet(section.title[:31]), formats, section.header, section.rows)
    book.close()
    return count


def _write_sheet(sheet, formats, header, rows, written=None):
    """header in bold, then rows, as write_xlsx says; returns the rows written."""
    day, moment, quoted = formats["day"], formats["moment"], formats["quoted"]
    for c, title in enumerate(header):
        sheet.write_string(0, c, title, formats["bold"])
    r = 0
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row):
            kind = type(value)
            if value is None or value == "":
                continue
            if kind is str:
                sheet.write_string(r, c, value, quoted if value.startswith(FORMULA_STARTS) else None)
            elif kind is bool:
                sheet.write_boolean(r, c, value)
            elif kind is int or kind is float:
                sheet.write_number(r, c, value)
            elif kind is decimal.Decimal:
                sheet.write_number(r, c, float(value))
            elif kind is datetime.datetime:
                sheet.write_datetime(r, c, value, moment)
            elif kind is datetime.date:
                sheet.write_datetime(r, c, value, day)
            else:
                text = str(value)
                sheet.write_string(r, c, text, quoted if text.startswith(FORMULA_STARTS) else None)
        if written is not None and r % PROGRESS_EVERY == 0:
            written(r)
    return r
