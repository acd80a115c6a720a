"""An export is logged in the access log of each student its file holds, the
very rows written, not the list asked again before or after (a case opened
or moved meanwhile); each student once however many of their rows the file
holds."""
import csv
import io

from werkzeug.datastructures import MultiDict

from fieldapp.exports import datasets
from fieldapp.models import AccessLog, Student
from fieldapp.rules.settings import from_config
from tests import factories


def _exported_students(path):
    return {line.student_id for line in AccessLog.select().where(
        (AccessLog.action == "export") & AccessLog.path.startswith(path))}


def test_what_is_disclosed_is_the_students_of_the_rows_written(app, world):
    """A spreadsheet's students are logged once its file is kept: a case
    opened, or closed, after its rows were read changes the list, not what
    the file holds nor whose log says so."""
    settings = from_config(app.config)
    factories.gen_contact(world["case_a"], world["officer"], notes="Before")
    # each list, and the column of its file that names the student by local id
    for name, args, column in (("cases", {"status": "open"}, 1), ("contacts", {}, 3), ("letters", {}, 7),
                               ("worklist", {}, 0), ("students", {}, 0)):
        dataset = datasets.by_name(name, MultiDict(args), settings)
        written = list(dataset.lines())
        late = factories.gen_student(world["school_a"], first="Late", last="Comer")
        factories.gen_contact(factories.gen_case(late, world["officer"]), world["officer"], notes="After")
        assert _local_ids(dataset.disclosed()) == {line[column] for line in written}, name


def _local_ids(ids):
    return {s.local_id for s in Student.select().where(Student.id.in_(list(ids)))}


def test_a_case_in_the_file_is_in_its_students_log(auth, login_as, world):
    login_as("supervisor")
    rows = list(csv.reader(io.StringIO(auth.post("/supervisor/export/cases?status=open", data={
        "format": "csv"}).get_data(as_text=True).lstrip("\ufeff"))))
    assert {row[1] for row in rows[1:]} == _local_ids(_exported_students("/supervisor/export/cases"))
    assert len(rows) > 1


def test_a_student_of_many_rows_is_logged_once(auth, login_as, world):
    for n in range(3):
        factories.gen_contact(world["case_a"], world["officer"], notes=f"Visit {n}")
    login_as("supervisor")
    answer = auth.post("/supervisor/export/contacts", data={"format": "csv"})
    answer.get_data()
    lines = AccessLog.select().where((AccessLog.action == "export") & (AccessLog.student == world["student_a"].id))
    assert lines.count() == 1
