"""The hand-over page on a phone and a desk: each school's cases and waiting
referrals, with the unassigned queue among the choices; the single case's
assign form refusing a change made meanwhile."""
from fieldapp.models import Referral
from tests import factories
from tests.browser.conftest import login, shot
from tests.browser.test_phone_layout import assert_fits_the_phone

DESK = {"viewport": {"width": 1280, "height": 800}}


def test_the_hand_over_offers_the_queue_and_counts_referrals_on_phone_and_desk(world, live_server, phone, browser):
    student = factories.gen_student(world["school_b"], first="Cleo", last="Waits")
    Referral.create(student=student, school=world["school_b"], reason="illness", note="Often sick",
                    officer=world["other_officer"], referred_by=world["front"])
    for name, context in (("phone", phone), ("desk", browser.new_context(**DESK))):
        page = context.new_page()
        login(page, live_server, world["supervisor"])
        page.goto(f"{live_server}/supervisor/officers/{world['other_officer'].id}/hand-over")
        text = page.inner_text("main")
        assert "Roosevelt Middle — 1 open case, 1 waiting referral" in text
        assert "Unassigned queue" in page.inner_text(f"#school_{world['school_b'].id}")
        if name == "phone":
            assert_fits_the_phone(page, "hand-over")
        else:
            shot(page, "desk-hand-over")
            context.close()
