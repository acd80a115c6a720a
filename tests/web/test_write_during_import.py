"""An officer's contact saved while an import is being applied is stored:
the import's transaction holds SQLite's one writer while it writes, and a
web write waits its turn (DATABASE_BUSY_SECONDS, 25 s) instead of failing after
5 s with "database is locked". On PostgreSQL it never waits on an import of
other rows. A real import, applied in another thread on its own connection,
holds its transaction open for longer than the old wait."""
import datetime
import io
import os
import threading
import time
import uuid

from fieldapp import imports
from fieldapp.db import is_postgres
from fieldapp.imports.oneroster import import_oneroster
from fieldapp.models import AttendanceEvent, Contact, ImportRun, Student
from fieldapp.rules.settings import RuleSettings
from fieldapp.timefmt import to_local
from tests import factories
from tests.races import WAIT, held, in_thread
from tests.web.conftest import page_text

DATA = os.path.join(os.path.dirname(__file__), "..", "data")
TODAY = datetime.date(2025, 10, 1)
SETTINGS = RuleSettings(auto_open=False)
HELD = 7  # seconds the import keeps its transaction open: past the 5 s a web write used to wait


def test_a_contact_saved_while_an_import_is_applied_is_stored(auth):
    assert import_oneroster(os.path.join(DATA, "oneroster-bulk"), "roster").applied
    student = Student.get(Student.local_id == "1001")
    officer = factories.gen_user("officer", [student.school])
    case = factories.gen_case(student, officer)
    with open(os.path.join(DATA, "attendance.csv"), "rb") as stream:
        pending = imports.preview("attendance", io.BytesIO(stream.read()), "attendance.csv", SETTINGS,
                                  via="upload", today=TODAY, keep_file=True)
    run_id = pending.run.id
    auth.login(officer)
    form = page_text(auth.client.get(f"/cases/{case.id}/contacts/new"))
    assert "occurred_at" in form
    results, written, commit = {}, threading.Event(), threading.Event()
    applying = in_thread(held(lambda: imports.apply_stored(ImportRun.get_by_id(run_id), SETTINGS, today=TODAY),
                              written, commit), results, "import")
    assert written.wait(WAIT * 2), results.get("import")
    timer = threading.Timer(HELD, commit.set)  # the import commits HELD s after it has written
    timer.start()
    try:
        started = time.monotonic()
        when = to_local(datetime.datetime.utcnow() - datetime.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")
        answer = auth.post(f"/cases/{case.id}/contacts/new", {
            "uuid": str(uuid.uuid4()), "method": "phone", "outcome": "voicemail", "reasons": "illness",
            "notes": "Called during the import", "occurred_at": when, "follow_up_on": ""})
        waited = time.monotonic() - started
    finally:
        commit.set()
        timer.cancel()
        applying.join(WAIT)
    assert answer.status_code in (302, 303), page_text(answer)[:500]
    assert Contact.select().where(Contact.notes == "Called during the import").count() == 1
    assert results["import"][0].outcome == "applied" and AttendanceEvent.select().count() > 0
    if is_postgres():
        assert waited < HELD - 1  # other rows: no wait on PostgreSQL
