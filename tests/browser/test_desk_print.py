"""Every desk list and the dashboard printed on Letter paper in real Chromium:
every column's header is on the page and inside it (paper does not scroll),
no header word is cut across lines, and every list's sheet says how it was
filtered and on which day (the filter form is not printed)."""
import os
import subprocess

from fieldapp.models import Case, School, Student
from tests.browser.conftest import SCREENSHOTS, login, shot
from tests.browser.test_desk_headers import SUPERVISOR_LISTS, _district, _wrapped_headers

# Letter is 8.5in = 816 CSS px; Chromium's default margins leave some 780 px of it.
PAPER_WIDTH = 780
# Each table of the page that is wider than the box it sits in, or runs past the page.
TOO_WIDE = """(width) => [...document.querySelectorAll("main table")].filter(t => t.offsetParent).filter(t =>
  t.scrollWidth > t.parentElement.clientWidth + 1 || t.getBoundingClientRect().right > width + 1
  || [...t.querySelectorAll("th")].some(th => th.getBoundingClientRect().right > width + 1)
).map(t => ({width: t.scrollWidth, box: t.parentElement.clientWidth,
             headers: [...t.querySelectorAll("thead th")].map(th => th.innerText.trim())}))"""
# The words of each column header a reader sees (a hidden "Actions" is for screen readers).
HEADER_WORDS = """() => [...document.querySelectorAll("main table thead th")].filter(th => th.offsetParent)
  .map(th => th.cloneNode(true)).map(th => { th.querySelectorAll(".visually-hidden").forEach(e => e.remove());
  return th.textContent.trim(); })"""
FILTERED = {"/supervisor/cases": "?sort=stage&status=open", "/supervisor/letters": "?kind=first_notice",
            "/supervisor/students": "", "/supervisor/unassigned": "", "/supervisor/officers": "",
            "/supervisor": ""}


def _long_names():
    """A student's name with no place to break, as some imports carry them."""
    Student.update(last_name="Wolfeschlegelsteinhausenbergerdorff").where(
        Student.id == Case.select(Case.student).order_by(Case.id).limit(1)).execute()


def test_every_desk_table_fits_a_printed_letter_page_with_all_its_headers(world, live_server, browser):
    _district(world)
    _long_names()
    found = {}
    for user, urls in ((world["supervisor"], SUPERVISOR_LISTS), (world["front"], ("/office",))):
        context = browser.new_context(viewport={"width": PAPER_WIDTH, "height": 1000}, service_workers="block")
        page = context.new_page()
        login(page, live_server, user)
        for url in urls:
            page.goto(f"{live_server}{url}{FILTERED.get(url, '')}")
            page.emulate_media(media="print")
            assert page.locator("main table th").count(), url
            name = "print" + url.replace("/", "-")
            shot(page, name)
            problems = page.evaluate(TOO_WIDE, PAPER_WIDTH) + _wrapped_headers(page, one_line=False)
            headers = page.evaluate(HEADER_WORDS)
            if url != "/supervisor":  # the dashboard's heading names its day
                heading = page.locator(".print-only").first
                if not heading.is_visible() or ("Printed" not in heading.inner_text() and url != "/office"):
                    problems.append("no printed heading naming the filters and the day")
            pdf = os.path.join(SCREENSHOTS, f"{name}.pdf")
            page.pdf(path=pdf, format="Letter")
            text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True).stdout
            # a header may wrap on paper between its words, or after a hyphen ("follow-|up")
            missing = [h for h in headers if h and not all(word in text for word in h.replace("-", "- ").split())]
            if missing:
                problems.append({"missing from the PDF": missing})
            page.emulate_media(media="screen")
            if problems:
                found[url] = problems
        context.close()
    assert found == {}


def test_a_printed_list_names_its_filters_and_day(world, live_server, browser):
    _district(world)
    context = browser.new_context(viewport={"width": PAPER_WIDTH, "height": 1000}, service_workers="block")
    page = context.new_page()
    login(page, live_server, world["supervisor"])
    page.goto(f"{live_server}/supervisor/cases?sort=stage&school={world['school_a'].id}&stage=monitoring")
    page.emulate_media(media="print")
    heading = page.locator(".printed-heading").inner_text()
    assert "Printed " in heading and School.get_by_id(world["school_a"].id).name in heading
    assert "Stage: Monitoring" in heading and "Sort by: Stage" in heading
    page.goto(f"{live_server}/supervisor/officers")
    page.emulate_media(media="print")
    assert "No filter" in page.locator(".printed-heading").inner_text()
    context.close()
