"""A file separated by semicolons or tabs (a spreadsheet's "CSV" in a language
that writes decimal commas, or its "Text") is refused saying so, for every
kind of import: read with commas, its every column seemed missing."""
import io
import os
import shutil
import zipfile

import pytest

from fieldapp.imports.attendance import import_attendance
from fieldapp.imports.calendar import import_calendar
from fieldapp.imports.contacts import import_contacts
from fieldapp.imports.oneroster import import_oneroster

BULK = os.path.join(os.path.dirname(__file__), "..", "data", "oneroster-bulk")
SAID = {";": "is separated by semicolons, not commas: save it as \"CSV UTF-8 (comma delimited)\" and import that "
             "file. Nothing was changed.",
        "\t": "is separated by tabs, not commas: save it as \"CSV UTF-8 (comma delimited)\" and import that file. "
              "Nothing was changed."}


def separated(text, sep):
    return text.replace(",", sep).encode()


@pytest.mark.parametrize("sep", [";", "\t"])
def test_attendance_calendar_and_contacts_separated_otherwise_say_so(app, sep):
    attendance = separated("studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor,eventDuration\n"
                           "100001,255901001,2026-11-30,Excused Absence,0.5\n", sep)
    report = import_attendance(io.BytesIO(attendance), "att.csv")
    assert str(report.message) == "att.csv " + SAID[sep]
    calendar = separated("schoolId,date,calendarEvent,name\n,2026-12-17,Holiday,\n", sep)
    assert str(import_calendar(io.BytesIO(calendar), "cal.csv").message) == "cal.csv " + SAID[sep]
    contacts = separated("sourcedId,phone\nstu-1,555 201 3344\n", sep)
    assert str(import_contacts(io.BytesIO(contacts), "contacts.csv").message) == "contacts.csv " + SAID[sep]


@pytest.mark.parametrize("sep", [";", "\t"])
def test_a_roster_file_separated_otherwise_says_so(app, tmp_path, sep):
    folder = tmp_path / "export"
    shutil.copytree(BULK, folder)
    enrollments = (folder / "enrollments.csv").read_text(encoding="utf-8")
    (folder / "enrollments.csv").write_bytes(separated(enrollments, sep))
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as zipped:
        for name in os.listdir(folder):
            zipped.write(folder / name, name)
    packed.seek(0)
    report = import_oneroster(packed, "roster.zip")
    assert str(report.message) == "enrollments.csv " + SAID[sep]


def test_a_comma_file_whose_values_hold_semicolons_is_read(app):
    report = import_calendar(io.BytesIO(b"schoolId,date,calendarEvent,name\n,2026-12-17,Holiday,Break; snow\n"),
                             "cal.csv")
    assert "separated" not in str(report.message)
