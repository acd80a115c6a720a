"""Two people correcting the same contact at the same moment, on two real
connections: one correction is saved, the other is told who corrected it
first and is given that correction; a contact never gets two competing
corrections (a lock on the contact before the check, and the unique index of
migration 0420 behind it).

The first correction is written but not committed in another connection
while the second runs. On PostgreSQL the second waits at the lock on the
contact and then finds the correction; on SQLite a transaction takes the
write lock as it begins, so the second waits there and then finds it."""
import uuid

import pytest
from peewee import IntegrityError

from fieldapp.cases import contacts as logic
from fieldapp.db import database
from fieldapp.models import Case, Contact
from tests import factories
from tests.races import race


def _correct(user, case, original, notes):
    clean, errors = logic.validate_contact(factories.contact_form(outcome="no_answer", notes=notes), user)
    assert not errors, errors
    return logic.log_contact(user, case, clean, uuid.uuid4(), amends=original, amendment_reason=notes)[0]


@pytest.fixture
def people(app):
    school = factories.gen_school("North")
    officer = factories.gen_user("officer", [school], name="Ann Officer")
    supervisor = factories.gen_user("supervisor", name="Sam Supervisor")
    case = factories.gen_case(factories.gen_student(school), officer)
    return officer, supervisor, case, factories.gen_contact(case, officer)


def test_two_people_correcting_one_contact_at_once_make_one_correction(people):
    officer, supervisor, case, original = people
    winner, second = race(lambda: _correct(officer, case, original, "Nobody came to the door."),
                          lambda: _correct(supervisor, Case.get_by_id(case.id), original, "Wrong outcome."))
    assert isinstance(winner, Contact), winner
    assert isinstance(second, logic.AlreadyCorrected), second
    assert second.correction.id == winner.id
    assert second.correction.notes == "Nobody came to the door."
    assert [c.id for c in Contact.select().where(Contact.amends == original)] == [winner.id]
    assert [c.id for c in logic.effective_contacts(case)] == [winner.id]
    assert Case.get_by_id(case.id).contact_count == 1


def test_the_database_refuses_a_second_correction_of_a_contact(people):
    """By construction: whatever path writes it, one contact has one correction."""
    officer, supervisor, case, original = people
    _correct(officer, case, original, "First")
    with pytest.raises(IntegrityError), database.atomic():
        Contact.create(uuid=uuid.uuid4(), case=case, student=case.student_id, author=supervisor,
                       method="phone", outcome="no_answer", occurred_at=original.occurred_at,
                       amends=original, amendment_reason="Second")


def test_corrections_chain_the_latest_is_found(people):
    officer, supervisor, case, original = people
    first = _correct(officer, case, original, "First")
    second = _correct(supervisor, case, first, "Second")
    assert logic.latest_correction(original).id == second.id
    assert logic.latest_correction(second) is None
    with pytest.raises(logic.AlreadyCorrected) as raised:
        _correct(supervisor, case, original, "Third, on a stale page")
    assert raised.value.correction.id == second.id
    assert [c.id for c in logic.effective_contacts(case)] == [second.id]
