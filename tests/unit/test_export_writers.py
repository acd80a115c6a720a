"""CSV and XLSX writers: what a spreadsheet would run is written as text."""
import csv
import datetime
import decimal
import io
import zipfile

import openpyxl
from hypothesis import given, settings, strategies as st

from fieldapp.exports.writers import FORMULA_STARTS, csv_chunks, safe_text
from fieldapp.exports.xlsx import xlsx_chunks


def _csv(rows):
    data = b"".join(csv_chunks(["A", "B"], rows)).decode("utf-8")
    assert data.startswith("\ufeff")
    return list(csv.reader(io.StringIO(data[1:], newline="")))


def _sheet(header, rows):
    """The first sheet of the XLSX written, as a spreadsheet program reads it."""
    data = b"".join(xlsx_chunks(header, rows, "Cases"))
    return openpyxl.load_workbook(io.BytesIO(data))["Cases"]


def test_every_formula_start_is_quoted_and_plain_text_is_not():
    rows = _csv([[start + "x", "plain"] for start in FORMULA_STARTS] + [["O'Brien", "María"]])
    assert [r[0] for r in rows[1:-1]] == ["'" + start + "x" for start in FORMULA_STARTS]
    assert rows[-1] == ["O'Brien", "María"]


def test_numbers_dates_and_empty_cells_keep_their_meaning():
    rows = _csv([[-3, datetime.date(2026, 9, 1)], [None, 2.5]])
    assert rows[1:] == [["-3", "2026-09-01"], ["", "2.5"]]


@given(st.text(max_size=40))
def test_no_text_reaches_a_csv_cell_starting_like_a_formula(text):
    cell = safe_text(text)
    assert not cell.startswith(FORMULA_STARTS)
    assert cell in (text, "'" + text)


def test_a_long_csv_comes_in_chunks():
    chunks = list(csv_chunks(["n"], ([i] for i in range(2000))))
    assert len(chunks) > 3 and b"".join(chunks).count(b"\n") == 2001


def test_xlsx_text_cells_carry_the_quote_prefix_and_no_formula():
    data = b"".join(xlsx_chunks(["A"], [["=1+1"], ["\tx"], ["ok"]]))
    book = zipfile.ZipFile(io.BytesIO(data))
    sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "=1+1" in sheet
    assert 'quotePrefix="1"' in book.read("xl/styles.xml").decode()


def test_a_spreadsheet_reads_every_formula_start_as_text_shown_as_typed():
    sheet = _sheet(["Notes"], [[start + "SUM(A1:A9)"] for start in FORMULA_STARTS] + [["plain"]])
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    # A carriage return is kept as Excel's own escape, _x000D_, which Excel
    # reads back as the character (openpyxl shows the escape).
    assert [c.value for c in cells] == [start.replace("\r", "_x000D_") + "SUM(A1:A9)" for start in FORMULA_STARTS] \
        + ["plain"]
    assert all(c.data_type == "s" for c in cells)
    assert [c.quotePrefix for c in cells] == [True] * len(FORMULA_STARTS) + [False]


def test_a_spreadsheet_reads_numbers_dates_names_and_gaps_as_written():
    when = datetime.datetime(2026, 9, 1, 14, 35)
    rows = [[7, 2.5, decimal.Decimal("12.5"), True, datetime.date(2026, 9, 8), when, None, "María <O'Brien> & co"],
            [-3, None, "", False, None, None, "last", "a\nb"]]
    sheet = _sheet(list("ABCDEFGH"), rows)
    assert [c.value for c in sheet[1]] == list("ABCDEFGH") and sheet["A1"].font.b
    assert [c.value for c in sheet[2]] == [7, 2.5, 12.5, True, datetime.datetime(2026, 9, 8), when, None,
                                           "María <O'Brien> & co"]
    assert sheet["E2"].number_format == "yyyy-mm-dd" and sheet["F2"].is_date
    assert [c.value for c in sheet[3]] == [-3, None, None, False, None, None, "last", "a\nb"]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30),
                min_size=1, max_size=5))
def test_any_text_reads_back_as_written_and_never_as_a_formula(texts):
    sheet = _sheet(["T"], [[t] for t in texts])
    cells = [row[0] for row in sheet.iter_rows(min_row=2, max_row=len(texts) + 1)]
    # Control characters XML cannot carry as they are come back as Excel's
    # _xHHHH_ escape, as Excel itself writes them (Excel reads them back as
    # the character); an empty text is an empty cell.
    assert [c.value if c.value is not None else "" for c in cells] == [
        "".join(f"_x{ord(ch):04X}_" if ord(ch) < 32 and ch not in "\t\n" else ch for ch in t) for t in texts]
    assert all(c.data_type == "s" for c in cells if c.value is not None)


def test_text_past_a_cells_limit_is_cut_there():
    assert len(_sheet(["Notes"], [["x" * 40000]])["A2"].value) == 32767
