"""The workbook writer (fieldapp/exports/xlsx_book.py) writes what Excel
reads as written: a date before 1 March 1900 on its own day (Excel counts a
29 February 1900 that never was), one before 1900 as text, and no sheet of
more rows than Excel opens, the rest going on in a sheet after it. Read back
with openpyxl, which counts days as Excel does."""
import datetime

import openpyxl

from fieldapp.exports.writers import FORMULA_STARTS
from fieldapp.exports.xlsx_book import Book
from fieldapp.exports.xlsx import write_xlsx


def test_dates_before_march_1900_read_back_on_their_own_day(tmp_path):
    days = [datetime.date(1900, 1, 1), datetime.date(1900, 2, 28), datetime.date(1900, 3, 1),
            datetime.date(1899, 12, 31), datetime.date(1850, 6, 1), datetime.date(2025, 9, 2)]
    moments = [datetime.datetime(1900, 1, 1, 8, 30), datetime.datetime(1900, 2, 28, 23, 59),
               datetime.datetime(1900, 3, 1, 0, 0), datetime.datetime(1899, 12, 31, 12, 0)]
    path = tmp_path / "days.xlsx"
    write_xlsx(str(path), ["day", "moment"], [[day, moments[i] if i < len(moments) else None]
                                              for i, day in enumerate(days)], "Days")
    sheet = openpyxl.load_workbook(path)["Days"]
    read = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    as_days = [value.date() if isinstance(value, datetime.datetime) else value for value, _ in read]
    assert as_days[:3] == days[:3] and as_days[5] == days[5]
    assert as_days[3:5] == ["1899-12-31", "1850-06-01"]  # no day of Excel's: as text, never a wrong day
    assert [moment for _, moment in read[:3]] == moments[:3]
    assert read[3][1] == "1899-12-31 12:00"


def test_a_sheet_past_excels_rows_goes_on_in_a_sheet_after_it(tmp_path):
    path = tmp_path / "long.xlsx"
    # 4 rows a sheet here; Excel's 1,048,576 (xlsx_book.SHEET_ROWS) are cut the same way
    book = Book(str(path), FORMULA_STARTS, sheet_rows=4)
    book.add_sheet("Cases", ["id", "name"])
    book.add_rows([[n, f"student {n}"] for n in range(1, 6)])
    book.add_rows([[n, f"student {n}"] for n in range(6, 9)])
    book.add_sheet("Contacts", ["id"])
    book.add_rows([[1]])
    assert book.close() == 8
    read = openpyxl.load_workbook(path)
    assert read.sheetnames == ["Cases", "Cases (2)", "Cases (3)", "Contacts"]
    rows = [[cell.value for cell in row] for name in read.sheetnames[:3] for row in read[name].iter_rows()]
    assert rows == [["id", "name"], [1, "student 1"], [2, "student 2"], [3, "student 3"],
                    ["id", "name"], [4, "student 4"], [5, "student 5"], [6, "student 6"],
                    ["id", "name"], [7, "student 7"], [8, "student 8"]]


def test_a_time_is_written_to_the_second_as_the_csv_writes_it(tmp_path):
    """A time a moment before a minute's end (a case opened at 07:19:59.9997) read back as 07:20 from the
    spreadsheet, while the CSV of the same list says 07:19:59: the workbook holds it to the second, as the CSV."""
    moments = [datetime.datetime(2026, 12, 2, 7, 19, 59, 999_700), datetime.datetime(2026, 12, 2, 23, 59, 59, 999_999),
               datetime.datetime(2026, 12, 2, 7, 19, 30, 600_000)]
    path = tmp_path / "moments.xlsx"
    write_xlsx(str(path), ["moment"], [[moment] for moment in moments], "Moments")
    sheet = openpyxl.load_workbook(path)["Moments"]
    read = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert read == [moment.replace(microsecond=0) for moment in moments]
