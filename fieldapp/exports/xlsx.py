"""XLSX of one sheet (and a sheet for each section), written row by row
into a ZIP file (fieldapp.exports.xlsx_book.Book, the sheet's XML deflated
as it comes), so memory stays flat however long the export; the finished
workbook is then sent in chunks and the file removed.

A workbook is a ZIP whose directory comes last, so nothing can be sent before
the last row is written: an XLSX export takes longer to start than a CSV one,
which is why the app writes it in a background job
(fieldapp.jobs.export_kinds) and CSV is the first button. A workbook of
BATCH rows or more is written by a process of its own while this one reads
the next rows: the two share the machine's cores. Writing the cells costs
about 1 s of CPU for 100,000 rows of twelve columns (XlsxWriter, used
before, took 4.4 s), less than reading and wording the rows (2 to 4 s)."""
import datetime
import decimal
import os
import pickle
import subprocess
import sys
import tempfile
from itertools import chain, islice

from fieldapp.exports.writers import FORMULA_STARTS
from fieldapp.exports.xlsx_book import Book

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
READ_SIZE = 64 * 1024
PROGRESS_EVERY = 1000  # rows between two reports of how far a workbook has gone
BATCH = 1000  # rows handed to the workbook at a time; a workbook of fewer is written in this process
BOOK_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "xlsx_book.py")
# The types of value a cell is written from as they are; any other is sent as its str().
PLAIN = frozenset((str, int, float, bool, decimal.Decimal, datetime.datetime, datetime.date, type(None)))


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
    is cut there; a float that is no number (NaN, infinity) is an error, as
    no cell holds one. written(n), when given, hears the rows
    handed to the workbook so far every PROGRESS_EVERY rows. Returns the rows
    written. More than BATCH rows are written by another process (see the
    module's docstring); RuntimeError when it fails, with its error."""
    rows = iter(rows)
    first = list(islice(rows, BATCH))
    with tempfile.TemporaryDirectory() as tmpdir:
        book = _BookProcess(path, tmpdir, FORMULA_STARTS) if len(first) == BATCH else Book(path, FORMULA_STARTS)
        try:
            book.add_sheet(sheet_name, header)
            count = _add_rows(book, chain(first, rows), written)
            for section in sections:
                if section.rows:
                    book.add_sheet(section.title, section.header)
                    book.add_rows([_plain(row) for row in section.rows])
            book.close()
        except BaseException:
            book.stop() if isinstance(book, _BookProcess) else book.discard()
            raise
    return count


def _plain(row):
    """row with each value of a type not in PLAIN as its str()."""
    return row if PLAIN.issuperset(map(type, row)) else [v if type(v) in PLAIN else str(v) for v in row]


def _add_rows(book, rows, written):
    """Hand rows to book BATCH at a time, telling written(n) every
    PROGRESS_EVERY rows; returns the rows handed."""
    batch, count = [], 0
    for count, row in enumerate(rows, 1):
        batch.append(_plain(row))
        report = written is not None and count % PROGRESS_EVERY == 0
        if report or len(batch) == BATCH:
            book.add_rows(batch)
            batch = []
        if report:
            written(count)
    if batch:
        book.add_rows(batch)
    return count


class _BookProcess:
    """A Book whose workbook is written by a process of its own
    (fieldapp/exports/xlsx_book.py run as a script), sent its arguments and
    rows pickled through a pipe: while it writes a batch, this process reads
    the next. The pipe holds little, so neither runs more than a batch or
    two ahead of the other and memory stays flat."""

    def __init__(self, path, tmpdir, formula_starts):
        self.errors = tempfile.TemporaryFile(dir=tmpdir)
        self.process = subprocess.Popen([sys.executable, "-P", BOOK_SCRIPT], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self.errors)
        self._send(path, formula_starts)

    def _send(self, *message):
        try:
            pickle.dump(message, self.process.stdin, pickle.HIGHEST_PROTOCOL)
            self.process.stdin.flush()
        except BrokenPipeError:  # it stopped: say why
            self._failed()

    def add_sheet(self, name, header):
        self._send("sheet", name, list(header))

    def add_rows(self, rows):
        self._send("rows", rows)

    def close(self):
        self._send("close")
        try:
            self.process.stdin.close()
        except BrokenPipeError:
            pass
        written = self.process.stdout.read()
        self.process.stdout.close()
        if self.process.wait() != 0:
            self._failed()
        self.errors.close()
        return int(written)

    def _failed(self):
        self.stop()
        self.errors.seek(0)
        said = self.errors.read().decode("utf-8", "replace").strip().splitlines()
        self.errors.close()
        raise RuntimeError(f"the XLSX writer stopped (exit {self.process.returncode}): "
                           f"{said[-1] if said else 'no message'}")

    def stop(self):
        """End the writing process, leaving no workbook: its input is closed
        (it exits), or it is killed if it has not within 10 s."""
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
