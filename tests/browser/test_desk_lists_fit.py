"""Every desk list at 1280x800 shows all its columns without a sideways
scroll, and a list that offers ticking many offers ticking a page at once
(with JavaScript; without it, box by box as before)."""
import datetime

import pytest

from fieldapp.cases import lifecycle
from fieldapp.models import Case, User
from tests import factories
from tests.browser.conftest import login, shot

DESK = {"viewport": {"width": 1280, "height": 800}, "service_workers": "block"}
# How far a desk table may overflow its box: none.
CUT_JS = """() => [...document.querySelectorAll('.table-wrap, table')].filter(
    el => el.scrollWidth > el.clientWidth + 1).map(el => el.className + ' ' + el.scrollWidth + '>' + el.clientWidth)"""


@pytest.fixture
def queue(world):
    """A page of unassigned cases with overdue follow-ups, circumstances and long names."""
    school = factories.gen_school("César Chávez Elementary School of the Arts")
    from fieldapp.models import UserSchool
    UserSchool.create(user=world["officer"], school=school)
    cases = []
    for n in range(12):
        kid = factories.gen_student(school, first=f"Maximiliana{n}", last="Wolfeschlegelsteinhausen-Núñez")
        case = lifecycle.open_case(world["supervisor"], kid, {"officer": ""})
        Case.update(next_follow_up=factories.days_ago(9).date(), flags="homeless,foster_care",
                    last_contact_at=datetime.datetime(2026, 11, 20, 17, 0)).where(Case.id == case.id).execute()
        cases.append(case)
    world["queue"] = cases
    return world


def _fits(page, name):
    page.wait_for_load_state("networkidle")
    shot(page, f"desk-1280-{name}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280, name
    assert page.evaluate(CUT_JS) == [], name


@pytest.mark.parametrize("language", ["en", "es"])
def test_desk_lists_fit_1280_without_a_sideways_scroll(queue, live_server, browser, language):
    """In English and in Spanish, whose headers run a third longer ("Nuevos para
    el oficial", "Seguimientos vencidos"): the officers' list cut its last column."""
    User.update(language=language).where(User.id.in_([queue[r].id for r in ("supervisor", "front", "admin")])).execute()
    context = browser.new_context(**DESK)
    page = context.new_page()
    login(page, live_server, queue["supervisor"])
    for name, path in (("unassigned", "/supervisor/unassigned"), ("cases", "/supervisor/cases"),
                       ("contacts", "/supervisor/contacts"), ("letters", "/supervisor/letters"),
                       ("students", "/supervisor/students"), ("officers", "/supervisor/officers"),
                       ("worklist", "/worklist"), ("dashboard", "/supervisor"),
                       ("hand-over", f"/supervisor/officers/{queue['officer'].id}/hand-over"),
                       ("access-log", f"/students/{queue['student_a'].id}/access-log"),
                       ("letters-due", "/letters/due")):
        assert page.goto(f"{live_server}{path}").status == 200, path
        _fits(page, f"{language}-{name}")
    context.close()
    for role, pages in (("front", (("office", "/office"),)),
                        ("admin", (("admin", "/admin/"), ("imports", "/admin/imports"), ("rules", "/admin/rules"),
                                   ("schools", "/admin/schools"), ("users", "/admin/users"), ("audit", "/admin/audit")))):
        context = browser.new_context(**DESK)
        page = context.new_page()
        login(page, live_server, queue[role])
        for name, path in pages:
            assert page.goto(f"{live_server}{path}").status == 200, path
            _fits(page, f"{language}-{name}")
        context.close()


def test_a_page_of_the_queue_is_ticked_at_once_and_assigned(queue, live_server, browser):
    context = browser.new_context(**DESK)
    page = context.new_page()
    login(page, live_server, queue["supervisor"])
    page.goto(f"{live_server}/supervisor/unassigned")
    boxes = page.locator("input[name=case][form=assign-many]")
    page.check("th input[data-tick-all]")
    assert boxes.count() == 12 and all(box.is_checked() for box in boxes.all())
    boxes.first.uncheck()
    assert page.evaluate("document.querySelector('th input[data-tick-all]').indeterminate")
    page.check("th input[data-tick-all]")
    page.select_option("#officer", str(queue["officer"].id))
    page.click("#assign-many button[type=submit]")
    page.get_by_text("cases assigned").wait_for()
    assert "12 cases assigned." in page.inner_text("main")
    context.close()


def test_without_javascript_the_tick_all_box_is_not_offered(queue, live_server, browser):
    context = browser.new_context(**DESK, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.fill("#email", queue["supervisor"].email)
    from tests.factories import PASSWORD
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server}/supervisor/unassigned")
    assert not page.locator("th input[data-tick-all]").is_visible()
    assert page.locator("input[name=case][form=assign-many]").first.is_visible()
    context.close()
