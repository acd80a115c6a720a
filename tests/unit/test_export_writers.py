"""CSV and XLSX writers: what a spreadsheet would run is written as text."""
import csv
import datetime
import decimal
import io
import os
import tempfile
import time
import zipfile

import openpyxl
from hypothesis import given, settings, strategies as st

from fieldapp.exports.writers import FORMULA_STARTS, csv_chunks, safe_text
from fieldapp.exports.datasets import Section
from fieldapp.exports.xlsx import BATCH, write_xlsx, xlsx_chunks


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


def _writers_of_this_process():
    """The workbook writers (fieldapp/exports/xlsx_book.py) this process started that still run."""
    me, found = str(os.getpid()), []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                parent = f.read().rsplit(")", 1)[1].split()[1]
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                command = f.read()
        except OSError:
            continue
        if parent == me and b"xlsx_book.py" in command:
            found.append(pid)
    return found


def test_a_workbook_of_many_batches_reads_back_row_for_row_with_its_section(tmp_path):
    """More rows than a batch: written by the workbook's own process, as the rows are read."""
    when = datetime.datetime(2026, 9, 1, 14, 35)
    rows = [[i, f"=cmd|{i}" if i % 97 == 0 else f"Nombre {i}", datetime.date(2026, 9, 1) + datetime.timedelta(days=i % 30),
             when + datetime.timedelta(minutes=i), None if i % 5 == 0 else decimal.Decimal("12.5"), i % 2 == 0]
            for i in range(2 * BATCH + 7)]
    heard = []
    section = Section("Referred by the front office", ["Referral", "Note"], [[1, "-2+3"], [2, "fine"]], [])
    path = str(tmp_path / "big.xlsx")
    assert write_xlsx(path, list("ABCDEF"), iter(rows), "Cases", heard.append, [section]) == len(rows)
    assert heard == [1000, 2000]
    book = openpyxl.load_workbook(path)
    sheet = book["Cases"]
    assert [c.value for c in sheet[1]] == list("ABCDEF") and sheet["A1"].font.b
    read = list(sheet.iter_rows(min_row=2))
    assert [[c.value for c in row] for row in read] == [
        [i, text, datetime.datetime.combine(day, datetime.time()), moment, None if number is None else 12.5, yes]
        for i, text, day, moment, number, yes in rows]
    assert [row[1].quotePrefix for row in read] == [i % 97 == 0 for i in range(len(rows))]
    assert all(row[1].data_type == "s" for row in read)
    assert {row[2].number_format for row in read} == {"yyyy-mm-dd"} and all(row[3].is_date for row in read)
    assert [[c.value for c in row] for row in book["Referred by the front office"].iter_rows()] == [
        ["Referral", "Note"], [1, "-2+3"], [2, "fine"]]
    assert book["Referred by the front office"]["B2"].quotePrefix
    assert not _writers_of_this_process()


def test_a_workbook_whose_rows_fail_leaves_no_file_no_writer_and_no_temporary_file(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def failing():
        for i in range(BATCH + 500):
            yield [i, "x"]
        raise OSError("the database went away")
    try:
        list(xlsx_chunks(["n", "t"], failing()))
    except OSError as error:
        assert str(error) == "the database went away"
    else:
        raise AssertionError("the failure was not told")
    assert os.listdir(tmp_path) == [] and not _writers_of_this_process()


def test_a_workbook_its_writer_cannot_finish_says_why(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    rows = [[float(i)] for i in range(BATCH)] + [[float("nan")]]  # no number a spreadsheet holds
    try:
        list(xlsx_chunks(["n"], rows))
    except RuntimeError as error:
        assert "NAN" in str(error)
    else:
        raise AssertionError("the failure was not told")
    assert os.listdir(tmp_path) == [] and not _writers_of_this_process()


def test_sheet_names_excel_would_refuse_become_ones_it_opens(tmp_path):
    """Excel opens no workbook with a sheet named with []:*?/\\, past 31
    characters, or named twice (case aside)."""
    titles = ["Casos: 2026/27", "casos  2026 27", "Notas [x]*?\\", "x" * 40, "X" * 40]
    sections = [Section(title, ["A"], [[i]], []) for i, title in enumerate(titles[1:])]
    path = str(tmp_path / "named.xlsx")
    write_xlsx(path, ["A"], [[0]], titles[0], sections=sections)
    names = openpyxl.load_workbook(path).sheetnames
    assert names == ["Casos  2026 27", "casos  2026 27 (2)", "Notas  x", "x" * 31, "X" * 27 + " (2)"]


def test_a_workbook_costs_a_few_times_the_csv_of_its_rows_not_ten(tmp_path):
    """Writing the cells is a small part of an XLSX export (issue 13's budget:
    100,000 rows in 10 s). XlsxWriter spent about ten times the CPU of the
    CSV of the same rows; the workbook's own writer about two. Best of
    three, so that a busy machine's noise falls on neither alone."""
    when = datetime.datetime(2026, 9, 1, 8, 30)
    rows = [[100000 + i, f"García López, María {i}", "Lincoln Middle School", "open", "monitoring",
             datetime.date(2026, 9, 1) + datetime.timedelta(days=i % 200), when + datetime.timedelta(minutes=i),
             12.5 + i % 7, None, "Officer Name", "-note" if i % 50 == 0 else "Phone call, left message", i % 30]
            for i in range(BATCH - 1)]  # written in this process: no process's start in the figure
    header = [f"Column {i}" for i in range(12)]

    def cost(write):
        best = None
        for _ in range(3):
            started = time.process_time()
            for _ in range(10):
                write()
            best = min(best or 1e9, time.process_time() - started)
        return best
    as_csv = cost(lambda: sum(len(chunk) for chunk in csv_chunks(header, rows)))
    as_xlsx = cost(lambda: write_xlsx(str(tmp_path / "costed.xlsx"), header, rows))
    assert as_xlsx < 5 * as_csv, (as_xlsx, as_csv)


def test_text_excel_would_read_as_its_escape_or_not_at_all_is_escaped_as_excel_writes_it():
    """Excel reads _xHHHH_ in a cell's text as the character it names, and
    no XML holds U+FFFE or U+FFFF: both are written as Excel writes them
    (openpyxl shows the escapes as they are)."""
    data = b"".join(xlsx_chunks(["T"], [["code _x0041_ here"], ["a\ufffeb\uffff"]], "Cases"))
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "code _x005F_x0041_ here" in sheet and "a_xFFFE_b_xFFFF_" in sheet
    read = openpyxl.load_workbook(io.BytesIO(data))["Cases"]
    assert [read["A2"].value, read["A3"].value] == ["code _x005F_x0041_ here", "a_xFFFE_b_xFFFF_"]
