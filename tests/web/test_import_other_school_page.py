"""An attendance file's rows naming a school the student is not enrolled at
are said on the import's page, in the reader's language: each among the row
problems, and how many were left out, naming the first, among what was left
aside; the preview says it before anything is applied, the history after."""
import io
import re

from fieldapp.models import AttendanceEvent, User
from tests.web.conftest import page_text
from tests.web.test_import_pages import apply, roster_zip, upload, upload_and_apply

FILE = ("studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor\n"
        "1001,sch-100,2025-09-02,Unexcused Absence\n"
        "1001,sch-200,2025-09-03,Unexcused Absence\n")  # 1001 is enrolled at sch-100 only


def _words(auth, url):
    return re.sub(r"&#39;", "'", " ".join(page_text(auth.client.get(url)).split()))


def test_the_preview_and_the_history_say_the_rows_of_another_school_left_out(auth, login_as):
    login_as("admin")
    upload_and_apply(auth, "oneroster", roster_zip(), "roster.zip")
    url = upload(auth, "attendance", io.BytesIO(FILE.encode()), "monday.csv", skip_bad_rows="1")
    for page in (_words(auth, url), None):
        if page is None:  # applied: the history says the same
            assert apply(auth, url).state == "done"
            page = _words(auth, url)
        assert "1 row names a school the student is not enrolled at: left out (row 3: 1001 at sch-200)" in page
        assert "student '1001' is not enrolled at school 'sch-200': left out" in page
    assert [(e.date.isoformat(), e.school.sourced_id) for e in AttendanceEvent.select()] == [
        ("2025-09-02", "sch-100")]


def test_a_spanish_reader_reads_them_in_spanish(auth, login_as, world):
    User.update(language="es").where(User.id == world["admin"].id).execute()
    login_as("admin")
    upload_and_apply(auth, "oneroster", roster_zip(), "roster.zip")
    page = _words(auth, upload(auth, "attendance", io.BytesIO(FILE.encode()), "monday.csv"))
    assert "not enrolled" not in page
    assert ("1 fila nombra una escuela en la que el estudiante no está inscrito: dejada fuera "
            "(fila 3: 1001 en sch-200)") in page
    assert "el estudiante '1001' no está inscrito en la escuela 'sch-200'" in page
