"""A write form sent twice (a double click, a browser that sends it again) is
done once, and the second copy is answered with what the first did: never
"Not allowed", never a refusal saying the work was not done when it was."""
import re

import pytest

from fieldapp.cases import lifecycle
from fieldapp.models import Case, ExcuseNote, Referral
from tests import factories
from tests.web.conftest import page_text
from tests.web.test_front_office import _absent_days

ALREADY = "This form had already been sent: what it did is said above. Nothing was done twice."


def _form(auth, page_url, action):
    """The fields a page's form carries unseen (CSRF token, form key), checking
    the form names where it is sent: a form without an action is sent by HTMX to
    whatever address the bar shows when it goes."""
    html = page_text(auth.client.get(page_url))
    form = re.search(r'<form[^>]*action="%s"[^>]*>(.*?)</form>' % re.escape(action), html, re.S)
    assert form, f"no form sent to {action} on {page_url}"
    return dict(re.findall(r'<input type="hidden" name="(csrf_token|form_key)" value="([^"]+)"', form.group(1)))


def _twice(auth, url, fields):
    first = auth.client.post(url, data=fields)
    second = auth.client.post(url, data=fields)
    return first, second


@pytest.fixture
def rosa(world):
    world["rosa"] = factories.gen_student(world["school_a"], first="Rosa", last="Vega")
    return world


def test_a_referral_sent_twice_is_made_once_and_both_say_it_was_made(auth, login_as, rosa):
    login_as("front_office")
    url = f"/students/{rosa['rosa'].id}/referrals/new"
    fields = {**_form(auth, url, url), "reason": "illness", "note": "Often sick"}
    first, second = _twice(auth, url, fields)
    assert first.status_code == 302 and second.status_code == 303
    assert second.location == first.location == f"/students/{rosa['rosa'].id}"
    page = page_text(auth.client.get(second.location))
    assert "Referred to the attendance officer." in page and ALREADY in page
    assert "already waiting for the officer" not in page
    assert Referral.select().where(Referral.student == rosa["rosa"]).count() == 1


def test_the_same_form_sent_again_with_other_words_is_a_new_form(auth, login_as, rosa):
    login_as("front_office")
    url = f"/students/{rosa['rosa'].id}/referrals/new"
    hidden = _form(auth, url, url)
    assert auth.client.post(url, data={**hidden, "reason": "illness", "note": "Often sick"}).status_code == 302
    again = auth.client.post(url, data={**hidden, "reason": "illness", "note": "Sick again"})
    assert again.status_code == 422 and "already waiting for the officer" in page_text(again)


def test_an_excuse_note_sent_twice_is_recorded_once(auth, login_as, rosa):
    login_as("front_office")
    url = f"/students/{rosa['rosa'].id}/excuse-notes/new"
    absent = _absent_days(rosa["rosa"], 1)[0].isoformat()
    fields = {**_form(auth, url, url), "first_day": absent, "last_day": absent, "received_how": "phone",
              "from_whom": "Mother", "reason": "illness"}
    first, second = _twice(auth, url, fields)
    assert first.status_code == 302 and second.status_code == 303 and second.location == first.location
    page = page_text(auth.client.get(second.location))
    assert "Excuse note recorded." in page and ALREADY in page
    assert ExcuseNote.select().where(ExcuseNote.student == rosa["rosa"]).count() == 1


def test_a_case_opened_twice_is_opened_once(auth, login_as, rosa):
    login_as("supervisor")
    url = f"/students/{rosa['rosa'].id}/cases/new"
    fields = {**_form(auth, url, url), "stage": "monitoring", "officer": str(rosa["officer"].id)}
    first, second = _twice(auth, url, fields)
    assert first.status_code == 302 and second.status_code == 303 and second.location == first.location
    page = page_text(auth.client.get(second.location))
    assert ALREADY in page and "already has an open case" not in page
    assert Case.select().where(Case.student == rosa["rosa"]).count() == 1


def test_cases_assigned_twice_from_the_queue_say_they_were_assigned(auth, login_as, world):
    second_officer = factories.gen_user("officer", [world["school_a"]], name="Bea Second")
    loose = [lifecycle.open_case(world["supervisor"], factories.gen_student(world["school_a"], first=f"L{i}",
                                                                            last="Queue"), {"officer": ""})
             for i in range(2)]
    login_as("supervisor")
    fields = {**_form(auth, "/supervisor/unassigned", "/supervisor/assign"),
              "officer": str(second_officer.id), "case": [str(c.id) for c in loose]}
    first, second = _twice(auth, "/supervisor/assign", fields)
    assert first.status_code == 302 and second.status_code == 303
    page = page_text(auth.client.get(second.location))
    assert "2 cases assigned." in page and ALREADY in page and "not assigned" not in page
    assert {Case.get_by_id(c.id).officer_id for c in loose} == {second_officer.id}


