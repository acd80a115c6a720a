"""The XlsxWriter workbook of an XLSX export (fieldapp.exports.xlsx), and
the process that writes one from rows sent to it.

Run as a script (python -P xlsx_book.py) it reads pickled messages on its
standard input, as _BookProcess in fieldapp.exports.xlsx sends them: the
Book's arguments, then ("sheet", name, header) and ("rows", [row, ...])
in turn, then ("close",); it writes the workbook, prints the rows written
of the first sheet and exits 0. At the end of its input without "close"
(the sender stopped) it writes nothing and exits 1. It imports XlsxWriter
and the standard library only: the app's rows are read, and put in its
users' words, by the process that sends them."""
import datetime
import decimal
import pickle
import sys

import xlsxwriter


class Book:
    """An XLSX workbook written by XlsxWriter in its constant-memory mode:
    each row goes to a temporary file (in tmpdir) as soon as the next one
    starts, so memory stays flat however long the sheet.

    path: where the workbook is written (by close). formula_starts: the
    starts of text a spreadsheet takes for a formula
    (fieldapp.exports.writers.FORMULA_STARTS). Cells are written as
    fieldapp.exports.xlsx.write_xlsx says."""

    def __init__(self, path, tmpdir, formula_starts):
        self.book = xlsxwriter.Workbook(path, {
            "constant_memory": True, "tmpdir": tmpdir, "remove_timezone": True,
            # Text is text: no formula, number or link is made of it.
            "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False})
        self.bold = self.book.add_format({"bold": True})
        self.day = self.book.add_format({"num_format": "yyyy-mm-dd"})
        self.moment = self.book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        self.quoted = self.book.add_format({"quote_prefix": True})
        self.formula_starts = tuple(formula_starts)
        self.sheet, self.row, self.counts = None, 0, []

    def add_sheet(self, name, header):
        """Start a sheet called name (cut to Excel's 31 characters) with
        header (strings) in bold on its first row."""
        self.sheet, self.row = self.book.add_worksheet(name[:31]), 0
        for c, title in enumerate(header):
            self.sheet.write_string(0, c, title, self.bold)
        self.counts.append(0)

    def add_rows(self, rows):
        """Write rows (lists of values) after the sheet's last."""
        sheet, day, moment, quoted, starts = self.sheet, self.day, self.moment, self.quoted, self.formula_starts
        write_string, write_number, write_datetime = sheet.write_string, sheet.write_number, sheet.write_datetime
        r = self.row
        for r, row in enumerate(rows, r + 1):
            for c, value in enumerate(row):
                kind = type(value)
                if value is None or value == "":
                    continue
                if kind is str:
                    write_string(r, c, value, quoted if value.startswith(starts) else None)
                elif kind is int or kind is float:
                    write_number(r, c, value)
                elif kind is datetime.datetime:
                    write_datetime(r, c, value, moment)
                elif kind is datetime.date:
                    write_datetime(r, c, value, day)
                elif kind is bool:
                    sheet.write_boolean(r, c, value)
                elif kind is decimal.Decimal:
                    write_number(r, c, float(value))
                else:
                    text = str(value)
                    write_string(r, c, text, quoted if text.startswith(starts) else None)
        self.counts[-1] += r - self.row
        self.row = r

    def close(self):
        """Write the workbook to its path. Returns the rows of its first sheet."""
        self.book.close()
        return self.counts[0] if self.counts else 0


def main(stdin, stdout):
    """Write the workbook sent on stdin (see the module's docstring); the
    rows of its first sheet are printed on stdout. Returns the exit code."""
    book = Book(*pickle.load(stdin))
    while True:
        try:
            message = pickle.load(stdin)
        except EOFError:
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
