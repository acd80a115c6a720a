"""The desk's actions on a phone and on a desk: a refusal says what is refused,
and assigning many names each case it left, with the queue as it is after."""
from fieldapp.cases import lifecycle
from fieldapp.models import Case
from tests import factories
from tests.browser.conftest import login, shot
from tests.browser.test_phone_layout import assert_fits_the_phone

DESK = {"viewport": {"width": 1280, "height": 800}}


def test_a_front_office_asking_to_close_a_case_is_told_who_closes_it(world, live_server, phone, browser):
    for name, context in (("phone", phone), ("desk", browser.new_context(**DESK))):
        page = context.new_page()
        login(page, live_server, world["front"])
        page.goto(f"{live_server}/cases/{world['case_a'].id}/close")
        text = page.inner_text("main")
        assert "Your account may not close cases: the case's attendance officer or a supervisor does." in text
        assert "outside what your account may see" not in text
        if name == "phone":
            assert_fits_the_phone(page, "refusal-close-case")
        else:
            shot(page, "desk-refusal-close-case")
            context.close()


def test_assigning_many_names_each_case_left_on_phone_and_desk(world, live_server, phone, browser):
    second = factories.gen_user("officer", [world["school_a"]], name="Bea Second")
    for name, context in (("phone", phone), ("desk", browser.new_context(**DESK))):
        mine = [lifecycle.open_case(world["supervisor"], factories.gen_student(world["school_a"], first=f"{name}{i}",
                                                                              last="Queue"), {"officer": ""})
                for i in range(3)]
        away = lifecycle.open_case(world["supervisor"], factories.gen_student(world["school_b"], first=f"{name}Away",
                                                                             last="Wolfeschlegelsteinhausen"),
                                   {"officer": ""})
        page = context.new_page()
        login(page, live_server, world["supervisor"])
        page.goto(f"{live_server}/supervisor/unassigned")
        Case.update(status="closed").where(Case.id == mine[0].id).execute()  # closed while the list was read
        for case in mine + [away]:
            page.check(f"input[name=case][value='{case.id}']")
        page.select_option("#officer", str(second.id))
        page.click("#assign-many button[type=submit]")
        page.get_by_text("cases were not assigned").wait_for(timeout=30_000)
        text = page.inner_text("main")
        assert "2 cases assigned." in text
        assert "The case was closed meanwhile." in text
        assert "Bea Second does not serve Roosevelt Middle." in text
        assert page.url.endswith("/supervisor/unassigned")  # a reload shows the queue, not a refusal
        if name == "phone":
            assert_fits_the_phone(page, "assign-many-left")
        else:
            shot(page, "desk-assign-many-left")
            context.close()


def test_the_letters_sent_on_phone_and_desk(world, live_server, phone, browser):
    import datetime
    from fieldapp.models import Letter, utcnow
    from tests.documents_support import gen_issued_letter
    for key, kind, how in (("case_a", "first_notice", "mail"), ("case_b", "conference_invitation", "certified_mail")):
        letter = gen_issued_letter(world[key], world["officer"])
        Letter.update(kind=kind, sent_how=how, sent_at=utcnow() - datetime.timedelta(days=1)).where(
            Letter.id == letter.id).execute()
    for name, context in (("phone", phone), ("desk", browser.new_context(**DESK))):
        page = context.new_page()
        login(page, live_server, world["supervisor"])
        page.goto(f"{live_server}/supervisor/letters")
        page.select_option("#kind", "first_notice")
        page.click("form.filters button[type=submit]")
        page.wait_for_url("**kind=first_notice**")
        text = page.inner_text("main")
        assert "1 letter" in text and "Truancy notification" in text and "Certified mail" not in text
        if name == "phone":
            assert_fits_the_phone(page, "letters-sent")
        else:
            shot(page, "desk-letters-sent")
            context.close()


def test_a_removed_export_offers_to_make_it_again_on_phone_and_desk(world, live_server, phone, browser):
    import json
    from fieldapp.jobs.runner import new_key
    from fieldapp.models import Job, utcnow
    job = Job.create(key=new_key(), kind="export_xlsx", user=world["supervisor"], state="done", finished_at=utcnow(),
                     params_json=json.dumps({"name": "cases", "args": [["status", "open"]], "path": "/", "ip": "",
                                             "day": "2026-11-30"}),
                     result_json=json.dumps({"filename": "cases-2026-11-30.xlsx", "rows": 1}))  # its file is gone
    for name, context in (("phone", phone), ("desk", browser.new_context(**DESK))):
        page = context.new_page()
        login(page, live_server, world["supervisor"])
        page.goto(f"{live_server}/jobs/{job.id}")
        assert "The file has been removed" in page.inner_text("main")
        assert page.get_by_role("button", name="Make it again").is_visible()
        if name == "phone":
            assert_fits_the_phone(page, "export-removed")
        else:
            shot(page, "desk-export-removed")
            context.close()
