"""A form opened from a stale tab or an old link, about a case closed
meanwhile, a referral answered meanwhile or a student whose case was opened
meanwhile, says at once what happened, when and by whom, and offers no form:
it is not filled in only to be refused when sent."""
import re

import pytest

from fieldapp.cases import desk_records, lifecycle
from tests import factories
from tests.web.conftest import page_text

# the forms of a case, and the role that may fill each in
CASE_FORMS = [("supervisor", "/cases/{case}/assign"), ("officer", "/cases/{case}/close"),
              ("officer", "/cases/{case}/stage"), ("officer", "/cases/{case}/circumstances"),
              ("officer", "/cases/{case}/plans/new")]


def _write_forms(html):
    """The forms of a page that write something (the log-out form is on every page)."""
    return [f for f in re.findall(r"<form[^>]*>", html) if 'method="post"' in f and "logout" not in f]


@pytest.mark.parametrize("role, url", CASE_FORMS)
def test_a_form_of_a_case_closed_meanwhile_says_so_and_offers_no_form(auth, login_as, world, role, url):
    case = world["case_a"]
    closer = factories.gen_user("supervisor", name="Carla Closer")
    lifecycle.close_case(closer, case, {"closure_reason": "attendance_improved"})
    login_as(role)
    answer = auth.client.get(url.format(case=case.id))
    page = page_text(answer)
    assert answer.status_code == 409
    assert "This case was closed on" in page and "by Carla Closer." in page and "Attendance improved" in page
    assert not _write_forms(page)


def test_a_referral_answered_meanwhile_says_by_whom_and_offers_no_form(auth, login_as, world):
    pupil = factories.gen_student(world["school_a"], first="Rita", last="Ref")
    referral = desk_records.refer(world["front"], pupil, {"reason": "illness", "note": "Out since Monday"})
    other = factories.gen_user("officer", [world["school_a"]], name="Omar Other")
    desk_records.decline(other, referral, {"answer": "Seen by the nurse; not truancy"})
    login_as("officer")
    answer = auth.client.get(f"/referrals/{referral.id}/decline")
    page = page_text(answer)
    assert answer.status_code == 409
    assert "This referral was answered on" in page and "by Omar Other: Declined" in page
    assert "Seen by the nurse; not truancy" in page and not _write_forms(page)


def test_opening_a_case_opened_meanwhile_says_by_whom_and_offers_no_form(auth, login_as, world):
    """An officer's tab with the referral's "Open a case" link, after another
    officer opened the case (which answered the referral)."""
    pupil = factories.gen_student(world["school_a"], first="Olga", last="Opened")
    desk_records.refer(world["front"], pupil, {"reason": "illness", "note": "Often sick"})
    other = factories.gen_user("officer", [world["school_a"]], name="Omar Other")
    lifecycle.open_case(other, pupil, {"stage": "monitoring", "officer": str(other.id)})
    login_as("officer")
    answer = auth.client.get(f"/students/{pupil.id}/cases/new")
    page = page_text(answer)
    assert answer.status_code == 409
    assert "Omar Other opened a case for this student on" in page and not _write_forms(page)


def test_the_forms_of_an_open_case_are_offered_as_before(auth, login_as, world):
    for role, url in CASE_FORMS:
        login_as(role)
        answer = auth.client.get(url.format(case=world["case_a"].id))
        assert answer.status_code == 200 and _write_forms(page_text(answer)), url
