"""Exports read their rows straight from the database a chunk at a time: the
worklist export holds the worklist row for row, and a file reads the same
in CSV and in XLSX."""
import csv
import datetime
import io

import openpyxl
import time_machine

from fieldapp import codes
from fieldapp.exports import datasets
from fieldapp.models import AccessLog
from fieldapp.rules import worklist as work
from fieldapp.rules.settings import from_config
from tests import factories
from tests.web.test_jobs import job_id_of, wait_for
from tests.web.test_worklist_pages import mark

DAYS = (datetime.date(2025, 9, 3), datetime.date(2025, 9, 10), datetime.date(2025, 9, 17))
RECENT = (datetime.date(2025, 9, 26), datetime.date(2025, 9, 29), datetime.date(2025, 9, 30))
NOW = datetime.datetime(2025, 10, 1, 17, 0, tzinfo=datetime.timezone.utc)  # a Wednesday


def _worklist(world):
    mark(world["student_a"], *DAYS)  # case A is with the officer
    for i in range(27):
        mark(factories.gen_student(world["school_a"], first=f"Kid{i:02d}", last="Late"), *DAYS)
    for i in range(4):
        mark(factories.gen_student(world["school_b"], first=f"New{i}", last="Crossed"), *RECENT)


def _as_built(listing):
    """The worklist's lines as its computed items give them."""
    return [[s.local_id, s.last_name, s.first_name, s.school.name, work.SECTIONS[item.section],
             item.step.step.label if item.step else "", item.step.step.statute if item.step else "",
             item.step.due_on if item.step else None, item.days_left if item.step else None,
             item.result.percent_missed, codes.label("band", item.result.band),
             item.case.officer.name if item.case and item.case.officer_id else "",
             "; ".join(str(m) for m in item.result.why_nothing_due) if item.section == "not_counted" else ""]
            for item in listing.items for s in [item.student]]


def test_the_worklist_export_holds_the_worklist_row_for_row(app, world):
    with time_machine.travel(NOW, tick=False):
        _worklist(world)
        settings = from_config(app.config)
        built = _as_built(work.build(settings))
        assert len(built) == 32 and {row[4] for row in built} >= {"Overdue", "Crossed a threshold"}
        assert any(row[11] for row in built) and any(row[8] is not None for row in built)
        exported = datasets.worklist(settings)
        assert [list(row) for row in exported.rows()] == built
        school_b = [world["school_b"].id]
        assert list(datasets.worklist(settings, school_b).rows()) == _as_built(work.build(settings, None, school_b))


def _csv_rows(answer):
    return list(csv.reader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))


def _xlsx_as_csv(answer):
    """The sheet's cells written as the CSV writes them."""
    sheet = openpyxl.load_workbook(io.BytesIO(answer.get_data())).active
    lines = []
    for row in sheet.iter_rows():
        line = []
        for cell in row:
            value = cell.value
            if value is None:
                value = ""
            elif isinstance(value, datetime.datetime):
                value = value.date().isoformat() if cell.number_format == "yyyy-mm-dd" else \
                    value.strftime("%Y-%m-%d %H:%M")
            elif cell.quotePrefix:
                value = "'" + value
            line.append(str(value))
        lines.append(line)
    return lines


def _same_to_the_minute(row):
    """Times to the minute (a spreadsheet keeps them as fractions of a day),
    and a whole number as one (a spreadsheet keeps 9.0 as the number 9)."""
    return [v[:16] if len(v) > 16 and v[4:5] == "-" and v[10:11] == " " else
            v[:-2] if v.endswith(".0") and v[:-2].lstrip("-").isdigit() else v for v in row]


def _xlsx_by_job(auth, path):
    """The spreadsheet an XLSX export's job makes, downloaded from its page."""
    job = wait_for(auth.client, job_id_of(auth.post(path, data={"format": "xlsx"})))
    assert job.state == "done", job.reason
    return auth.client.get(f"/jobs/{job.id}/spreadsheet")


def test_each_export_reads_the_same_in_csv_and_xlsx_and_logs_each_student_once(auth, login_as, world,
                                                                               start_worker):
    start_worker("sqlite")
    factories.gen_contact(world["case_a"], world["officer"], notes="=1+1")
    with time_machine.travel(NOW, tick=True):
        _worklist(world)
        login_as("supervisor")
        for name in ("cases?status=all", "contacts", "worklist", "letters"):
            path = f"/supervisor/export/{name}"
            as_csv = _csv_rows(auth.post(path, data={"format": "csv"}))
            as_xlsx = _xlsx_as_csv(_xlsx_by_job(auth, path))
            assert [_same_to_the_minute(r) for r in as_csv] == [_same_to_the_minute(r) for r in as_xlsx], name
        exported = AccessLog.select().where(AccessLog.action == "export")
        assert exported.where(AccessLog.path.startswith("/supervisor/export/worklist")).count() == 2 * 32
