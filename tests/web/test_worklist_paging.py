"""The worklist is never cut: every section pages, and narrows by officer and step."""
import datetime

from tests import factories
from tests.web.conftest import page_text
from tests.web.test_worklist_pages import ON, mark

DAYS = (datetime.date(2025, 9, 3), datetime.date(2025, 9, 10), datetime.date(2025, 9, 17))


def test_a_long_section_pages_to_its_last_student(auth, login_as, world):
    for i in range(73):
        mark(factories.gen_student(world["school_a"], first=f"Kid{i:03d}", last="Late"), *DAYS)
    login_as("supervisor")
    first = page_text(auth.client.get(f"/worklist?on={ON}"))
    assert "All 73 in this section" in first and "flask worklist" not in first
    last = page_text(auth.client.get(f"/worklist?on={ON}&section=overdue&page=2"))
    assert "Students 51–73 of 73" in last and "Page 2 of 2" in last
    everyone = page_text(auth.client.get(f"/worklist?on={ON}&section=overdue")) + last
    assert all(f"Late, Kid{i:03d}" in everyone for i in range(73))


def test_the_worklist_narrows_by_officer_and_step(auth, login_as, world):
    mark(world["student_a"], *DAYS)  # case A is with the officer
    loose = factories.gen_student(world["school_a"], first="Sin", last="Caso")
    mark(loose, *DAYS)
    login_as("supervisor")
    page = page_text(auth.client.get(f"/worklist?on={ON}&officer={world['officer'].id}"))
    assert "García, María" in page and "Caso, Sin" not in page
    page = page_text(auth.client.get(f"/worklist?on={ON}&officer=none"))
    assert "Caso, Sin" in page and "García, María" not in page
    bad = auth.client.get(f"/worklist?on={ON}&step=nonsense")
    assert bad.status_code == 422 and "Choose a step from the list." in page_text(bad)
