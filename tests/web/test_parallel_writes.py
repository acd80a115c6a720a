"""Officers saving at the same moment, against a real threaded server on the
test database: every save is stored, none answers 500. On SQLite a
transaction that read before it wrote once failed at once with "database is
locked" when another save committed in between."""
import concurrent.futures
import datetime
import json
import urllib.request
import uuid

from fieldapp.models import Case, Contact, FollowUp
from fieldapp.timefmt import to_local, today_for_school
from tests.conftest import csrf_token_from, posted, served_as
from tests.unit.sync_entries import entry, phone_time


def test_sixteen_contacts_saved_at_once_are_all_stored(app, world):
    case = world["case_a"]
    with served_as(app, world["officer"]) as (base, opener):
        form = opener.open(f"{base}/cases/{case.id}/contacts/new", timeout=60).read().decode()
        token = csrf_token_from(form)
        when = to_local(datetime.datetime.utcnow() - datetime.timedelta(minutes=5)).strftime(
            "%Y-%m-%dT%H:%M")

        def save(number):
            return posted(opener, f"{base}/cases/{case.id}/contacts/new", {
                "uuid": str(uuid.uuid4()), "method": "phone", "outcome": "voicemail",
                "reasons": "illness", "notes": f"Parallel call {number}", "occurred_at": when,
                "follow_up_on": "", "csrf_token": token})
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(save, range(16)))
    assert statuses == [200] * 16, statuses  # each redirected to the student's page
    assert Contact.select().where(Contact.notes.startswith("Parallel call")).count() == 16


def test_phones_syncing_follow_ups_onto_one_case_at_once_leave_one_planned(app, world):
    """Each sync plans the case's follow-up from the contact that happened last; the
    case's row, moved on first, makes a second sender wait for the first, so no
    follow-up is planned twice by one contact and none is left open beside another."""
    case, officer = world["case_a"], world["officer"]
    due = (today_for_school(case.school_id) + datetime.timedelta(days=3)).isoformat()
    with served_as(app, officer) as (base, opener):
        token = csrf_token_from(opener.open(f"{base}/students", timeout=60).read().decode())

        def sync(number):
            sent = entry(case, officer, follow_up_on=due, occurred_at=phone_time(20 - number % 5),
                         notes=f"Phone {number} at the door")
            request = urllib.request.Request(
                f"{base}/api/sync", data=json.dumps({"entries": [sent]}).encode(),
                headers={"Content-Type": "application/json", "X-CSRFToken": token})
            with opener.open(request, timeout=120) as answer:
                return answer.status, json.loads(answer.read())["counts"]
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(sync, range(16)))
    assert answers == [(200, {"created": 1})] * 16
    planned = list(FollowUp.select().where((FollowUp.case == case) & (FollowUp.status == "open")))
    assert len(planned) == 1
    latest = (Contact.select().where((Contact.case == case) & Contact.follow_up_on.is_null(False))
              .order_by(Contact.occurred_at.desc()).get())
    # Planned by a visit of the latest time (of several at one time, the first stored).
    assert Contact.get_by_id(planned[0].planned_by_id).occurred_at == latest.occurred_at
    assert Case.get_by_id(case.id).next_follow_up.isoformat() == due
