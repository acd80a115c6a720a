"""The supervisor's desk and the front office in the reader's language: the
excuse note's warnings name their dates as the pages do (and which dates an
earlier note covers), a letter batch's title says its day so too."""
from babel.dates import format_date

from fieldapp.models import ExcuseNote
from tests.web.conftest import page_text
from tests.web.test_front_office import _absent_days, _school_days, no_case  # noqa: F401
from tests.web.test_language import choose_language


def _spanish(day):
    return format_date(day, "d MMM y", locale="es")


def test_the_excuse_notes_warnings_say_their_dates_in_spanish_and_which_are_covered(
        auth, login_as, no_case):  # noqa: F811
    student = no_case["student_c"]
    absent = _absent_days(student, 3)
    attended = [day for day in _school_days(student, 12) if day not in absent and day < absent[0]][-1]
    login_as("front_office")
    choose_language(auth, "es")
    form = {"first_day": absent[0].isoformat(), "last_day": absent[1].isoformat(), "received_how": "phone",
            "from_whom": "Madre", "reason": "illness"}
    assert auth.post(f"/students/{student.id}/excuse-notes/new", data=form).status_code == 302
    wider = {**form, "first_day": attended.isoformat(), "last_day": absent[2].isoformat(), "from_whom": "Dr Lee"}
    warned = auth.post(f"/students/{student.id}/excuse-notes/new", data=wider)
    assert warned.status_code == 422 and ExcuseNote.select().count() == 1
    page = page_text(warned)
    assert _spanish(attended) in page and attended.isoformat() not in page.split("value=")[0]
    covered = f"{_spanish(absent[0])}, {_spanish(absent[1])}"
    assert f"cubre {covered} (registrada el " in page  # only the dates already covered
    for day in (attended, *absent):
        assert f">{day.isoformat()}" not in page and f" {day.isoformat()}" not in page


def test_a_letter_batchs_title_says_its_day_in_spanish(auth, client, login_as, world):
    from fieldapp.models import DocumentRecord
    from fieldapp.timefmt import today_for_school
    from tests.jobs_support import post_job
    from tests.web.test_language import _family
    _family(world, "Ann", "Lee", "en")
    _family(world, "Rosa", "Díaz", "es")
    login_as("front_office")
    choose_language(auth, "es")
    assert post_job(auth, "/letters/due", {"school": world["school_a"].id}).result["letters"] == 2
    record = DocumentRecord.get(DocumentRecord.kind == "letter_batch")
    day = today_for_school(world["school_a"].id)
    page = page_text(client.get(f"/documents/{record.id}"))
    assert f"<h1>Cartas pendientes del {_spanish(day)}: " in page and day.isoformat() not in page.split("<h1>")[1][:80]


def _share_of(student):
    from fieldapp.students import attendance
    from fieldapp.timefmt import today_for_school
    return attendance.summary(student, today_for_school(student.school_id)).percent_missed


def test_a_share_of_days_missed_has_a_decimal_comma_in_spanish_pages_and_files(auth, client, login_as, world):
    import csv
    import io
    from babel.numbers import format_decimal
    from tests import documents_support as support
    student = world["student_a"]
    support.add_attendance(student, world["school_a"], unexcused=5, tardies=0)
    share = _share_of(student)
    spanish, english = format_decimal(share, "#,##0.0##", locale="es"), f"{share:.1f}"
    assert "," in spanish and spanish != english
    login_as("supervisor")
    choose_language(auth, "es")
    page = page_text(client.get(f"/students/{student.id}"))
    assert f"· {spanish}%" in page and f"{english}%" not in page
    listed = page_text(client.get("/supervisor/students"))
    assert f"({spanish}%)" in listed and f"({english}%)" not in listed
    data = auth.post("/supervisor/export/students", data={"format": "csv"}).get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(data.lstrip("\ufeff"))))
    mine = next(row for row in rows if student.last_name in row)
    assert spanish in mine and english not in mine
    login_as("officer")
    choose_language(auth, "es")
    assert f"{spanish}%" in page_text(client.get("/caseload"))


def _letter_made(world):
    from fieldapp.documents import letters
    from fieldapp.rules.settings import RuleSettings
    from tests import documents_support as support
    case = world["case_a"]
    support.add_attendance(world["student_a"], world["school_a"])
    return letters.generate_letter(world["officer"], case, letters.default_choice(case, "first_notice"),
                                   RuleSettings())


