"""A user with no saved language reads the pages in the language their
browser asks for, and each list's file is written in it too: the CSV made in
the request and the spreadsheet a worker writes later, with no request to
ask, alike (the language is recorded with the job when it is started)."""
import csv
import io
import re

import pytest

from tests import factories
from tests.jobs_support import run_queued
from tests.web.test_export_rows import _same_to_the_minute, _xlsx_as_csv
from tests.web.test_jobs import job_id_of
from tests.web.test_desk_list_exports import _school_days_back
from tests.web.test_worklist_pages import mark

SPANISH = {"Accept-Language": "es-MX,es;q=0.9"}
# list -> (who exports it, its export, a cell of its first row in Spanish)
EXPORTS = {"cases": ("supervisor", "/supervisor/export/cases?status=all", "Observación"),
           "contacts": ("supervisor", "/supervisor/export/contacts", None),
           "letters": ("supervisor", "/supervisor/export/letters", None),
           "worklist": ("supervisor", "/supervisor/export/worklist", None),
           "unassigned": ("supervisor", "/supervisor/export/unassigned", None),
           "students": ("supervisor", "/supervisor/export/students", None),
           "office": ("front_office", "/office/export", None)}


def _rows(data):
    return [_same_to_the_minute(row) for row in csv.reader(io.StringIO(data.lstrip("\ufeff")))]


def _as_numbers(row):
    """A Spanish CSV's shares ("5,1": a decimal comma) as the numbers a spreadsheet keeps."""
    return _same_to_the_minute([v.replace(",", ".") if re.fullmatch(r"-?\d+,\d+", v) else v for v in row])


@pytest.mark.parametrize("name", EXPORTS)
def test_each_file_is_in_the_language_the_browser_asks_for(auth, login_as, world, name):
    role, path, label = EXPORTS[name]
    factories.gen_contact(world["case_a"], world["officer"], notes="Habló con la madre")
    mark(world["student_a"], *_school_days_back(4))
    user = login_as(role)
    assert user.language == ""  # never chosen: the pages follow the browser
    english = _rows(auth.post(path, data={"format": "csv"}).get_data(as_text=True))
    spanish = _rows(auth.post(path, data={"format": "csv"}, headers=SPANISH).get_data(as_text=True))
    assert spanish[0] != english[0], spanish[0]  # the CSV made in the request is in Spanish
    job_id = job_id_of(auth.post(path, data={"format": "xlsx"}, headers=SPANISH))
    run_queued(auth.client.application)
    sheet = _xlsx_as_csv(auth.client.get(f"/jobs/{job_id}/spreadsheet", headers=SPANISH))
    assert [_same_to_the_minute(row) for row in sheet] == [_as_numbers(row) for row in spanish], name
    if label:
        assert label in spanish[1] and label in sheet[1]
