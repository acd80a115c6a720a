"""On a phone, the caseload says which follow-ups are due today or overdue, and one tap
marks a follow-up done."""
import datetime

from fieldapp.models import Case
from fieldapp.timefmt import local_today
from tests import factories
from tests.browser.conftest import login, shot


def test_caseload_marks_a_follow_up_done_with_one_tap(world, live_server, phone):
    officer, case = world["officer"], world["case_a"]
    factories.gen_contact(case, officer, follow_up_on=local_today().isoformat())
    later = factories.gen_case(factories.gen_student(world["school_a"], first="Ana", last="Ruiz"), officer)
    factories.gen_contact(later, officer,
                          follow_up_on=(local_today() + datetime.timedelta(days=3)).isoformat())
    page = phone.new_page()
    login(page, live_server, officer)
    page.goto(f"{live_server}/caseload")
    assert "1 follow-up due today" in page.inner_text("#follow-up-summary")
    shot(page, "caseload-follow-ups")
    buttons = page.locator("text=Mark follow-up done")
    assert buttons.count() == 1  # only what is due today or overdue
    buttons.click()
    page.wait_for_selector("text=Follow-up marked done.")
    assert page.locator("#follow-up-summary").count() == 0
    assert Case.get_by_id(case.id).next_follow_up is None
    assert Case.get_by_id(later.id).next_follow_up is not None
