"""An officer at a door, on a 390x844 phone, and one at a desk (1280x800) open a student's
calendar and read both parts of an Ed-Fi split day (an unexcused and an excused half) in
words under the months: a phone has no hover to read a day's title, and the day's cell wears
both fills."""
import pytest

from fieldapp.models import User
from tests.browser.conftest import login, shot
from tests.web.test_split_day_calendar import WORDS, _split_day

DESK = {"viewport": {"width": 1280, "height": 800}, "bypass_csp": True}


@pytest.fixture
def desk(browser):
    context = browser.new_context(**DESK)
    yield context
    context.close()


@pytest.mark.parametrize("where", ["phone", "desk"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_both_parts_of_a_split_day_are_read_under_the_calendar(app, world, live_server, request, where, language):
    day, half = _split_day(app, world)
    User.update(language=language).where(User.id == world["officer"].id).execute()
    page = request.getfixturevalue(where).new_page()
    login(page, live_server, world["officer"])
    page.goto(f"{live_server}/students/{world['student_a'].id}")
    page.click("details.calendar > summary")
    item = page.locator("ul.marked-days li", has_text=WORDS[language][0].format(half=half))
    assert item.count() == 1
    item.scroll_into_view_if_needed()
    shot(page, f"{language}-{where}-split-day")
    width = page.viewport_size["width"]
    box = item.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, "the day's words fit the screen"
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "nothing scrolls sideways"
    size = item.evaluate("li => parseFloat(getComputedStyle(li).fontSize)")
    assert size >= 13, f"{size}px is too small to read at a door"
    cell = page.locator(f'table.month[data-month="{day:%Y-%m}"] td.day.split')
    assert cell.count() == 1 and cell.evaluate("td => getComputedStyle(td).backgroundImage").startswith(
        "linear-gradient"), "the day's cell shows both fills"
