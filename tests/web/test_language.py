"""Screens in the user's language (English or Spanish); letters in the guardian's."""
import datetime
import re

import pytest

from fieldapp.models import Letter, User
from tests.jobs_support import post_job
from tests import documents_support as support
from tests import factories
from tests.conftest import Auth
from tests.web.conftest import page_text


def html_lang(response):
    return re.search(r'<html lang="([^"]+)"', page_text(response)).group(1)


def choose_language(auth, code):
    """Pick a language on the account page, as a user does."""
    response = auth.post("/account/language", data={"language": code})
    assert response.status_code == 302 and response.headers["Location"] == "/account/language"
    return response


def test_english_is_the_default(client, world, login_as):
    login_as("officer")
    caseload = client.get("/caseload")
    assert html_lang(caseload) == "en"
    assert "My caseload" in page_text(caseload) and "Monitoring" in page_text(caseload)
    page = page_text(client.get("/account/language"))
    assert re.search(r'value="en"\s+checked', page) and "Letters are written in each guardian" in page


def offline_text(response):
    """The texts the offline script writes, as the page hands them to it."""
    import json
    block = re.search(r'<script type="application/json" id="fieldapp-text">(.*?)</script>', page_text(response))
    return json.loads(block.group(1))


def test_the_offline_texts_follow_each_readers_language_page_after_page(client, auth, world, login_as):
    """They are rendered once per language: English pages do not leave English on a Spanish one."""
    login_as("officer")
    for _ in range(2):
        texts = offline_text(client.get("/caseload"))
        assert texts["text"]["why_offline"] == "You are offline."
    assert texts["one"]["waiting_badge"] == "%(count)s entry waiting"
    choose_language(auth, "es")
    for _ in range(2):
        texts = offline_text(client.get("/caseload"))
        assert texts["text"]["why_offline"] == "Está sin conexión." and texts["text"]["sync_now"] == "Sincronizar ahora"
    login_as("front_office")
    assert offline_text(client.get("/office"))["text"]["why_offline"] == "You are offline."


def test_a_user_who_picks_spanish_works_in_spanish(client, auth, world, login_as):
    login_as("officer")
    choose_language(auth, "es")
    saved = client.get("/account/language")
    assert html_lang(saved) == "es" and "Idioma guardado." in page_text(saved)
    assert User.get_by_id(world["officer"].id).language == "es"

    caseload = page_text(client.get("/caseload"))
    for words in ("Mis casos", "Observación", "1 contacto", "Buscar un estudiante", "Cerrar sesión"):
        assert words in caseload, words

    student = page_text(client.get(f"/students/{world['student_a'].id}"))
    for words in ("Asistencia de este año", "Ausencias injustificadas", "Tutores", "Visita al hogar",
                  "Llamada telefónica", "Contactos", "Se habló con el padre o la madre", "nació el 2 mar 2014"):
        assert words in student, words
    assert "Attendance this year" not in student and "Home visit" not in student


def test_the_contact_form_and_what_to_fix_in_spanish(client, auth, world, login_as):
    login_as("officer")
    choose_language(auth, "es")
    url = f"/cases/{world['case_a'].id}/contacts/new"
    form = page_text(client.get(url))
    for words in ("Registrar un contacto", "Medio", "Resultado", "Motivos de la ausencia", "Personas presentes",
                  "Idioma de la conversación", "Se usó intérprete", "Guardar el contacto", "Elija…",
                  # the code lists
                  "Visita al hogar", "Mensaje de texto", "No contestó", "Aviso dejado en la puerta",
                  "Transporte", "Vivienda inestable", "Padre, madre o tutor", "Intérprete", "Vietnamita"):
        assert words in form, words

    refused = auth.post(url, data={"uuid": "9b2e8a1e-3c55-4d39-8f3e-0f6a2b7c1d01",
                                   "notes": "Nadie abrió la puerta.", "follow_up_on": "2020-01-01"})
    text = page_text(refused)
    assert refused.status_code == 422
    assert "Elija una opción en «Medio»." in text and "Elija una opción en «Resultado»." in text
    assert "Revise los 3 campos marcados abajo" in text
    assert "Nadie abrió la puerta." in text  # what was typed is kept
    wrong = auth.post(url, data={"method": "home_visit", "outcome": "magic", "interpreter_used": "1"})
    assert "Elija una opción de la lista en «Resultado»." in page_text(wrong)
    assert "Indique qué idioma usó el intérprete." in page_text(wrong)


