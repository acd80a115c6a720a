"""A person correcting a contact that someone else corrected at that moment
(or a moment before) is shown the correction that was saved first, with
everything they typed kept in the form, and can correct that correction in
turn. The race is real: another connection holds the other correction
written but not committed until this request waits on it
(see tests/unit/test_amend_race.py)."""
import uuid

from fieldapp.cases import contacts as logic
from fieldapp.models import Contact
from tests import factories
from tests.races import race

TYPED = "Grandmother answered, not the mother"
WHY = "I was there: it was the grandmother"


def _form(**overrides):
    form = {"uuid": str(uuid.uuid4()), "method": "home_visit", "outcome": "reached_parent",
            "reasons": ["transportation"], "people_present": ["parent"], "notes": TYPED,
            "occurred_at": "", "follow_up_on": "", "amendment_reason": WHY}
    form.update(overrides)
    return form


def _officer_corrects(world):
    clean, errors = logic.validate_contact(
        factories.contact_form(outcome="no_answer", notes="Nobody home after all."), world["officer"])
    assert not errors, errors
    contact, _ = logic.log_contact(world["officer"], world["case_a"], clean, uuid.uuid4(),
                                   amends=world["contact_a"], amendment_reason="Wrong outcome typed.")
    return contact


def test_a_supervisor_correcting_at_the_same_moment_is_shown_the_first_correction(app, world, auth):
    auth.login(world["supervisor"])
    url = f"/contacts/{world['contact_a'].id}/amend"
    form = _form()
    winner, response = race(lambda: _officer_corrects(world), lambda: auth.post(url, data=form))
    assert not isinstance(response, Exception), response
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "This contact was already corrected; amend the latest correction." in page
    assert "Corrected first by" in page and world["officer"].name in page
    assert "Nobody home after all." in page and "Wrong outcome typed." in page
    assert TYPED in page and WHY in page  # nothing typed is lost
    assert f'action="/contacts/{winner.id}/amend"' in page  # saving now corrects the correction
    assert Contact.select().where(Contact.amends == world["contact_a"]).count() == 1
    # Saving the same form again corrects the winning correction: a chain, nothing lost.
    again = auth.post(f"/contacts/{winner.id}/amend", data=form)
    assert again.status_code == 302
    latest = logic.latest_correction(world["contact_a"])
    assert latest.amends_id == winner.id and latest.notes == TYPED


def test_an_officer_who_may_not_correct_the_first_correction_keeps_their_text(app, world, auth):
    clean, _ = logic.validate_contact(factories.contact_form(notes="Supervisor's version."), world["supervisor"])
    first, _ = logic.log_contact(world["supervisor"], world["case_a"], clean, uuid.uuid4(),
                                 amends=world["contact_a"], amendment_reason="Checked with the school.")
    auth.login(world["officer"])
    response = auth.post(f"/contacts/{world['contact_a'].id}/amend", data=_form())
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Supervisor&#39;s version." in page and "Checked with the school." in page
    assert "Only its author or a supervisor can correct it" in page
    assert TYPED in page and WHY in page
    assert f'action="/contacts/{first.id}/amend"' not in page
    assert Contact.select().where(Contact.amends == world["contact_a"]).count() == 1
