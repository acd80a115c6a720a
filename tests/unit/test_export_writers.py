"""CSV and XLSX writers: what a spreadsheet would run is written as text."""
import csv
import datetime
import io
import zipfile

from hypothesis import given, strategies as st

from fieldapp.exports.writers import FORMULA_STARTS, csv_chunks, safe_text, xlsx_chunks


def _csv(rows):
    data = b"".join(csv_chunks(["A", "B"], rows)).decode("utf-8")
    assert data.startswith("\ufeff")
    return list(csv.reader(io.StringIO(data[1:], newline="")))


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