def test_the_same_mistakes_read_in_english_by_default(client, auth, world, login_as):
    login_as("officer")
    url = f"/cases/{world['case_a'].id}/contacts/new"
    text = page_text(auth.post(url, data={"uuid": "9b2e8a1e-3c55-4d39-8f3e-0f6a2b7c1d02",
                                          "method": "home_visit", "outcome": "magic"}))
    assert "Choose an outcome from the list." in text and "Check the field marked below" in text


def test_the_choice_stays_across_log_ins(client, world):
    officer = world["officer"]
    auth = Auth(client)
    auth.login(officer)
    choose_language(auth, "es")
    goodbye = auth.post("/logout")
    assert goodbye.status_code == 302
    # Logged out, the page follows the browser (English here), not the last user.
    assert html_lang(client.get("/login", headers={"Accept-Language": "en-US"})) == "en"
    auth.login(officer)
    caseload = client.get("/caseload", headers={"Accept-Language": "en-US"})
    assert html_lang(caseload) == "es" and "Mis casos" in page_text(caseload)
    choose_language(auth, "en")
    assert "My caseload" in page_text(client.get("/caseload"))


@pytest.mark.parametrize("accept,lang,words", [
    ("es-MX,es;q=0.9,en;q=0.5", "es", ("Iniciar sesión", "Correo electrónico", "Contraseña")),
    ("en-US,en;q=0.9", "en", ("Log in", "Email", "Password")),
    ("fr-FR,fr;q=0.9", "en", ("Log in", "Email", "Password")),
    (None, "en", ("Log in", "Email", "Password")),
])
def test_the_login_page_follows_the_browser(client, accept, lang, words):
    response = client.get("/login", headers={"Accept-Language": accept} if accept else {})
    assert html_lang(response) == lang
    assert "Accept-Language" in response.headers["Vary"]  # a shared cache keeps one per language
    for word in words:
        assert word in page_text(response)


def test_a_failed_log_in_is_told_in_the_browsers_language(client, world):
    page = client.get("/login", headers={"Accept-Language": "es"})
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page_text(page)).group(1)
    empty = client.post("/login", data={"csrf_token": token}, headers={"Accept-Language": "es"})
    assert "Escriba su correo electrónico." in page_text(empty)
    wrong = client.post("/login", data={"csrf_token": token, "email": world["officer"].email,
                                        "password": "not-the-password"}, headers={"Accept-Language": "es"})
    assert wrong.status_code == 401
    assert "El correo electrónico o la contraseña no son correctos." in page_text(wrong)


def test_an_unknown_language_is_refused(client, auth, world, login_as):
    login_as("front_office")
    refused = auth.post("/account/language", data={"language": "fr"})
    assert refused.status_code == 422 and "Choose a language from the list." in page_text(refused)
    assert User.get_by_id(world["front"].id).language == ""  # nothing saved: still no choice


def test_a_front_office_works_in_spanish_and_error_pages_follow(client, auth, world, login_as):
    login_as("front_office")
    choose_language(auth, "es")
    school = page_text(client.get("/office"))
    assert "Casos abiertos en su escuela" in school and "Próximo seguimiento" in school
    missing = client.get("/students/987654")
    assert missing.status_code == 404 and "No encontrado" in page_text(missing)


def _family(world, first, last, language):
    """A student on the officer's caseload whose one guardian reads language."""
    student = factories.gen_student(world["school_a"], first="Leo", last=last)
    guardian = factories.gen_guardian([student], first=first, last=last, preferred_language=language)
    support.add_attendance(student, world["school_a"], unexcused=4, tardies=0)  # a truant: a notice is due
    return factories.gen_case(student, world["officer"], stage="first_notice"), guardian


