"""The dashboard's "By officer" table adds up to the district's figures: a
row says what no officer holds (open cases not assigned; for legal steps,
also students with no open case), linking to the lists behind it. Without
it the officers' legal steps overdue (23 + 90) stood beside 344 for the
district with nothing to say why."""
import datetime
import re

from fieldapp.models import Case
from fieldapp.timefmt import local_today
from tests import factories
from tests.web.conftest import page_text
from tests.web.test_dashboard_steps import _truant_on, _weekdays_before

COLUMNS = ("Open cases", "Follow-ups overdue", "Legal steps overdue", "Legal steps due this week")


def _cell(row, column):
    found = re.search(r'data-label="' + re.escape(column) + r'">(.*?)</td>', row, re.S)
    return int(re.sub(r"<[^>]+>", "", found.group(1)).strip().replace(",", ""))


def _officer_table(page):
    section = page[page.index('id="by-officer"'):]
    body = section[section.index("<tbody>"):section.index("</tbody>")]
    return [row for row in body.split("<tr")[1:]]


def _district(page, column):
    return {"Open cases": r"<strong>(\d+)</strong> open cases",
            "Follow-ups overdue": r"<strong[^>]*>(\d+)</strong> follow-ups overdue",
            "Legal steps overdue": r"<strong[^>]*>(\d+)</strong> legal steps overdue",
            "Legal steps due this week": r"<strong[^>]*>(\d+)</strong> legal steps due this week"}[column]


def test_the_officers_rows_and_the_no_officer_row_add_up_to_the_district(auth, login_as, world):
    school, officer, today = world["school_a"], world["officer"], local_today()
    long_ago = _weekdays_before(today, 30)[-3:]
    held = factories.gen_student(school, first="Held", last="Byofficer")
    queued = factories.gen_student(school, first="Queued", last="Nobody")
    caseless = factories.gen_student(school, first="Without", last="Case")
    factories.gen_case(held, officer)
    queued_case = factories.gen_case(queued, officer)
    Case.update(officer=None, next_follow_up=today - datetime.timedelta(days=3)).where(
        Case.id == queued_case.id).execute()
    for student in (held, queued, caseless):
        _truant_on(student, school, long_ago)
    login_as("supervisor")
    page = page_text(auth.client.get("/supervisor"))
    rows = _officer_table(page)
    nobody = [row for row in rows if "No officer" in row]
    assert len(nobody) == 1
    for column in COLUMNS:
        district = int(re.search(_district(page, column), page).group(1))
        assert sum(_cell(row, column) for row in rows) == district, column
    assert _cell(nobody[0], "Open cases") == 1 and _cell(nobody[0], "Follow-ups overdue") == 1
    assert _cell(nobody[0], "Legal steps overdue") == 2  # the queued case's student and the one with none
    assert 'href="/worklist?officer=none&amp;section=overdue"' in nobody[0]
    listed = page_text(auth.client.get("/worklist?officer=none&section=overdue"))
    assert "Nobody, Queued" in listed and "Case, Without" in listed and "Byofficer, Held" not in listed
    assert 'href="/supervisor/cases?officer=none&amp;follow_up=overdue"' in nobody[0]
