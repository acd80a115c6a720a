"""Officers saving at the same moment, against a real threaded server on the
test database: every save is stored, none answers 500. On SQLite a
transaction that read before it wrote once failed at once with "database is
locked" when another save committed in between."""
import concurrent.futures
import datetime
import http.cookiejar
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid

from werkzeug.serving import make_server

from fieldapp.models import Contact
from fieldapp.timefmt import to_local
from tests import factories
from tests.conftest import csrf_token_from


def test_sixteen_contacts_saved_at_once_are_all_stored(app, world):
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_port}"
    case = world["case_a"]
    try:
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = opener.open(f"{base}/login", timeout=60).read().decode()
        opener.open(f"{base}/login", timeout=120, data=urllib.parse.urlencode({
            "email": world["officer"].email, "password": factories.PASSWORD,
            "csrf_token": csrf_token_from(page)}).encode())
        form = opener.open(f"{base}/cases/{case.id}/contacts/new", timeout=60).read().decode()
        token = csrf_token_from(form)
        when = to_local(datetime.datetime.utcnow() - datetime.timedelta(minutes=5)).strftime(
            "%Y-%m-%dT%H:%M")

        def save(number):
            body = urllib.parse.urlencode({
                "uuid": str(uuid.uuid4()), "method": "phone", "outcome": "voicemail",
                "reasons": "illness", "notes": f"Parallel call {number}", "occurred_at": when,
                "follow_up_on": "", "csrf_token": token}).encode()
            try:
                return opener.open(urllib.request.Request(
                    f"{base}/cases/{case.id}/contacts/new", data=body), timeout=120).status
            except urllib.error.HTTPError as answer:
                return answer.code
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(save, range(16)))
    finally:
        httpd.shutdown()
        thread.join(5)
    assert statuses == [200] * 16, statuses  # each redirected to the student's page
    assert Contact.select().where(Contact.notes.startswith("Parallel call")).count() == 16