def _letter_as_proposed(client, auth, case):
    """Make the letter the form proposes, as the user would; (language, text of the letter)."""
    form = page_text(client.get(f"/cases/{case.id}/letters/new?kind=first_notice"))
    proposed = {"language": re.search(r'name="language" value="(\w+)"\s+checked', form).group(1),
                "guardian": re.search(r'<option value="(\d+)" selected>', form).group(1)}
    made = auth.post(f"/cases/{case.id}/letters/new", data={"kind": "first_notice", **proposed})
    assert made.status_code == 302
    letter = Letter.get(Letter.case == case)
    return letter.language, support.text_of(letter.document)


def test_a_spanish_speaking_guardians_letter_is_spanish_for_an_english_speaking_officer(
        client, auth, world, login_as):
    case, rosa = _family(world, "Rosa", "Díaz", "es")
    login_as("officer")
    language, text = _letter_as_proposed(client, auth, case)
    assert language == "es" and "Estimado/a Rosa Díaz" in text and "Dear" not in text


def test_an_english_speaking_guardians_letter_is_english_for_a_spanish_speaking_officer(
        client, auth, world, login_as):
    case, ann = _family(world, "Ann", "Lee", "en")
    login_as("officer")
    choose_language(auth, "es")
    form = page_text(client.get(f"/cases/{case.id}/letters/new?kind=first_notice"))
    assert "Hacer la carta" in form and "Notificación de ausentismo escolar" in form
    language, text = _letter_as_proposed(client, auth, case)
    assert language == "en" and "Dear Ann Lee" in text and "Estimado" not in text


def test_the_days_letters_each_follow_their_guardian_for_a_spanish_speaking_front_office(
        client, auth, world, login_as):
    english_case, _ = _family(world, "Ann", "Lee", "en")
    spanish_case, _ = _family(world, "Rosa", "Díaz", "es")
    login_as("front_office")
    choose_language(auth, "es")
    page = page_text(client.get("/letters/due"))
    assert "Hacer e imprimir las cartas marcadas en un solo PDF" in page
    assert post_job(auth, "/letters/due", {"school": world["school_a"].id}).result["letters"] == 2
    assert Letter.get(Letter.case == english_case).language == "en"
    assert Letter.get(Letter.case == spanish_case).language == "es"


