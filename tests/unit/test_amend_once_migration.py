"""Migration 0420 on a database where a contact already has two competing
corrections: both stay, the later one now corrects the earlier one (so one
stands, as the timeline showed it last), the case counts one contact, and the
unique index is in place afterwards."""
import uuid

from fieldapp.db import database
from fieldapp.models import Case, Contact
from tests import factories
from tests.migration_support import migration


def _correction(case, author, amends, notes):
    return Contact.create(uuid=uuid.uuid4(), case=case, student=case.student_id, author=author,
                          method="phone", outcome="no_answer", notes=notes, occurred_at=amends.occurred_at,
                          amends=amends, amendment_reason=notes)


def test_two_competing_corrections_are_chained_and_the_case_counts_one(app):
    school = factories.gen_school("North")
    officer, supervisor = factories.gen_user("officer", [school]), factories.gen_user("supervisor")
    case = factories.gen_case(factories.gen_student(school), officer)
    original = factories.gen_contact(case, officer)
    step = migration("0420_one_amendment_per_contact.py")
    with database.atomic():
        step.down(None, database)
        first = _correction(case, officer, original, "First")
        second = _correction(case, supervisor, original, "Second")
        third = _correction(case, supervisor, original, "Third")
        Case.update(contact_count=3).where(Case.id == case.id).execute()  # as the fault left it
        step.up(None, database)
    chain = {c.id: c.amends_id for c in Contact.select()}
    assert chain == {original.id: None, first.id: original.id, second.id: first.id, third.id: second.id}
    assert Case.get_by_id(case.id).contact_count == 1
    assert Case.get_by_id(case.id).last_contact_at == third.occurred_at
    indexes = [i.name for i in database.get_indexes("contact")]
    assert "contact_amends_once" in indexes
