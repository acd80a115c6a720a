"""An import's page reads in its reader's language: why each row was refused,
why the whole file was, what was left aside and what applying it changed
(each count's name, its number written with the reader's digit groups), for
the roster with its demographics, attendance and calendar imports alike. The
history keeps what translates each line, never a translation."""
import io
import os
import re
import zipfile

from fieldapp.models import ImportRun, User
from tests.web.conftest import page_text
from tests.web.test_import_pages import DATA, upload, upload_and_apply, roster_zip


def _spanish_admin(world, login_as):
    User.update(language="es").where(User.id == world["admin"].id).execute()
    return login_as("admin")


def _words(auth, url):
    page = " ".join(page_text(auth.client.get(url)).split())
    return re.sub(r"&#39;", "'", page)


def test_an_attendance_files_refused_rows_read_in_spanish(auth, login_as, world):
    _spanish_admin(world, login_as)
    upload_and_apply(auth, "oneroster", roster_zip(), "roster.zip")
    bad = ("studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor,sessionName\n"
           "9999,sch-100,2025-09-02,Tardy,Fall\n1001,sch-100,2025-09-31,Unexcused Absence,Fall\n"
           "1001,sch-100,2025-09-02,Sick,Fall\n1001,sch-999,2025-09-02,Tardy,Fall\n")
    page = _words(auth, upload(auth, "attendance", io.BytesIO(bad.encode()), "monday.csv"))
    for english in ("unknown student", "bad date", "unknown category", "unknown school", "row problems",
                    "nothing was changed", "not read, ignored"):
        assert english not in page, english
    for spanish in ("estudiante desconocido '9999'",
                    "eventDate '2025-09-31' no es un día del calendario: el mes 9 de 2025 tiene 30 días",
                    "categoría desconocida 'Sick'", "escuela desconocida 'sch-999'",
                    "4 problemas de fila; no se cambió nada.", "monday.csv: no leídas, ignoradas: sessionName"):
        assert spanish in page, spanish
    run = ImportRun.select().order_by(ImportRun.id.desc()).first()
    assert "unknown student '9999'" in run.problems_json and "estudiante" not in run.problems_json


def test_a_rosters_counts_and_its_demographics_problems_read_in_spanish(auth, login_as, world):
    _spanish_admin(world, login_as)
    page = _words(auth, upload_and_apply(auth, "oneroster", roster_zip(), "roster.zip"))
    assert "students created" not in page and "estudiantes creados" in page
    buffer = io.BytesIO()
    folder = os.path.join(DATA, "oneroster-bulk")
    with zipfile.ZipFile(buffer, "w") as z:
        for name in os.listdir(folder):
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                text = handle.read()
            if name == "demographics.csv":
                text += "stu-nobody,,,2015-03-02,female,,,,,,,,,,,\nstu-1002,,,2012-11-20,male,,,,,,,,,,,\n"
            z.writestr(name, text)
    buffer.seek(0)
    page = _words(auth, upload(auth, "oneroster", buffer, "roster.zip"))
    assert "unknown user" not in page and "is also on row" not in page
    assert "usuario desconocido 'stu-nobody'" in page
    assert "el sourcedId 'stu-1002' también está en la fila 3, con otros valores: deje una de las dos filas" in page


def test_a_calendars_refused_rows_and_counts_read_in_spanish(auth, login_as, world):
    _spanish_admin(world, login_as)
    bad = b"schoolId,date,calendarEvent,name\n,2025-08-18,First day,\n,2026-06-11,Last day,\n,2025-11-27,Party,\n"
    page = _words(auth, upload(auth, "calendar", io.BytesIO(bad), "calendar.csv"))
    assert "unknown calendarEvent" not in page and "calendarEvent desconocido 'Party'" in page
    good = b"schoolId,date,calendarEvent,name\n,2025-08-18,First day,\n,2026-06-11,Last day,\n"
    page = _words(auth, upload(auth, "calendar", io.BytesIO(good), "calendar.csv"))
    assert "calendar imported" not in page and "calendario importado" in page


