"""Notes an import says of rows it reads once or keeps without counting read
in the reader's language, each row named: a roster row repeated exactly, a
mark on a day its student was not enrolled."""
import datetime
import io
import os
import shutil

from fieldapp.imports import run
from fieldapp.models import Enrollment, Student
from fieldapp.rules.settings import RuleSettings
from tests import factories
from tests.unit.test_import_district_files import HEADER, TODAY, edfi_roster  # noqa: F401
from tests.web.test_import_notes_spanish import _spanish, _words

BULK = os.path.join(os.path.dirname(__file__), "..", "data", "oneroster-bulk")


def test_a_roster_row_repeated_exactly_is_said_in_spanish(app, auth, tmp_path):
    admin = factories.gen_user("admin")
    folder = tmp_path / "export"
    shutil.copytree(BULK, folder)
    users = folder / "users.csv"
    users.write_text(users.read_text(encoding="utf-8") + users.read_text(encoding="utf-8").splitlines()[1] + "\n",
                     encoding="utf-8")
    roster, _ = run("oneroster", str(folder), "twice", RuleSettings(), user=admin)
    _spanish(admin, auth)
    page = _words(auth, f"/admin/imports/{roster.id}")
    assert ("users.csv: 1 fila repite una fila anterior celda por celda (salvo espacios alrededor de las celdas) y "
            "se lee una vez: la fila 9 repite la fila 2.") in page
    assert "también está en la fila" not in page


def test_marks_on_days_not_enrolled_are_named_by_row_in_spanish(auth, edfi_roster):
    admin = factories.gen_user("admin")
    student = Student.get(Student.local_id == "604823")
    Enrollment.delete().where(Enrollment.student == student).execute()
    Enrollment.create(student=student, school=student.school_id, begin_date=None,
                      end_date=datetime.date(2021, 10, 29))
    rows = HEADER + "604823,255901001,2021-10-28,Tardy,,20\n604823,255901001,2021-11-09,Unexcused Absence,1,\n"
    imported, _ = run("attendance", io.BytesIO(rows.encode()), "a.csv", RuleSettings(), user=admin, today=TODAY)
    _spanish(admin, auth)
    page = _words(auth, f"/admin/imports/{imported.id}")
    assert ("1 marca es de un día en que su estudiante no estaba inscrito: guardada, no cuenta (fila 3: 604823 el "
            "9 nov 2021)") in page
