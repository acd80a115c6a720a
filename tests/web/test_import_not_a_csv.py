"""A file of another kind given where a CSV is read (a roster's zip, an
Excel workbook, a PDF) is refused saying what it is and what to do, in its
reader's language; it was refused for a "NUL byte", which names no mistake
an administrator can see."""
import io
import re

import openpyxl

from fieldapp.models import User
from tests.web.conftest import page_text
from tests.web.test_import_pages import roster_zip, upload


def _words(auth, url):
    return re.sub(r"&#39;|&#34;|&quot;", "'", " ".join(page_text(auth.client.get(url)).split()))


def _workbook():
    book = openpyxl.Workbook()
    book.active.append(["studentUniqueId", "schoolId", "eventDate", "attendanceEventCategoryDescriptor"])
    book.active.append(["1001", "sch-100", "2025-09-02", "Tardy"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def test_a_zip_or_a_workbook_given_as_a_csv_says_what_it_is(auth, login_as, world):
    login_as("admin")
    page = _words(auth, upload(auth, "attendance", roster_zip(), "roster.zip"))
    assert "NUL byte" not in page
    assert "roster.zip is a zip file, not a CSV file. A OneRoster roster comes as a zip: import it as a roster." \
        in page
    page = _words(auth, upload(auth, "calendar", _workbook(), "calendar.xlsx"))
    assert "NUL byte" not in page
    assert "calendar.xlsx is a spreadsheet workbook (such as Excel's .xlsx), not a CSV file: open it, save it as " \
        "'CSV UTF-8' and import that file." in page
    page = _words(auth, upload(auth, "contacts", io.BytesIO(b"%PDF-1.7\n\x00\x01binary"), "contacts.pdf"))
    assert "contacts.pdf is a PDF document, not a CSV file" in page and "NUL byte" not in page


def test_a_zip_given_as_a_csv_is_refused_in_spanish(auth, login_as, world):
    User.update(language="es").where(User.id == world["admin"].id).execute()
    login_as("admin")
    page = _words(auth, upload(auth, "attendance", roster_zip(), "roster.zip"))
    assert "roster.zip es un archivo zip, no un archivo CSV. Una lista OneRoster llega en un zip: impórtela " \
        "como lista." in page
    assert "zip file" not in page and "NUL" not in page