def test_an_imports_counts_have_the_readers_digit_groups(auth, login_as, world):
    _spanish_admin(world, login_as)
    run = ImportRun.create(kind="oneroster", filename="roster.zip", user=world["admin"], source="upload",
                           outcome="applied", rows_read=1341, counts_json='{"students created": 1341}')
    page = _words(auth, f"/admin/imports/{run.id}")
    assert "<strong>1.341</strong> estudiantes creados" in page and "1,341" not in page


def test_a_whole_file_refused_says_why_in_spanish(auth, login_as, world):
    _spanish_admin(world, login_as)
    misnamed = b"studentUniqueId,schoolId,eventDat,attendanceEventCategoryDescriptor\n1001,sch-100,2025-09-02,Tardy\n"
    page = _words(auth, upload(auth, "attendance", io.BytesIO(misnamed), "monday.csv"))
    assert "missing column" not in page and "did you mean" not in page
    assert ("monday.csv: falta(n) columna(s): eventDate; columna(s) mal escrita(s): 'eventDat' (¿quiso decir "
            "'eventDate'?). No se cambió nada.") in page
    empty = _words(auth, upload(auth, "attendance", io.BytesIO(b"\n"), "empty.csv"))
    assert "empty.csv está vacío: la primera línea debe nombrar las columnas." in empty


def test_a_roster_refused_for_want_of_its_confirmation_says_so_in_spanish(app, world):
    from flask_babel import force_locale

    from fieldapp.imports.steps import apply_now
    from fieldapp.web.i18n import translate
    report = apply_now("oneroster", os.path.join(DATA, "oneroster-bulk"), "roster.zip")
    assert report.outcome == "refused" and report.message.startswith("Type '")
    with app.test_request_context("/"), force_locale("es"):
        said = str(translate(report.message))
    assert said.startswith("Escriba '") and said.endswith("' para confirmar. No se cambió nada.")


def test_what_a_calendar_import_derived_reads_in_spanish(auth, login_as, world):
    _spanish_admin(world, login_as)
    short = b"schoolId,date,calendarEvent,name\n,2025-08-18,First day,\n,2025-12-19,Last day,\n,2025-11-27,Holiday,\n"
    page = _words(auth, upload(auth, "calendar", io.BytesIO(short), "calendar.csv"))
    for english in ("lists days off", "school year", "the year looks cut short", "Check District", "no school"):
        assert english not in page, english
    assert "Distrito 2025-26: enumera días sin clases; año escolar del 18 ago 2025 al 19 dic 2025, " in page
    assert "Feriado ×1: sin clases" in page and "×1: el primer día de clases del año" in page
    assert "Revise Distrito 2025-26: el año parece incompleto (termina el 19 dic 2025; tiene " in page


def test_what_a_roster_and_an_attendance_file_left_aside_reads_in_spanish(app, auth):
    """A district of the Ed-Fi mapping's files alone (no other students for the roster to end)."""
    import datetime

    from fieldapp.imports import run
    from fieldapp.rules.settings import RuleSettings
    from tests import factories
    admin = factories.gen_user("admin")
    roster, _ = run("oneroster", os.path.join(DATA, "edfi-oneroster"), "grand-bend", RuleSettings(),
                    user=admin, today=datetime.date(2021, 12, 1))
    with open(os.path.join(DATA, "edfi-attendance.csv"), "rb") as stream:
        attendance, _ = run("attendance", stream, "edfi-attendance.csv", RuleSettings(), user=admin,
                            today=datetime.date(2021, 12, 1))
    User.update(language="es").where(User.id == admin.id).execute()
    auth.login(admin)
    page = _words(auth, f"/admin/imports/{roster.id}")
    for english in ("not kept", "not schools", "Files not read", "held by more than one"):
        assert english not in page, english
    assert ("orgs.csv: 1 organización de tipo departamento no guardada (no es una escuela): Mathematics "
            "Department") in page
    assert "Archivos no leídos (esta importación guarda" in page and "604822 (2 estudiantes)" in page
    page = _words(auth, f"/admin/imports/{attendance.id}")
    assert "absent shares" not in page and "matched by each row" not in page
    assert "2 partes ausentes de días divididos" in page and "604822 (4 filas)" in page


