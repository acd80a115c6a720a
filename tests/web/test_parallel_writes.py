"""Officers saving at the same moment, against a real threaded server on the
test database: every save is stored, none answers 500. On SQLite a
transaction that read before it wrote once failed at once with "database is
locked" when another save committed in between."""
import concurrent.futures
import datetime
import uuid

from fieldapp.models import Contact
from fieldapp.timefmt import to_local
from tests.conftest import csrf_token_from, posted, served_as


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