def test_a_hand_over_sent_twice_says_what_was_handed_over(auth, login_as, world):
    second_officer = factories.gen_user("officer", [world["school_a"]], name="Bea Second")
    for i in range(3):
        factories.gen_case(factories.gen_student(world["school_a"], first=f"H{i}", last="Held"), world["officer"])
    login_as("supervisor")
    url = f"/supervisor/officers/{world['officer'].id}/hand-over"
    fields = {**_form(auth, url, url), f"school_{world['school_a'].id}": str(second_officer.id),
              "note": "Left the district"}
    first, second = _twice(auth, url, fields)
    assert first.status_code == 302 and second.status_code == 303
    page = page_text(auth.client.get(second.location))
    assert "4 cases handed over." in page and ALREADY in page and "Nothing was handed over" not in page


def test_what_a_sent_form_said_is_not_kept_past_the_time_a_repeat_comes(app, auth, login_as, rosa):
    """The hourly clean-up removes every user's forms sent longer ago than a
    repeat comes: what they said may name a student."""
    import datetime

    from fieldapp.models import SentForm, utcnow
    from fieldapp.web import once
    login_as("front_office")
    url = f"/students/{rosa['rosa'].id}/referrals/new"
    auth.client.post(url, data={**_form(auth, url, url), "reason": "illness", "note": "Often sick"})
    assert SentForm.select().count() == 1
    assert once.forget_old(now=utcnow()) == 0  # just sent: a repeat may still come
    assert once.forget_old(now=utcnow() + once.KEPT + datetime.timedelta(seconds=1)) == 1
    assert not SentForm.select().exists()


def test_cases_assigned_twice_with_some_left_show_the_same_page_again(auth, login_as, world):
    """A bulk assignment that left some cases (another school's student) answers
    with the queue and the list of cases left, each with why; the same form
    sent again answers that same page, not the success message alone."""
    other_school = factories.gen_school("Far School")
    bea = factories.gen_user("officer", [world["school_a"]], name="Bea Second")
    near = lifecycle.open_case(world["supervisor"], factories.gen_student(world["school_a"], first="Near",
                                                                          last="Queue"), {"officer": ""})
    far = lifecycle.open_case(world["supervisor"], factories.gen_student(other_school, first="Farah",
                                                                         last="Away"), {"officer": ""})
    login_as("supervisor")
    fields = {**_form(auth, "/supervisor/unassigned", "/supervisor/assign"),
              "officer": str(bea.id), "case": [str(near.id), str(far.id)]}
    first, second = _twice(auth, "/supervisor/assign", fields)
    assert first.status_code == 200 and second.status_code == 200
    for answer in (first, second):
        page = page_text(answer)
        assert "1 case assigned." in page and "1 case was not assigned" in page
        assert "Farah" in page and "Far School" in page
    assert ALREADY in page_text(second) and ALREADY not in page_text(first)
    assert Case.get_by_id(near.id).officer_id == bea.id and Case.get_by_id(far.id).officer_id is None


def test_a_form_sent_again_after_a_repeat_would_come_is_a_new_form(auth, login_as, rosa):
    """A form kept past the time a repeat comes, not yet removed by the hourly
    clean-up, is not answered as a repeat: the old tab sent it again on purpose."""
    import datetime

    from fieldapp.models import SentForm, utcnow
    from fieldapp.web import once
    login_as("front_office")
    url = f"/students/{rosa['rosa'].id}/referrals/new"
    fields = {**_form(auth, url, url), "reason": "illness", "note": "Often sick"}
    assert auth.client.post(url, data=fields).status_code == 302
    SentForm.update(sent_at=utcnow() - once.KEPT - datetime.timedelta(seconds=5)).execute()
    again = auth.client.post(url, data=fields)
    assert again.status_code == 422 and "already waiting for the officer" in page_text(again)


def test_sending_a_form_removes_no_other_kept_form(auth, login_as, rosa, caplog):
    """Old forms are removed by the hourly clean-up (forget_old), not by a
    DELETE on every form sent; a repeat still answers as the first did."""
    import logging
    login_as("front_office")
    url = f"/students/{rosa['rosa'].id}/referrals/new"
    fields = {**_form(auth, url, url), "reason": "illness", "note": "Often sick"}
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        first, second = _twice(auth, url, fields)
    said = [r.getMessage() for r in caplog.records if r.name == "peewee"]
    assert said and not [q for q in said if "DELETE" in q.upper() and "sent_form" in q]
    assert first.status_code == 302 and second.status_code == 303 and second.location == first.location
    assert Referral.select().where(Referral.student == rosa["rosa"]).count() == 1
