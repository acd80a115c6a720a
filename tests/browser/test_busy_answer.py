"""A form the server cannot take just now (the database busy with an import)
stays on the page with what was typed, and the page says why, in the
server's words, beside the form; sent again once the database is free, it is
done once."""
from fieldapp.models import Referral, Student
from tests import factories
from tests.browser.conftest import login, shot
from tests.races import holding, impatient_database

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_a_referral_sent_while_the_database_is_busy_is_kept_and_said_busy(world, app, live_server, browser):
    student = factories.gen_student(world["school_a"], first="Rosa", last="Vega")
    context = browser.new_context(**PHONE)
    page = context.new_page()
    login(page, live_server, world["front"])
    page.goto(f"{live_server}/students/{student.id}/referrals/new")
    page.select_option("#reason", "illness")
    page.fill("textarea[name=note]", "Often sick on Mondays")
    with impatient_database(app.config["DATABASE_URL"]):
        release = holding(Student.get_by_id(student.id))
        try:
            with page.expect_response(lambda r: r.request.method == "POST") as answer:
                page.click("main form button[type=submit]")
            assert answer.value.status == 503
            said = page.locator("[data-server-answer]")
            said.wait_for()
            shot(page, "busy-referral-phone")
            assert "busy" in said.inner_text().lower() and "send it again" in said.inner_text().lower()
            assert page.input_value("textarea[name=note]") == "Often sick on Mondays"
            assert page.url.endswith(f"/students/{student.id}/referrals/new")
            assert not Referral.select().where(Referral.student == student.id).exists()
        finally:
            release()
        page.click("main form button[type=submit]")
        page.wait_for_url(f"{live_server}/students/{student.id}")
    assert "Referred to the attendance officer." in page.inner_text("main")
    assert Referral.select().where(Referral.student == student.id).count() == 1
    context.close()