def test_the_contact_a_letter_logs_reads_in_spanish_on_pages_and_in_the_contact_logs_file(
        auth, client, login_as, world):
    import csv
    import io
    from tests import factories
    letter = _letter_made(world)
    contact = letter.contact
    assert contact.notes == "" and contact.notes_code  # nothing English is stored as if typed
    # written before the app kept a code: the English sentence stays, and is recognised
    factories.gen_contact(world["case_a"], world["officer"], method="letter", outcome="letter_issued",
                          notes="Invitation to an attendance conference (ca-conference-invitation v1, Spanish) "
                                "to Rosa Díaz.")
    factories.gen_contact(world["case_a"], world["officer"], method="letter", outcome="letter_issued",
                          notes="Sent by certified mail.")  # typed: shown as typed
    login_as("officer")
    english = page_text(client.get(f"/students/{world['student_a'].id}"))
    assert f"Truancy notification ({letter.template_id} v{letter.template_version}, " in english
    choose_language(auth, "es")
    page = page_text(client.get(f"/students/{world['student_a'].id}"))
    said = f"Notificación de ausentismo escolar ({letter.template_id} v{letter.template_version}, "
    assert said in page and "Truancy notification" not in page
    assert "Invitación a una reunión sobre asistencia (ca-conference-invitation v1, Español) para Rosa Díaz." \
        in page and "Invitation to an attendance conference" not in page
    assert "Sent by certified mail." in page
    login_as("supervisor")
    choose_language(auth, "es")
    assert said in page_text(client.get("/supervisor/contacts"))
    data = auth.post("/supervisor/export/contacts", data={"format": "csv"}).get_data(as_text=True)
    notes = [row[11] for row in csv.reader(io.StringIO(data.lstrip("\ufeff")))][1:]
    assert any(note.startswith(said) for note in notes) and not any("Truancy" in note for note in notes)
    assert "Sent by certified mail." in notes


def test_an_exports_file_and_sheet_are_named_in_spanish_in_plain_letters(auth, login_as, world):
    import io
    import openpyxl
    from tests.jobs_support import run_queued
    from tests.web.test_jobs import job_id_of
    login_as("supervisor")
    choose_language(auth, "es")
    answer = auth.post("/supervisor/export/letters", data={"format": "csv"})
    assert answer.status_code == 200
    named = answer.headers["Content-Disposition"]
    assert named.startswith('attachment; filename="cartas-enviadas-') and named.endswith('.csv"'), named
    named.encode("ascii")
    job_id = job_id_of(auth.post("/supervisor/export/unassigned", data={"format": "xlsx"}))
    run_queued(auth.client.application)
    sheet = auth.client.get(f"/jobs/{job_id}/spreadsheet")
    named = sheet.headers["Content-Disposition"]
    assert named.startswith('attachment; filename="casos-sin-asignar-') and named.endswith('.xlsx"'), named
    book = openpyxl.load_workbook(io.BytesIO(sheet.get_data()))
    assert book.sheetnames[0] == "casos sin asignar", book.sheetnames
    login_as("supervisor")
    choose_language(auth, "en")
    english = auth.post("/supervisor/export/letters", data={"format": "csv"}).headers["Content-Disposition"]
    assert english.startswith('attachment; filename="letters-sent-')


def test_a_csv_export_is_listed_in_recent_work_with_its_rows_once_sent(auth, login_as, world):
    from fieldapp.models import Job
    from tests import factories
    for note in ("uno", "dos", "tres"):
        factories.gen_contact(world["case_a"], world["officer"], notes=note)
    login_as("supervisor")
    answer = auth.post("/supervisor/export/contacts?method=home_visit", data={"format": "csv"})
    assert answer.is_streamed  # written as it is sent, never held whole
    assert not Job.select().exists()  # not before the file has been sent
    data = answer.get_data(as_text=True)
    written = len(data.strip().splitlines()) - 1
    recent = page_text(auth.client.get("/jobs"))
    assert "CSV export" in recent and "The contact log" in recent and f"{written} rows" in recent
    job = Job.get(Job.kind == "export_csv")
    assert job.result == {"filename": answer.headers["Content-Disposition"].split('"')[1], "rows": written}
    page = page_text(auth.client.get(f"/jobs/{job.id}"))
    assert "Downloaded as a CSV file." in page and f"{written} rows." in page and 'value="csv"' in page
    choose_language(auth, "es")
    recent = page_text(auth.client.get("/jobs"))
    assert "Exportación CSV" in recent and f"{written} filas" in recent
