"""An import's pages say their numbers and refusals as a reader of the page
needs them: a share of a day with the reader's decimal comma, an org left
aside once, and a .zip that is not one without command-line words."""
import io
import re

from fieldapp.models import User
from tests.web.conftest import page_text
from tests.web.test_import_pages import roster_zip, upload, upload_and_apply


def _words(auth, url):
    return re.sub(r"&#39;", "'", " ".join(page_text(auth.client.get(url)).split()))


def test_a_days_shares_read_with_a_spanish_decimal_comma(auth, login_as, world):
    User.update(language="es").where(User.id == world["admin"].id).execute()
    login_as("admin")
    upload_and_apply(auth, "oneroster", roster_zip(), "roster.zip")
    rows = ("studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor,eventDuration\n"
            "1001,sch-100,2025-09-02,Unexcused Absence,0.75\n1001,sch-100,2025-09-02,Excused Absence,0.5\n")
    page = _words(auth, upload(auth, "attendance", io.BytesIO(rows.encode()), "monday.csv"))
    assert "suman 1,25 días" in page and "1.25" not in page


def test_an_org_left_aside_is_said_once_on_the_page(auth, login_as):
    import os
    import zipfile

    from tests.web.test_import_pages import DATA
    login_as("admin")
    buffer = io.BytesIO()
    folder = os.path.join(DATA, "edfi-oneroster")
    with zipfile.ZipFile(buffer, "w") as z:
        for name in os.listdir(folder):
            z.write(os.path.join(folder, name), name)
    buffer.seek(0)
    page = _words(auth, upload(auth, "oneroster", buffer, "roster.zip"))
    assert page.count("department org not kept") == 1, page.count("department org not kept")


def test_a_csv_named_zip_is_refused_without_command_line_words(auth, login_as):
    login_as("admin")
    page = _words(auth, upload(auth, "oneroster", io.BytesIO(b"sourcedId,status\nx,active\n"), "roster.zip"))
    assert "folder" not in page
    assert "roster.zip is not a .zip file, whatever its name says: upload the OneRoster export" in page
