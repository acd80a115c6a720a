"""What an undo did reads in words of its reader's language, never a
table's name ("1 roster_enrollment restored"), and each plural in its form."""
import datetime
import os
import re
import shutil

from fieldapp.imports import run, undo
from fieldapp.models import ImportRun, RosterEnrollment, User
from fieldapp.rules.settings import RuleSettings
from tests import factories
from tests.web.conftest import page_text
from tests.web.test_import_pages import DATA

TODAY = datetime.date(2025, 10, 1)


def _words(auth, url):
    return re.sub(r"&#39;", "'", " ".join(page_text(auth.client.get(url)).split()))


def _delta(tmp_path):
    """A delta roster that moves one enrollment record's begin date."""
    folder = tmp_path / "delta"
    folder.mkdir()
    (folder / "manifest.csv").write_text(
        "propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\nfile.orgs,absent\n"
        "file.users,absent\nfile.demographics,absent\nfile.enrollments,delta\n")
    (folder / "enrollments.csv").write_text(
        "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,"
        "beginDate,endDate\nenr-4,active,,cls-2b,sch-100,stu-1003,student,false,2025-09-02,\n")
    return str(folder)


def test_an_undo_says_what_it_undid_in_words_and_in_spanish(app, auth, tmp_path):
    admin = factories.gen_user("admin")
    bulk, _ = run("oneroster", os.path.join(DATA, "oneroster-bulk"), "roster.zip", RuleSettings(), user=admin,
                  today=TODAY)
    assert RosterEnrollment.select().count() == 4
    delta, _ = run("oneroster", _delta(tmp_path), "delta.zip", RuleSettings(), user=admin, today=TODAY)
    assert delta.outcome == "applied", delta.message
    undo(ImportRun.get_by_id(delta.id), admin)
    undo(ImportRun.get_by_id(bulk.id), admin)
    assert RosterEnrollment.select().count() == 0
    auth.login(admin)
    page = _words(auth, f"/admin/imports/{delta.id}")
    assert "roster_enrollment" not in page and "1 enrollment record restored" in page
    page = _words(auth, f"/admin/imports/{bulk.id}")
    assert "4 enrollment records it added removed" in page and "roster_enrollment" not in page
    assert "3 students it created deactivated" in page
    User.update(language="es").where(User.id == admin.id).execute()
    page = _words(auth, f"/admin/imports/{delta.id}")
    assert "1 registro de matrícula restablecido" in page and "restored" not in page
    page = _words(auth, f"/admin/imports/{bulk.id}")
    assert "4 registros de matrícula que añadió, eliminados" in page
    assert "3 estudiantes que creó, desactivados" in page and "deactivated" not in page


def test_an_undo_stored_with_a_tables_name_reads_in_words(auth, login_as, world):
    """Undos kept in the history from before say their counts in words too."""
    done = ImportRun.create(kind="oneroster", filename="roster.zip", user=world["admin"], source="upload",
                            outcome="applied", rows_read=4, undone_at=datetime.datetime(2025, 10, 2),
                            undo_counts_json='{"roster_enrollments restored": 2, "enrollments restored": 1}')
    login_as("admin")
    page = _words(auth, f"/admin/imports/{done.id}")
    assert "2 enrollment records restored" in page and "1 enrollment period restored" in page
    assert "roster_enrollment" not in page


def _read(auth, url):
    """The page's words as a reader sees them: without its tags."""
    return " ".join(re.sub(r"<[^>]+>", " ", _words(auth, url)).split()).replace(" :", ":")


def test_what_an_undo_keeps_is_named_before_and_after_in_spanish(app, auth):
    """A calendar's day a later import changed is kept by undoing the
    first: the run's page warns before, and says after, in its reader's
    language which calendar and day, and which import changed it."""
    import io
    from fieldapp.imports.oneroster import import_oneroster
    assert import_oneroster(os.path.join(DATA, "edfi-oneroster"), "grand-bend").outcome == "applied"
    admin = factories.gen_user("admin")
    year = ("schoolId,date,calendarEvent,name\n255901001,2021-08-23,First day,\n255901001,2022-05-27,Last day,\n"
            "255901001,2021-11-25,Holiday,Thanksgiving\n")
    first, _ = run("calendar", io.BytesIO(year.encode()), "year.csv", RuleSettings(), user=admin)
    weather = "schoolId,date,calendarEvent,name\n255901001,2021-12-03,Weather day,Snow\n"
    later, _ = run("calendar", io.BytesIO(weather.encode()), "weather.csv", RuleSettings(), user=admin)
    User.update(language="es").where(User.id == admin.id).execute()
    auth.login(admin)
    page = _read(auth, f"/admin/imports/{first.id}")
    assert ("1 registro que hizo esta importación fue cambiado después por una importación posterior, y se "
            "conservará como esta lo dejó: el calendario de Grand Bend High School, 2021-22: 3 dic 2021: cambiado "
            f"desde entonces por la importación {later.id}, conservado") in page
    assert "¿Deshacer esta importación? Se conservará 1 registro cambiado después por una importación " \
        "posterior. Sí, deshacer esta importación" in page
    undo(ImportRun.get_by_id(first.id), admin)
    page = _read(auth, f"/admin/imports/{first.id}")
    assert ("1 conservado: cambiado desde la importación: el calendario de Grand Bend High School, 2021-22: "
            f"3 dic 2021: cambiado desde entonces por la importación {later.id}, conservado") in page, page
    assert "changed since" not in page and "calendar of" not in page