def _zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, text in members.items():
            z.writestr(name, text)
    buffer.seek(0)
    return buffer


def test_a_roster_or_csv_refused_whole_says_why_in_spanish(auth, login_as, world):
    _spanish_admin(world, login_as)
    cases = [
        ("oneroster", io.BytesIO(b"not a zip"), "roster.zip",
         "roster.zip no es un archivo .zip, diga lo que diga su nombre"),
        ("oneroster", _zip({"orgs.csv": "sourcedId\n"}), "roster.zip",
         "roster.zip no tiene manifest.csv: una exportación OneRoster 1.1 empieza por uno."),
        ("oneroster", _zip({"manifest.csv": "propertyName,value\nfile.users,sometimes\n"}), "roster.zip",
         "manifest.csv: file.users es 'sometimes'; use bulk, delta o absent."),
        ("oneroster", _zip({"manifest.csv": "propertyName,value\nfile.users,bulk\n"}), "roster.zip",
         "manifest.csv dice que users.csv es bulk, pero roster.zip no tiene users.csv."),
        ("attendance", io.BytesIO(b"studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor\n"
                                  b"1001,sch-100,2025-09-02,Tard\xe9\n"), "monday.csv",
         "monday.csv no es texto UTF-8 (fila 2); guárdelo como CSV UTF-8 e impórtelo de nuevo. No se cambió nada."),
        ("attendance", io.BytesIO(b"studentUniqueId,schoolId,eventDate,eventDate,attendanceEventCategoryDescriptor\n"),
         "monday.csv", "monday.csv: la misma columna aparece dos veces: 'eventDate' (columna C) y 'eventDate' "
                       "(columna D). Deje una de cada e importe de nuevo. No se cambió nada."),
        ("contacts", io.BytesIO(b"sourcedId\nstu-1001\n"), "contacts.csv",
         "contacts.csv no tiene ninguna de las columnas address, phone, altPhone, email, preferredLanguage."),
    ]
    for kind, stream, name, spanish in cases:
        page = _words(auth, upload(auth, kind, stream, name))
        assert spanish in page, page[page.find("flash"):][:400]


def test_a_files_own_column_names_are_never_translated(auth, login_as, world):
    _spanish_admin(world, login_as)
    named = b"sourcedId,school,eventDate,attendanceEventCategoryDescriptor\n"
    page = _words(auth, upload(auth, "attendance", io.BytesIO(named), "monday.csv"))
    assert "'school' (¿quiso decir 'schoolId'?)" in page and "escuela" not in page
    nobody = b"schoolId,eventDate,attendanceEventCategoryDescriptor\nsch-100,2025-09-02,Tardy\n"
    page = _words(auth, upload(auth, "attendance", io.BytesIO(nobody), "monday.csv"))
    assert "falta(n) columna(s): studentUniqueId, sourcedId o studentSourcedId." in page and " or " not in page


def test_a_slash_date_read_two_ways_names_its_months_in_spanish(auth, login_as, world):
    _spanish_admin(world, login_as)
    upload_and_apply(auth, "oneroster", roster_zip(), "roster.zip")
    rows = b"studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor\n1001,sch-100,9/8/2025,Tardy\n"
    page = _words(auth, upload(auth, "attendance", io.BytesIO(rows), "monday.csv"))
    assert "eventDate '9/8/2025' podría ser 8 sept 2025 (mes primero) o 9 ago 2025 (día primero)" in page
    assert "September" not in page and "August" not in page
