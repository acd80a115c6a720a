"""Two supervisors resolving the same sync conflict at the same moment, on
two real connections: the first one's choice stands; the second is told who
resolved it and how, and adds no contact. The first resolution is held,
written but not committed, until the second waits on it
(tests/unit/test_casework_races.py)."""
from fieldapp.models import Contact, SyncConflict
from fieldapp.sync import review
from tests import factories
from tests.unit.sync_entries import gen_conflict
from tests.races import race as _race


def test_a_conflict_resolved_by_two_at_once_keeps_the_first_choice(app):
    school = factories.gen_school("North")
    officer = factories.gen_user("officer", [school])
    one = factories.gen_user("supervisor", name="Sam Supervisor")
    two = factories.gen_user("supervisor", name="Sue Supervisor")
    contact = factories.gen_contact(factories.gen_case(factories.gen_student(school), officer), officer)
    conflict = gen_conflict(contact, notes="Second visit the same day.")
    stale = SyncConflict.get_by_id(conflict.id)
    _, second = _race(
        lambda: review.resolve(one, SyncConflict.get_by_id(conflict.id), {"resolution": "keep_first"}),
        lambda: review.resolve(two, stale, {"resolution": "add_second", "note": "Both happened"}))
    assert isinstance(second, review.ResolveError), second
    assert str(second.errors["resolution"]) == (
        "Sam Supervisor resolved this conflict meanwhile (Keep the first version only); nothing was changed.")
    stored = SyncConflict.get_by_id(conflict.id)
    assert (stored.resolution, stored.resolved_by_id, stored.added_contact_id) == ("keep_first", one.id, None)
    assert Contact.select().where(Contact.notes == "Second visit the same day.").count() == 0
