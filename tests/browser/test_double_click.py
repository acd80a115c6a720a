"""A double click on a form's button sends the form once: the page says what
was done, not "Not allowed" nor that nothing was done."""
from fieldapp.models import Case, Referral
from tests import factories
from tests.browser.conftest import login

DESK = {"viewport": {"width": 1280, "height": 800}}


def _double_click(page, button):
    page.dblclick(button)
    page.wait_for_load_state("networkidle")
    text = page.inner_text("main")
    assert "Not allowed" not in text and "does not take that kind of request" not in text
    return text


def test_a_double_clicked_referral_is_made_once_and_said_made(world, live_server, browser):
    student = factories.gen_student(world["school_a"], first="Rosa", last="Vega")
    context = browser.new_context(**DESK)
    page = context.new_page()
    login(page, live_server, world["front"])
    page.goto(f"{live_server}/students/{student.id}/referrals/new")
    page.select_option("#reason", "illness")
    page.fill("textarea[name=note]", "Often sick")
    text = _double_click(page, "main form button[type=submit]")
    assert page.url == f"{live_server}/students/{student.id}"
    assert "Referred to the attendance officer." in text and "already waiting" not in text
    assert Referral.select().where(Referral.student == student).count() == 1
    context.close()


def test_a_double_clicked_hand_over_says_what_was_handed_over(world, live_server, browser):
    second = factories.gen_user("officer", [world["school_a"]], name="Bea Second")
    for i in range(3):
        factories.gen_case(factories.gen_student(world["school_a"], first=f"H{i}", last="Held"), world["officer"])
    context = browser.new_context(**DESK)
    page = context.new_page()
    login(page, live_server, world["supervisor"])
    page.goto(f"{live_server}/supervisor/officers/{world['officer'].id}/hand-over")
    page.select_option(f"#school_{world['school_a'].id}", str(second.id))
    page.fill("textarea[name=note]", "Left the district")
    text = _double_click(page, "main form button[type=submit]")
    assert "4 cases handed over." in text and "Nothing was handed over" not in text
    assert Case.select().where(Case.officer == second).count() == 4
    context.close()
