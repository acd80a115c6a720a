"""In Spanish on a phone (390x844) the supervisor's dashboard breaks its
lines between words, never inside one without a hyphen ("Responsabilidad /
es familiares"), and the export's page ends its sentences with one full stop."""
import datetime

from fieldapp.models import Job, User, utcnow
from tests import factories
from tests.browser.conftest import PHONE, login, shot
from tests.browser.test_supervisor_desk import _district

# Words of the page's main text laid out on two lines or more (a word is
# letters between spaces and hyphens: a hyphen is a right place to break).
SPLIT_WORDS = """() => {
  const split = [];
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.checkVisibility()) continue;
    for (const match of node.data.matchAll(/[^\\s\\u00a0-]+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (lines.size > 1) split.push(match[0]);
    }
  }
  return split;
}"""


def test_the_dashboard_in_spanish_on_a_phone_breaks_between_words(world, live_server, browser):
    _district(world)
    factories.gen_contact(world["case_a"], world["officer"], reasons=["family_responsibilities"])
    User.update(language="es").where(User.id == world["supervisor"].id).execute()
    context = browser.new_context(**PHONE, service_workers="block")
    page = context.new_page()
    login(page, live_server, world["supervisor"])
    page.wait_for_selector("html[lang=es]")
    shot(page, "es-phone-supervisor-dashboard")
    assert "Responsabilidades familiares" in page.inner_text("main")
    assert page.evaluate(SPLIT_WORDS) == []
    context.close()


def test_the_export_page_in_spanish_ends_its_sentence_with_one_full_stop(world, live_server, browser):
    User.update(language="es").where(User.id == world["supervisor"].id).execute()
    # A worker at it: its page says when it started, then that the user may leave (its heartbeat
    # now: a running job not heard from for the lease reads as stopped, whatever the day of the run;
    # a queued one with no worker running says so instead).
    job = Job.create(key="deskui-es-export", kind="export_xlsx", user=world["supervisor"], state="running",
                     started_at=utcnow(), heartbeat_at=utcnow(),
                     created_at=datetime.datetime(2026, 12, 1, 10, 35))  # 2:35 a. m. in Los Angeles
    context = browser.new_context(**PHONE, service_workers="block")
    page = context.new_page()
    login(page, live_server, world["supervisor"])
    page.goto(f"{live_server}/jobs/{job.id}")
    text = page.inner_text("main")
    shot(page, "es-phone-export-job")
    assert "2:35 a.\u202fm. Puede" in text and "m.." not in text
    context.close()
