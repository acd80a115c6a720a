"""The district at a glance in real Chromium: on a phone (390x844) and at a
desk (1280x800), charts with their numbers beside them, every figure a link."""
import datetime

from fieldapp.cases import lifecycle
from fieldapp.models import AttendanceEvent
from fieldapp.timefmt import local_today, school_year_start
from tests import factories
from tests.browser.conftest import login, shot
from tests.browser.test_phone_layout import assert_fits_the_phone


def _district(world):
    first_day = school_year_start(local_today())
    for n in range(12):
        kid = factories.gen_student(world["school_a" if n % 2 else "school_b"], first=f"Kid{n}", last="Desk")
        case = lifecycle.open_case(world["supervisor"], kid, {"officer": ""} if n % 3 == 0 else {})
        if case.officer_id:
            factories.gen_contact(case, case.officer, reasons=[("housing", "illness", "work")[n % 3]])
        for d in range(n * 2):
            day = local_today() - datetime.timedelta(days=d)
            if day >= first_day and day.weekday() < 5:
                AttendanceEvent.create(student=kid, school=kid.school_id, date=day, category="unexcused")


def test_the_dashboard_reads_on_a_phone_and_its_figures_lead_to_lists(world, live_server, phone):
    _district(world)
    page = phone.new_page()
    login(page, live_server, world["supervisor"])
    assert page.url.endswith("/supervisor")
    main = page.inner_text("main")
    assert "Students by chronic-absence band, by school" in main and "Contacts logged per week" in main
    assert page.locator("figure.chart svg").count() > 5
    assert_fits_the_phone(page, "supervisor-dashboard")
    assert "Legal steps overdue" in main and "Legal steps due this week" in main
    page.click("ul.figures a:has-text('legal steps overdue')")
    page.wait_for_url("**/worklist?section=overdue")
    assert_fits_the_phone(page, "supervisor-steps-overdue")
    page.go_back()
    page.click("ul.figures a:has-text('unassigned')")
    page.wait_for_url("**/supervisor/unassigned")
    assert "Unassigned cases" in page.inner_text("main")
    assert_fits_the_phone(page, "supervisor-unassigned")


def test_the_dashboard_at_a_desk(world, live_server, browser):
    _district(world)
    context = browser.new_context(viewport={"width": 1280, "height": 800}, service_workers="block")
    page = context.new_page()
    login(page, live_server, world["supervisor"])
    assert page.locator("table.desk thead").first.is_visible()
    assert page.locator("table.desk thead th:has-text('Legal steps due this week')").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    charts = page.locator("figure.chart").all()
    assert len(charts) == 3
    assert charts[1].bounding_box()["y"] == charts[0].bounding_box()["y"]  # side by side at a desk
    shot(page, "desktop-supervisor-dashboard")
    page.goto(f"{live_server}/supervisor/cases")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    shot(page, "desktop-supervisor-cases")
    context.close()


# Words of each desk-table cell (a hyphen may end a line) that a line break cuts in two (a word split
# across lines has more than one box).
SPLIT_WORDS = """() => {
  const split = [];
  for (const cell of document.querySelectorAll("table.desk :is(td, th)")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/[^\\s-]+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (lines.size > 1) split.push(match[0]);
      }
    }
  }
  return split;
}"""


def test_desk_tables_break_lines_between_words_not_inside_them(world, live_server, browser):
    world["school_a"].name = "César Chávez Elementary"
    world["school_a"].save()
    world["school_b"].name = "Riverside Middle School"
    world["school_b"].save()
    _district(world)
    context = browser.new_context(viewport={"width": 1280, "height": 800}, service_workers="block")
    page = context.new_page()
    login(page, live_server, world["supervisor"])
    assert page.evaluate(SPLIT_WORDS) == []
    shot(page, "desktop-supervisor-dashboard-school-names")
    page.goto(f"{live_server}/supervisor/cases")
    assert page.evaluate(SPLIT_WORDS) == []


# The tiles a person sees: each figure's bordered link.
TILE_WIDTHS = "() => [...document.querySelectorAll('ul.figures > li > a')].map(a => Math.round(a.getBoundingClientRect().width))"


def test_the_dashboard_tiles_are_even_and_every_figure_is_a_link(world, live_server, phone, browser):
    """Each figure tile is as wide as the others in its row, on a phone and at a desk;
    and every number on the page leads to the list behind it."""
    _district(world)
    page = phone.new_page()
    login(page, live_server, world["supervisor"])
    widths = page.evaluate(TILE_WIDTHS)
    shot(page, "layout-supervisor-dashboard-tiles")
    assert len(widths) >= 7 and max(widths) - min(widths) <= 1, widths
    unlinked = page.evaluate("""() => [...document.querySelectorAll('main td:not(.lead), main ul.figures li, main .bar-numbers')]
        .filter(el => /\\d/.test(el.innerText) && !el.querySelector('a') && !el.closest('a'))
        .map(el => el.innerText)""")
    assert unlinked == []
    desk = browser.new_context(viewport={"width": 1280, "height": 800}, service_workers="block").new_page()
    login(desk, live_server, world["supervisor"])
    widths = desk.evaluate(TILE_WIDTHS)
    assert max(widths) - min(widths) <= 1, widths
    shot(desk, "desktop-supervisor-dashboard-tiles")
    desk.context.close()
