"""Follow-ups are tasks: a contact with no date never erases one; a later contact that
plans another replaces it; an officer marks one done; a late-arriving older contact
replaces nothing."""
import datetime
import uuid

import pytest

from fieldapp.cases import contacts as logic, followups
from fieldapp.models import Case, FollowUp
from fieldapp.sync.batch import apply_batch
from tests.unit.sync_entries import entry
from tests.unit.test_contacts import LOCAL_NOW, NOW, local, people, validate  # noqa: F401 (fixture)


def day(days):
    return local(datetime.timedelta(days=days), "%Y-%m-%d")


def log(people, hours_ago=1, **overrides):
    clean, errors = validate(people["officer"], occurred_at=local(datetime.timedelta(hours=-hours_ago)),
                             **overrides)
    assert errors == {}, errors
    return logic.log_contact(people["officer"], people["case"], clean, uuid.uuid4())[0]


def due(people):
    return Case.get_by_id(people["case"].id).next_follow_up


def test_a_call_with_no_date_leaves_the_planned_visit(people):
    log(people, hours_ago=3, follow_up_on=day(4))
    log(people, hours_ago=1, method="phone", outcome="voicemail")  # a quick call, no date
    assert due(people).isoformat() == day(4)
    assert [f.status for f in FollowUp.select()] == ["open"]


def test_letters_logged_for_a_school_leave_each_follow_up(people):
    log(people, hours_ago=3, follow_up_on=day(2))
    log(people, hours_ago=1, method="letter", outcome="letter_issued")
    assert due(people).isoformat() == day(2)


def test_a_later_contact_that_plans_another_replaces_it_on_purpose(people):
    log(people, hours_ago=3, follow_up_on=day(4))
    log(people, hours_ago=1, follow_up_on=day(1))
    assert due(people).isoformat() == day(1)
    assert sorted(f.status for f in FollowUp.select()) == ["open", "replaced"]


def test_an_older_contact_sent_late_from_a_phone_replaces_nothing(people):
    log(people, hours_ago=1, follow_up_on=day(4))
    log(people, hours_ago=30, follow_up_on=day(1))  # happened earlier, arrived later
    assert due(people).isoformat() == day(4)


def test_marking_done_clears_it_and_a_stale_second_tap_changes_nothing(people):
    log(people, hours_ago=1, follow_up_on=day(0))
    followups.mark_done(people["officer"], people["case"], day(0))
    assert due(people) is None
    done = FollowUp.get()
    assert (done.status, done.closed_by_id) == ("done", people["officer"].id)
    log(people, hours_ago=0.5, method="phone", outcome="voicemail")  # no date: nothing comes back
    assert due(people) is None
    with pytest.raises(followups.FollowUpError):
        followups.mark_done(people["officer"], people["case"], day(0))


def test_an_amendment_that_removes_the_date_withdraws_that_follow_up(people):
    log(people, hours_ago=5, follow_up_on=day(3))
    original = log(people, hours_ago=1, follow_up_on=day(6))
    clean, _ = validate(people["officer"], occurred_at=local(datetime.timedelta(hours=-1)))
    logic.log_contact(people["officer"], people["case"], clean, uuid.uuid4(), amends=original,
                      amendment_reason="No follow-up was agreed.")
    assert due(people) is None  # the older plan it had replaced does not come back


def test_contacts_from_a_phone_keep_the_follow_up_as_a_task(people):
    officer, case = people["officer"], people["case"]
    planned = entry(case, officer, follow_up_on=day(5))
    blank = entry(case, officer, method="phone", outcome="voicemail")
    assert [r["status"] for r in apply_batch(officer, [planned, blank])] == ["created", "created"]
    assert due(people).isoformat() == day(5)
