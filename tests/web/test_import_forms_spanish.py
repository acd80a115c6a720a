"""The import pages' own words read in Spanish: the upload form's, the typed
confirmation's (its number with the reader's digit groups), and what a
calendar or a roster preview says of its dates, events and org types."""
import io
import os
import re
import zipfile

from fieldapp.models import ImportRun, User
from tests.web.conftest import page_text
from tests.web.test_import_pages import DATA, post_upload, upload


def _spanish_admin(world, login_as):
    User.update(language="es").where(User.id == world["admin"].id).execute()
    return login_as("admin")


def _words(answer):
    return re.sub(r"&#39;", "'", " ".join(page_text(answer).split()))


def test_the_upload_forms_errors_read_in_spanish(auth, login_as, world):
    _spanish_admin(world, login_as)
    page = _words(auth.post("/admin/imports", {"kind": "attendance"}, content_type="multipart/form-data"))
    assert "Choose a file to import." not in page and "Elija un archivo para importar." in page
    answer = post_upload(auth, "oneroster", io.BytesIO(b"a,b\n"), "roster.csv")
    page = _words(answer)
    assert answer.status_code == 422 and "Upload a OneRoster export" not in page
    assert "Suba una exportación OneRoster como un solo archivo .zip" in page


def test_the_typed_confirmation_reads_in_spanish_with_its_digit_groups(auth, login_as, world):
    _spanish_admin(world, login_as)
    run = ImportRun.create(kind="oneroster", filename="roster.zip", user=world["admin"], source="upload",
                           outcome="previewed", rows_read=1300, confirm_phrase="deactivate 1205",
                           counts_json='{"students deactivated": 1205}')
    answer = auth.post(f"/admin/imports/{run.id}/apply", {"confirmation": "deactivate 12"})
    page = _words(answer)
    assert answer.status_code == 422 and "exactly to apply it" not in page
    assert "Escriba deactivate 1.205 exactamente para aplicarla." in page


def test_a_calendar_preview_says_its_months_and_events_in_spanish(auth, login_as, world):
    _spanish_admin(world, login_as)
    short = b"schoolId,date,calendarEvent,name\n,2025-08-18,First day,\n,2025-12-19,Last day,\n,2025-11-27,Holiday,\n"
    page = _words(auth.client.get(upload(auth, "calendar", io.BytesIO(short), "calendar.csv")))
    for english in ("Aug", "Dec", "Holiday", "First day ×"):
        assert english not in page, english
    assert "del 18 ago 2025 al 19 dic 2025" in page and "termina el 19 dic 2025" in page
    assert "Feriado ×1: sin clases" in page and "Primer día ×1: el primer día de clases del año" in page


def test_a_roster_preview_says_the_org_types_it_left_aside_in_spanish(auth, login_as, world):
    _spanish_admin(world, login_as)
    buffer = io.BytesIO()
    folder = os.path.join(DATA, "edfi-oneroster")
    with zipfile.ZipFile(buffer, "w") as z:
        for name in os.listdir(folder):
            z.write(os.path.join(folder, name), name)
    buffer.seek(0)
    page = _words(auth.client.get(upload(auth, "oneroster", buffer, "roster.zip")))
    assert "department" not in page and "organización de tipo departamento" in page
