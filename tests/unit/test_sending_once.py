"""Recording a sending when another user recorded some of the same letters
since the page was read: their record stands, and the audit trail holds a
line only for what this request recorded."""
import pytest

from fieldapp.documents import letters, sending
from fieldapp.models import AuditEvent, Letter
from tests import documents_support as support
from tests import factories


@pytest.fixture
def batch(app):
    school = factories.gen_school("Lincoln Elementary")
    officer = factories.gen_user("officer", [school], name="Dana Ortiz")
    other = factories.gen_user("officer", [school], name="Sam Lee")
    made = [support.gen_issued_letter(factories.gen_case(factories.gen_student(school, first=first), officer),
                                      officer) for first in ("Ava", "Ben", "Cy")]
    return officer, other, made


def _sent_lines():
    return sorted((e.object_id, e.user_id) for e in AuditEvent.select().where(AuditEvent.action == "letter.sent"))


def test_a_batch_sending_logs_only_the_letters_it_recorded(batch):
    officer, other, made = batch
    when = support.letter_sent_time(made[0])
    # The officer's page was read with all three unsent; meanwhile a colleague
    # records Ben's letter as handed over.
    letters.record_sent(other, Letter.get_by_id(made[1].id), {"sent_how": "hand_delivered", "sent_at": when})
    recorded, left = sending.record_batch_sent(officer, made, {"sent_how": "mail", "sent_at": when,
                                                               "letter": [str(x.id) for x in made]})
    assert [x.id for x in recorded] == [made[0].id, made[2].id] and left == []
    assert Letter.get_by_id(made[1].id).sent_how == "hand_delivered"
    assert _sent_lines() == sorted([(str(made[0].id), officer.id), (str(made[1].id), other.id),
                                    (str(made[2].id), officer.id)])


def test_a_single_sending_does_not_overwrite_one_recorded_meanwhile(batch):
    officer, other, made = batch
    when = support.letter_sent_time(made[0])
    stale = Letter.get_by_id(made[0].id)
    letters.record_sent(other, Letter.get_by_id(made[0].id), {"sent_how": "email", "sent_at": when})
    with pytest.raises(letters.LetterError) as twice:
        letters.record_sent(officer, stale, {"sent_how": "mail", "sent_at": when})
    assert "already recorded as sent" in twice.value.errors["sent_how"]
    kept = Letter.get_by_id(made[0].id)
    assert (kept.sent_how, kept.sent_recorded_by_id) == ("email", other.id)
    assert _sent_lines() == [(str(made[0].id), other.id)]
