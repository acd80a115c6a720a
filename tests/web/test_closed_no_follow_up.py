"""A closed case has no follow-up due. The date its last contact planned
stays on the case, but no list, count or row says it is overdue: the
district list filtered on overdue follow-ups listed closed cases in red
("Overdue since"), and its count over every status exceeded the home
page's."""
import datetime
import re

from fieldapp.models import Case
from tests import factories
from tests.web.conftest import page_text

LONG_AGO = datetime.date(2020, 1, 6)


def _closed_with_past_follow_up(world):
    student = factories.gen_student(world["school_a"], first="Clara", last="Closed")
    case = factories.gen_case(student, world["officer"])
    Case.update(status="closed", next_follow_up=LONG_AGO).where(Case.id == case.id).execute()
    return student, case


def _total(page):
    return int(re.search(r"Cases in the district <small class=\"muted\">(\d+)</small>", page).group(1))


def test_a_closed_case_is_never_a_follow_up_overdue(auth, login_as, world):
    student, _ = _closed_with_past_follow_up(world)
    Case.update(next_follow_up=LONG_AGO).where(Case.id == world["case_a"].id).execute()  # open, overdue
    login_as("supervisor")
    closed = page_text(auth.client.get("/supervisor/cases?status=closed&follow_up=overdue"))
    assert "Closed, Clara" not in closed and "No case matches these filters." in closed
    every = page_text(auth.client.get("/supervisor/cases?status=all&follow_up=overdue"))
    assert "Closed, Clara" not in every and _total(every) == 1
    home = page_text(auth.client.get("/supervisor"))
    assert "<strong class=\"overdue-text\">1</strong> follow-ups overdue" in home
    for status in ("closed", "all"):
        listed = page_text(auth.client.get(f"/supervisor/cases?status={status}"))
        row = listed[listed.index("Closed, Clara"):]
        row = row[:row.index("</tr>")]
        assert "Overdue" not in row and "Jan 6" in row

