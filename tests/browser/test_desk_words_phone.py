"""On a phone, in Spanish: the excuse note's warnings with their dates, a
letter's contact and a share of days missed on the student's page, and a
CSV export in the recent work and on its own page."""
from fieldapp.documents import letters
from fieldapp.jobs import export_kinds
from fieldapp.models import User, utcnow
from fieldapp.rules.settings import RuleSettings
from tests import documents_support as support
from tests.browser.conftest import PHONE, login
from tests.browser.test_phone_layout import assert_fits_the_phone
from tests.web.test_front_office import _absent_days, _school_days


def _in_spanish(user):
    User.update(language="es").where(User.id == user.id).execute()
    return User.get_by_id(user.id)


def test_the_desks_words_fit_a_phone_in_spanish(world, live_server, browser):
    student, case = world["student_a"], world["case_a"]
    support.add_attendance(student, world["school_a"], unexcused=5, tardies=0)
    letters.generate_letter(world["officer"], case, letters.default_choice(case, "first_notice"), RuleSettings())
    page = browser.new_context(**PHONE).new_page()
    login(page, live_server, _in_spanish(world["officer"]))
    page.goto(f"{live_server}/students/{student.id}")
    page.wait_for_load_state("networkidle")
    text = page.inner_text("main")
    assert "Notificación de ausentismo escolar (" in text and "Truancy notification" not in text
    assert_fits_the_phone(page, "es-student-letter-contact")

    front = _in_spanish(world["front"])
    absent = _absent_days(student, 2)
    attended = [day for day in _school_days(student, 12) if day not in absent and day < absent[0]][-1]
    page = browser.new_context(**PHONE).new_page()
    login(page, live_server, front)
    for first in (absent[0], attended):
        page.goto(f"{live_server}/students/{student.id}/excuse-notes/new")
        page.fill("#first_day", first.isoformat())
        page.fill("#last_day", absent[-1].isoformat())
        page.fill("#from_whom", "Madre")
        page.select_option("#reason", "illness")
        page.select_option("#received_how", "phone")
        page.click("main form button[type=submit]")
        page.wait_for_load_state("networkidle")
    text = page.inner_text("main")
    assert "Ya hay una nota que cubre" in text and absent[0].isoformat() not in text
    assert_fits_the_phone(page, "es-excuse-note-warnings")

    supervisor = _in_spanish(world["supervisor"])
    export_kinds.record_csv(supervisor, export_kinds.export_params("contacts", [("method", "home_visit")], "/", "",
                                                                   "2026-12-01", language="es"),
                            "contactos-2026-12-01.csv", 1341, utcnow())
    page = browser.new_context(**PHONE).new_page()
    login(page, live_server, supervisor)
    page.goto(f"{live_server}/jobs")
    page.wait_for_load_state("networkidle")
    assert "Exportación CSV" in page.inner_text("main") and "1.341 filas" in page.inner_text("main")
    assert_fits_the_phone(page, "es-recent-csv")
    page.locator("main ul.recent-work a").first.click()
    page.wait_for_url("**/jobs/*")
    page.wait_for_load_state("networkidle")
    assert "Descargado como archivo CSV." in page.inner_text("main")
    assert_fits_the_phone(page, "es-csv-job")
