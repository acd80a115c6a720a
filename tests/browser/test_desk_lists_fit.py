"""Every desk list at 1280x800 shows all its columns without a sideways
scroll, and a list that offers ticking many offers ticking a page at once
(with JavaScript; without it, box by box as before)."""
import datetime

import pytest

from fieldapp.cases import lifecycle
from fieldapp.models import Case, User
from tests import factories
from tests.browser.conftest import PHONE, login, shot

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


# The box shows, whole and on the screen, a tap on it lands on it, and words beside it say what it does.
REACHABLE = """box => {
  box.scrollIntoView({block: 'center'});
  const r = box.getBoundingClientRect(), label = box.labels[0], words = label && label.getBoundingClientRect();
  const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
  return r.width >= 16 && r.left >= 0 && r.right <= innerWidth && (hit === box || label.contains(hit))
    && words.width > r.width + 40 && label.innerText.trim().length > 3;
}"""


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


def test_on_a_phone_every_list_offers_ticking_a_page_at_once(queue, live_server, browser):
    """At 390x844 the queue is laid out as cards: its tick-all box sat in the
    hidden column headers, out of reach. Each list with one (the queue, the
    letters due, the letters to record as sent) shows it, named, and it works."""
    from fieldapp.models import Letter
    from tests import documents_support as support
    school = queue["school_a"]
    for first in ("Ava", "Ben"):
        support.gen_truant_case(school, queue["officer"], first, "Brown")
    batch = [support.gen_issued_letter(case, queue["officer"]) for case in (
        queue["case_a"], factories.gen_case(factories.gen_student(school, first="Cy", last="Díaz"), queue["officer"]))]
    Letter.update(document=batch[0].document_id).where(Letter.id == batch[1].id).execute()
    context = browser.new_context(**PHONE, service_workers="block")
    page = context.new_page()
    login(page, live_server, queue["supervisor"])
    for name, path, count in (("unassigned", "/supervisor/unassigned", 12),
                              ("letters-due", f"/letters/due?school={school.id}", 2),
                              ("record-sent", f"/documents/{batch[0].document_id}", 2)):
        page.goto(f"{live_server}{path}")
        page.wait_for_load_state("networkidle")
        if name == "record-sent":
            page.click("details:has(input[data-tick-all]) summary")
        tick_all = page.locator("main input[data-tick-all]")
        shot(page, f"phone-tick-all-{name}")
        assert tick_all.evaluate(REACHABLE), name
        rows = page.locator(tick_all.get_attribute("data-tick-all"))
        assert rows.count() == count, name
        tick_all.tap(timeout=5000)
        ticked = [row.is_checked() for row in rows.all()]
        tick_all.tap()
        assert len(set(ticked)) == 1 and all(row.is_checked() != ticked[0] for row in rows.all()), name
    context.close()
