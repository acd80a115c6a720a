"""The notes of a roster's preview and an unclosed quote's refusal read in
their reader's words: each plural in its own form (one organisation, two
identifiers), never "(s)" or "(es)", and no refusal left in English."""
import datetime
import io
import os
import re

from fieldapp.imports import run
from fieldapp.models import User
from fieldapp.rules.settings import RuleSettings
from tests import factories
from tests.web.conftest import page_text
from tests.web.test_import_pages import DATA, upload

HEADER = b"studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor,attendanceEventReason\n"


def _words(auth, url):
    return re.sub(r"&#39;", "'", " ".join(page_text(auth.client.get(url)).split()))


def _spanish(admin, auth):
    User.update(language="es").where(User.id == admin.id).execute()
    auth.login(admin)


def test_a_rosters_notes_say_one_and_many_in_their_forms(app, auth):
    admin = factories.gen_user("admin")
    roster, _ = run("oneroster", os.path.join(DATA, "edfi-oneroster"), "grand-bend", RuleSettings(),
                    user=admin, today=datetime.date(2021, 12, 1))
    auth.login(admin)
    page = _words(auth, f"/admin/imports/{roster.id}")
    assert "orgs.csv: 1 department org not kept (not a school): Mathematics Department" in page
    assert "1 identifier is held by more than one active student" in page and "(s)" not in page
    _spanish(admin, auth)
    page = _words(auth, f"/admin/imports/{roster.id}")
    assert ("orgs.csv: 1 organización de tipo departamento no guardada (no es una escuela): Mathematics Department"
            in page)
    assert "1 identificador lo tiene más de un estudiante activo" in page
    assert "la asistencia que lo nombra se empareja por su schoolId: 604822 (2 estudiantes)" in page
    assert "(es)" not in page and "(s)" not in page
    with open(os.path.join(DATA, "edfi-attendance.csv"), "rb") as stream:
        url = upload(auth, "attendance", io.BytesIO(stream.read()), "edfi-attendance.csv")
    page = _words(auth, url)
    assert "held by more than one" not in page
    assert "1 studentUniqueId que tiene más de un estudiante se emparejó por el schoolId de cada fila" in page


def test_an_unclosed_quote_is_refused_in_spanish(app, auth):
    admin = factories.gen_user("admin")
    _spanish(admin, auth)
    never = HEADER + b'1001,sch-100,2025-09-02,Tardy,"Bus late\n1002,sch-100,2025-09-02,Tardy,Bus\n'
    page = _words(auth, upload(auth, "attendance", io.BytesIO(never), "monday.csv"))
    assert "never closes" not in page, page[page.find("flash"):][:600]
    assert ("monday.csv: unas comillas abiertas en la línea 2 (columna E ('attendanceEventReason')) no se "
            "cierran nunca") in page
    runs_on = HEADER + b'1001,sch-100,2025-09-02,Tardy,"Bus\nlate"\n1002,sch-100,2025-09-02,Tardy,Bus\n'
    page = _words(auth, upload(auth, "attendance", io.BytesIO(runs_on), "monday.csv"))
    assert "runs into line" not in page, page[page.find("flash"):][:600]
    assert ("monday.csv: el valor de la línea 2 en la columna E ('attendanceEventReason') sigue en la "
            "línea 3") in page
