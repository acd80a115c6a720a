"""The job page looks again every second while the work goes on. The page's
buttons (Log out, say) stay usable throughout: a look nobody asked for greys
nothing, and the page is not reloaded under the user."""
import pytest

from tests.browser.conftest import login

WATCH = """() => {
    // Each look replaces the job's section; each button greyed meanwhile is noted.
    window.greyed = []; window.polls = 0; window.stayed = true;
    new MutationObserver(records => {
        for (const r of records) {
            if (r.type === 'attributes' && r.target.disabled) window.greyed.push(r.target.textContent.trim());
            if (r.type === 'childList' && [...r.addedNodes].some(n => n.classList && n.classList.contains('job'))) {
                window.polls += 1;
            }
        }
    }).observe(document.body, {subtree: true, attributes: true, childList: true, attributeFilter: ['disabled']});
}"""


@pytest.mark.parametrize("arrival", ["from the form", "opened again"])
def test_the_job_pages_buttons_stay_usable_while_it_polls(world, live_server, phone, arrival):
    page = phone.new_page()
    login(page, live_server, world["officer"])
    page.goto(f"{live_server}/cases/{world['case_a'].id}/paperwork")
    page.select_option("#recipient", index=1)
    page.click("text=Produce the case report")  # no worker: the job waits, and its page polls
    page.wait_for_url("**/jobs/*")
    if arrival == "opened again":
        page.goto(page.url)
    page.get_by_text("No worker has started this work").wait_for()
    page.evaluate(WATCH)
    page.wait_for_function("window.polls >= 5", timeout=30_000)
    assert page.evaluate("window.stayed"), "the page was reloaded under the user"
    assert page.evaluate("window.greyed") == []
    assert page.get_by_role("button", name="Log out").is_enabled()
