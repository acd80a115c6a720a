"""Every desk table's column headers at a desk (1280x800) in real Chromium:
each header reads on one line, no word of it cut across lines and none
running past its column, on every list of the supervisor's desk and the
front office, filled as a district fills them (long school names, long
letter kinds, every column in use)."""
import datetime

import pytest

from fieldapp.cases import lifecycle
from fieldapp.models import Letter, School, User, utcnow
from tests import factories
from tests.browser.conftest import login, shot
from tests.documents_support import gen_issued_letter

# Each visible column header of the page's tables: its words, how many lines
# its text takes, and whether it runs past its cell.
HEADERS = """() => [...document.querySelectorAll("main table th")].filter(th => th.offsetParent).map(th => {
  const tops = new Set(), words = [];
  const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest(".visually-hidden") || !node.data.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) if (rect.width > 0) tops.add(Math.round(rect.top));
    for (const match of node.data.matchAll(/\\S+/g)) {
      const word = document.createRange();
      word.setStart(node, match.index);
      word.setEnd(node, match.index + match[0].length);
      const lines = new Set([...word.getClientRects()].map(r => Math.round(r.top)));
      if (lines.size > 1) words.push(match[0]);
    }
  }
  return {text: th.innerText.trim(), lines: tops.size, split: words,
          overflows: th.scrollWidth > th.clientWidth + 1};
})"""

SUPERVISOR_LISTS = ("/supervisor", "/supervisor/cases", "/supervisor/students",
                    "/supervisor/unassigned", "/supervisor/officers", "/supervisor/letters")


def _district(world):
    """Cases, some unassigned, at schools with long names; letters of long kinds sent."""
    School.update(name="César Chávez Elementary and Community School").where(
        School.id == world["school_a"].id).execute()
    School.update(name="Riverside Middle School of the Arts").where(School.id == world["school_b"].id).execute()
    for n in range(6):
        kid = factories.gen_student(world["school_a" if n % 2 else "school_b"], first=f"Maximiliano{n}",
                                    last="Rodríguez-Hernández")
        lifecycle.open_case(world["supervisor"], kid, {"officer": ""} if n % 3 == 0 else {})
    for case, kind, how in ((world["case_a"], "conference_invitation", "certified_mail"),
                            (world["case_b"], "first_notice", "mail")):
        letter = gen_issued_letter(case, world["officer"])
        Letter.update(kind=kind, sent_how=how, language="es",
                      sent_at=utcnow() - datetime.timedelta(days=1)).where(Letter.id == letter.id).execute()


def _wrapped_headers(page, one_line=True):
    """The headers that break inside a word, run past their cell, or (one_line) take more than a line."""
    return [h for h in page.evaluate(HEADERS) if (one_line and h["lines"] > 1) or h["split"] or h["overflows"]]


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_desk_table_header_reads_on_one_line(world, live_server, browser, language):
    """In Spanish, whose headers run a third longer, a header may wrap between
    words (one line each pushed the officers' list past the screen), never inside one."""
    _district(world)
    User.update(language=language).where(User.id.in_([world["supervisor"].id, world["front"].id])).execute()
    wrapped = {}
    for user, urls in ((world["supervisor"], SUPERVISOR_LISTS), (world["front"], ("/office",))):
        context = browser.new_context(viewport={"width": 1280, "height": 800}, service_workers="block")
        page = context.new_page()
        login(page, live_server, user)
        for url in urls:
            page.goto(f"{live_server}{url}")
            assert page.locator("main table th").count(), url
            shot(page, f"desktop-headers-{language}" + url.replace("/", "-").split("?")[0])
            # The dashboard's tables have too many columns for one line each: between words only.
            wrapped[url] = _wrapped_headers(page, one_line=url != "/supervisor" and language == "en")
        context.close()
    assert {url: found for url, found in wrapped.items() if found} == {}