def test_the_legal_standing_and_the_worklist_read_in_spanish(client, auth, world, login_as):
    from fieldapp.rules.calendar import calendar_for
    from fieldapp.timefmt import local_today, school_year_start
    from tests.web.test_worklist_pages import ON, mark
    mark(world["student_a"], *(datetime.date(2025, 9, d) for d in (3, 10, 17)))
    login_as("officer")
    choose_language(auth, "es")
    work = page_text(client.get(f"/worklist?on={ON}"))
    for words in ("Primer aviso de ausentismo escolar al padre o la madre", "(EC 48260(a), 48260.5)",
                  "Ausentista (EC 48260)", "Normas de California, versión CA-2025-07-01 "
                  "(vigente desde el 1 jul 2025)"):
        assert words in work, words
    assert "First truancy notification" not in work and "rule set" not in work

    # The student page shows this school year: mark its first school day a tardy.
    today = local_today()
    first = calendar_for(world["school_a"].id, today).days_between(school_year_start(today), today)[0]
    mark(world["student_a"], first, category="tardy", minutes=40)
    student = page_text(client.get(f"/students/{world['student_a'].id}"))
    months = ("enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
              "diciembre").split()
    for words in ("Situación legal", "Sin ausentismo", "Se cuentan faltas por ausentismo (días completos",
                  f"{months[first.month - 1].capitalize()} {first.year}",
                  f"{first.day} {months[first.month - 1][:3]}", ": Llegada tarde, 40 minutos",
                  "Normas de California"):
        assert words in student, words
    # the key names the kinds of day shown, and "still to come" only while the month has school days ahead
    key = student.split('class="legend"')[1].split("</ul>")[0]
    assert "Retraso, salida temprana o parte del día" in key and "Ausencia injustificada" not in key, key
    month_end = (today.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
    ahead = calendar_for(world["school_a"].id, today).days_between(today + datetime.timedelta(days=1), month_end)
    assert ("Por venir" in student) == bool(ahead)
    for english in ("Unexcused absence", "Still to come", "Not truant", "rule set", "truancies", "40 minutes"):
        assert english not in student, english


def test_the_paperwork_says_what_to_fix_in_spanish(client, auth, world, login_as):
    login_as("officer")
    choose_language(auth, "es")
    plan = auth.post(f"/cases/{world['case_a'].id}/plans/new",
                     data={"barriers": "El autobús cambió de ruta.", "goals": "Venir cada día.",
                           "review_on": "2001-01-01"})
    text = page_text(plan)
    assert plan.status_code == 422 and "La fecha de revisión debe ser hoy o posterior." in text
    assert "El autobús cambió de ruta." in text  # what was typed is kept
    letter = auth.post(f"/cases/{world['case_a'].id}/letters/new",
                       data={"kind": "first_notice", "language": "en", "guardian": "999999",
                             "letter_date": "mañana"})
    text = page_text(letter)
    assert letter.status_code == 422
    assert "Elija de la lista a un tutor de este estudiante." in text
    assert "Escriba la fecha como AAAA-MM-DD." in text


def test_a_supervisor_reads_the_contact_log_and_the_sync_review_in_spanish(client, auth, world, login_as):
    factories.gen_contact(world["case_a"], world["officer"], method="phone", outcome="no_answer")
    login_as("supervisor")
    choose_language(auth, "es")
    log = page_text(client.get("/supervisor/contacts"))
    for words in ("Registro de contactos", "Registrado por", "Cualquiera", "Filtrar", "Llamada telefónica",
                  "No contestó"):
        assert words in log, words
    assert "Logged by" not in log and "Filter<" not in log
    conflicts = page_text(client.get("/supervisor/sync/conflicts"))
    assert "Conflictos de sincronización" in conflicts and "No hay conflictos por revisar." in conflicts
    devices = client.get("/supervisor/sync/devices?hours=mil")
    assert "Indique un número entero de horas entre 1 y 720." in page_text(devices)
    assert 'value="mil"' in page_text(devices)  # what was typed stays, to be fixed
    assert "Teléfonos con entradas en espera" in page_text(devices)


def test_the_letters_due_say_which_step_of_the_law_asks_in_spanish(client, auth, world, login_as):
    case, _ = _family(world, "Rosa", "Díaz", "es")
    # The notices the law asks were given by phone, one call each (the first notification
    # and the second report): the stage's letter is what is left.
    factories.gen_contact(case, world["officer"], method="phone", outcome="reached_parent")
    factories.gen_contact(case, world["officer"], method="phone", outcome="reached_parent")
    login_as("front_office")
    choose_language(auth, "es")
    page = page_text(client.get("/letters/due"))
    assert "1 familia tiene una carta pendiente en" in page and "Etapa: Primer aviso enviado" in page


def headings(response):
    """The text of a page's title, headings, table headers, labels and buttons."""
    found = re.findall(r"<(title|h1|h2|th|label|legend|button)\b[^>]*>(.*?)</\1>", page_text(response), re.S)
    return " | ".join(re.sub(r"<[^>]+>", " ", inner) for _, inner in found)


def test_an_administrator_who_picks_spanish_manages_users_in_spanish(client, auth, world, login_as):
    login_as("admin")
    choose_language(auth, "es")
    listing = client.get("/admin/users")
    for words in ("Usuarios", "Agregar un usuario", "Registro de auditoría", "Correo electrónico o nombre",
                  "Último inicio de sesión", "Oficial de asistencia", "Todo el distrito", "Activo"):
        assert words in page_text(listing), words
    for english in ("Users", "Add a user", "Audit trail", "Last log-in", "Schools", "Status", "Role", "Filter"):
        assert english not in headings(listing), english
    assert ">Users<" not in page_text(listing)  # the header's link to these pages

    user = client.get(f"/admin/users/{world['officer'].id}")
    for words in ("Función y escuelas", "Guardar función y escuelas", "Restablecer la contraseña",
                  "Eventos de auditoría recientes", "Último inicio de sesión:", "Desactivar (baja)"):
        assert words in page_text(user), words
    for english in ("Role and schools", "Account", "Recent audit events", "Reset password", "Deactivate"):
        assert english not in headings(user), english
    saved = auth.post(f"/admin/users/{world['officer'].id}",
                      data={"role": "officer", "schools": [str(world["school_a"].id)]})
    assert "Función y escuelas guardadas." in page_text(client.get(saved.headers["Location"]))

    reset = page_text(auth.post(f"/admin/users/{world['officer'].id}/reset-password", {"confirmed": "yes"}))
    assert "Contraseña restablecida" in reset and "Sus sesiones se cerraron." in reset
    assert f"Entregue esta contraseña temporal a <strong>{world['officer'].email}</strong>" in reset

    refused = auth.post("/admin/users/new", data={"email": world["officer"].email, "name": "Gemela",
                                                  "role": "officer"})
    text = page_text(refused)
    assert refused.status_code == 422
    assert "Ya existe un usuario con este correo." in text and 'value="Gemela"' in text
    assert "Agregar usuario" in text and "Función" in text
    for english in ("Add a user", "Add user", "Email", "Name", "Role", "Schools", "already exists"):
        assert english not in headings(refused) + text[text.find("<main"):], english

    trail = client.get("/admin/audit?since=2026-13-45")
    text = page_text(trail)
    assert trail.status_code == 422
    for words in ("Registro de auditoría", "Escriba la fecha como AAAA-MM-DD.", "Desde el día", "Hasta el día",
                  "A quién", "Antes → después", "No hay nada registrado."):
        assert words in text, words
    assert "Give a date as YYYY-MM-DD." not in text
    assert "están en hora del Pacífico." in text and "Pacific time" not in text
    for english in ("Audit trail", "To whom", "From day", "To day", "Before → after", "Filter"):
        assert english not in headings(trail), english


def test_a_documents_title_is_in_the_readers_language(client, auth, world, login_as):
    """The document's page and its tab kept the English title on a Spanish screen."""
    from fieldapp.documents import letters
    from fieldapp.rules.settings import RuleSettings
    case = world["case_a"]
    support.add_attendance(world["student_a"], world["school_a"])
    letter = letters.generate_letter(world["officer"], case, letters.default_choice(case, "first_notice"),
                                     RuleSettings())
    login_as("officer")
    choose_language(auth, "es")
    page = page_text(client.get(f"/documents/{letter.document_id}"))
    name = world["student_a"].full_name
    assert f"<title>Notificación de ausentismo escolar: {name} · fieldapp</title>" in page
    assert f"<h1>Notificación de ausentismo escolar: {name}</h1>" in page
    login_as("supervisor")  # who reads a student's access log, with its disclosures
    choose_language(auth, "es")
    access_log = page_text(client.get(f"/students/{world['student_a'].id}/access-log"))
    assert f"Notificación de ausentismo escolar: {name}" in access_log and "Truancy notification:" not in access_log


def _words(response):
    """The page's text as a reader sees it: no tags, no scripts, spaces made one."""
    text = re.sub(r"<script.*?</script>|<[^>]+>", " ", page_text(response), flags=re.S)
    return " ".join(text.split())


def test_the_rule_set_and_the_imports_read_in_spanish_for_a_spanish_reader(client, world, login_as):
    """They were English only, with the dates of a Spanish reader ('in effect from 1 jul 2025')."""
    User.update(language="es").where(User.id == world["admin"].id).execute()
    login_as("admin")
    rules = _words(client.get("/admin/rules"))
    for english in ("rule set", "in effect from", "Steps", "Statute", "Deadline", "school days", "the same day",
                    "Chronic absence", "School calendar", "Counts", "Open cases", "Versions", "unexcused",
                    "district practice", "environment", "birthday"):
        assert english not in rules, english
    for spanish in ("Reglas de", "en vigor desde el", "Pasos", "Plazo", "días de clase", "desde el 6.º cumpleaños", "Ausentismo crónico",
                    "Calendario escolar"):
        assert spanish in rules, spanish
    imports = _words(client.get("/admin/imports"))
    for english in ("District imports", "What the file holds", "Slash dates", "Skip bad rows", "Preview",
                    "Import history", "Nothing imported yet", "Rosters", "Attendance (.csv)", "Month first"):
        assert english not in imports, english
    for spanish in ("Importaciones del distrito", "Vista previa", "Historial de importaciones", "Asistencia (.csv)"):
        assert spanish in imports, spanish
