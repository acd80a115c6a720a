"""Files that used to end in a server error or apply the wrong column: each
is refused with a clear reason, kept in the history, and changes nothing.
Rows are numbered as a spreadsheet shows them."""
import io
import os
import zipfile

import pytest

from fieldapp import imports
from fieldapp.models import AttendanceEvent, ImportRun, Student
from fieldapp.rules.settings import RuleSettings

DATA = os.path.join(os.path.dirname(__file__), "..", "data")
BULK = os.path.join(DATA, "oneroster-bulk")
SETTINGS = RuleSettings()
HEADER = "studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor\n"


def roster_zip(extra=None, change=None):
    """The test roster as a zip; change maps a file name to new bytes, extra adds members."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name in os.listdir(BULK):
            with open(os.path.join(BULK, name), "rb") as f:
                z.writestr(name, (change or {}).get(name, f.read()))
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    buffer.seek(0)
    return buffer


def preview(kind, data, name="file", **kw):
    source = data if not isinstance(data, bytes) else io.BytesIO(data)
    return imports.preview(kind, source, name, SETTINGS, **kw)


def refused(kind, data, name="file", **kw):
    pending = preview(kind, data, name, **kw)
    kept = ImportRun.get_by_id(pending.run.id)
    assert kept.outcome == "refused", (kept.outcome, kept.problems)
    return kept


@pytest.fixture
def roster(app):
    imports.run("oneroster", BULK, "bulk", SETTINGS)


def users_with(cell_old, cell_new):
    with open(os.path.join(BULK, "users.csv"), encoding="utf-8") as f:
        text = f.read()
    assert cell_old in text
    return text.replace(cell_old, cell_new).encode()


def test_a_nul_byte_is_refused_naming_its_row(roster):
    run = refused("attendance", (HEADER + "1001,sch-100,2025-09-02,Tardy\n1002,sch-2\x0000,2025-09-02,Tardy\n").encode())
    assert "NUL byte (row 3)" in run.message and AttendanceEvent.select().count() == 0
    run = refused("oneroster", roster_zip(change={"users.csv": users_with("Elena", "El\x00ena")}), "r.zip")
    assert "users.csv holds a NUL byte (row 2)" in run.message


def test_a_value_longer_than_a_field_holds_is_a_row_problem(app):
    run = refused("oneroster", roster_zip(change={"users.csv": users_with("Elena", "E" * 300)}), "r.zip")
    assert ["users.csv", 2, "middleName: longer than 255 characters"] in run.problems
    assert Student.select().count() == 0


def test_an_encrypted_member_is_refused(app):
    data = roster_zip().getvalue()
    # Set the "encrypted" flag of the first member in its local and central headers.
    data = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        data[at + offset] |= 1
    run = refused("oneroster", bytes(data), "secret.zip")
    assert "is encrypted" in run.message


def test_an_unsupported_compression_method_is_refused(app):
    data = bytearray(roster_zip().getvalue())
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        at = 0
        while (at := data.find(signature, at)) >= 0:
            data[at + offset] = 9  # Deflate64, which Python cannot unpack
            at += 4
    run = refused("oneroster", bytes(data), "deflate64.zip")
    assert "compressed with a method this import cannot read" in run.message


def test_a_zip_that_unpacks_past_the_cap_is_refused_before_it_is_read(app):
    bomb = roster_zip(extra={"padding/notes.txt": b"0" * 3_000_000})
    assert len(bomb.getvalue()) < 40_000
    run = refused("oneroster", bomb, "bomb.zip", limits=imports.Limits(max_unzipped_bytes=2_000_000))
    assert "unpacks to 3 MB" in run.message and "FIELDAPP_IMPORT_MAX_UNZIPPED_MB" in run.message


def test_a_file_past_the_row_cap_is_refused(roster):
    rows = "".join(f"1001,sch-100,2025-09-{d:02d},Tardy\n" for d in range(1, 11))
    run = refused("attendance", (HEADER + rows).encode(), limits=imports.Limits(max_rows=5))
    assert "more than 5 rows" in run.message and AttendanceEvent.select().count() == 0


def test_two_files_of_the_same_name_in_a_zip_are_refused(app):
    with open(os.path.join(BULK, "users.csv"), "rb") as f:
        twin = f.read()
    run = refused("oneroster", roster_zip(extra={"old/users.csv": twin}), "two.zip")
    assert "two files named users.csv" in run.message and "old/users.csv" in run.message


@pytest.mark.parametrize("header, named", [
    ("studentUniqueId,schoolId,schoolId,eventDate,attendanceEventCategoryDescriptor\n",
     "'schoolId' (column B) and 'schoolId' (column C)"),
    ("studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor,AttendanceEventCategoryDescriptor\n",
     "'attendanceEventCategoryDescriptor' (column D) and 'AttendanceEventCategoryDescriptor' (column E)"),
])
def test_a_column_named_twice_is_refused_naming_both(roster, header, named):
    cells = header.count(",") + 1
    row = ",".join(["1001", "sch-100", "sch-100", "2025-09-02", "Unexcused Absence"][:cells]) \
        if "schoolId,schoolId" in header else "1001,sch-100,2025-09-02,Unexcused Absence,Tardy"
    run = refused("attendance", (header + row + "\n").encode())
    assert "the same column is named twice" in run.message and named in run.message
    assert AttendanceEvent.select().count() == 0


def test_rows_are_numbered_as_a_spreadsheet_shows_them(roster):
    text = (HEADER.replace("\n", ",attendanceEventReason\n")
            + '1001,sch-100,2025-09-02,Tardy,"Bus late"\n'
            + "1001,sch-100,2025-09-03,Sick,\n")
    run = refused("attendance", text.encode())
    assert [p[:2] for p in run.problems] == [["file", 3]]
    assert run.problems[0][2].startswith("unknown category 'Sick'")
    # Only an address may run over two lines (tests/unit/test_import_open_quotes.py);
    # the row after it keeps the number a spreadsheet shows.
    contacts = 'sourcedId,address,phone\nstu-1001,"12 Elm\nRiverside",\nstu-1002,,12\n'
    run = refused("contacts", contacts.encode())
    assert run.problems[0][:2] == ["file", 3]


def test_a_bad_byte_is_reported_on_its_own_row(roster):
    data = HEADER.encode() + b"1001,sch-100,2025-09-02,Tardy\n1002,sch-200,2025-09-02,Tard\xff\n"
    run = refused("attendance", data)
    assert "is not UTF-8 text (row 3)" in run.message


@pytest.mark.parametrize("kind, text, named", [
    # a column and the alias it is also read by: only one would be read
    ("calendar", "schoolId,date,calendarEvent,calendarEventDescriptor\n,2025-08-20,First day,Holiday\n",
     "'calendarEvent' (column C) and 'calendarEventDescriptor' (column D)"),
    # two of the names the student's column goes by, naming two different students
    ("attendance", "sourcedId,studentSourcedId,schoolId,eventDate,attendanceEventCategoryDescriptor\n"
     "stu-001,stu-002,sch-100,2025-09-02,Unexcused Absence\n",
     "'sourcedId' (column A) and 'studentSourcedId' (column B)"),
    ("attendance", "studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor,sourcedId\n"
     "1001,sch-100,2025-09-02,Unexcused Absence,stu-002\n",
     "'studentUniqueId' (column A) and 'sourcedId' (column E)"),
])
def test_a_column_named_twice_by_its_other_names_is_refused(roster, kind, text, named):
    run = refused(kind, text.encode())
    assert "the same column is named twice" in run.message and named in run.message
    assert not AttendanceEvent.select().exists()


def test_a_roster_naming_the_guardians_column_in_1_0_and_1_1_spelling_is_refused(roster):
    with open(os.path.join(BULK, "users.csv"), "rb") as f:
        users = f.read().decode()
    header, _, rest = users.partition("\n")
    doubled = header + ",agents\n" + "".join(line + ",\n" for line in rest.splitlines())
    run = refused("oneroster", roster_zip(change={"users.csv": doubled.encode()}), "roster.zip")
    assert "users.csv: the same column is named twice" in run.message and "'agents'" in run.message


def test_a_cell_longer_than_the_reader_takes_is_said_in_the_users_words(roster):
    """The csv module's own words ("field larger than field limit (131072)") were the reason
    shown, in English on every page."""
    import csv
    huge = "x" * (csv.field_size_limit() + 10)
    run = refused("attendance", (HEADER + f"1001,sch-100,2025-09-02,Tardy\n1002,sch-100,2025-09-02,{huge}\n").encode())
    said = str(run.refusal)
    assert said.startswith("file, row 3: a cell holds more than") and "131" in said
    assert "field limit" not in said and AttendanceEvent.select().count() == 0
