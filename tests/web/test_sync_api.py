"""The sync API as a phone uses it: session, CSRF header, statuses, limits, device reports."""
import datetime

from fieldapp.models import Contact, DeviceReport, utcnow
from fieldapp.sync.batch import MAX_ENTRIES
from tests.unit.sync_entries import entry


def send(client, token, body, **headers):
    return client.post("/api/sync", json=body, headers={"X-CSRFToken": token, **headers})


def session(client):
    response = client.get("/api/sync/session")
    assert response.status_code == 200
    return response.get_json()


def test_logged_out_phone_gets_401_json_and_nothing_is_stored(client, world):
    sent = entry(world["case_a"], world["officer"])
    response = client.post("/api/sync", json={"entries": [sent]})
    assert response.status_code == 401 and response.get_json() == {"error": "login required"}
    assert client.get("/api/sync/session").status_code == 401
    assert not Contact.select().where(Contact.uuid == sent["uuid"]).exists()


def test_batch_without_csrf_header_is_refused_as_json(client, login_as, world):
    login_as("officer")
    response = client.post("/api/sync", json={"entries": [entry(world["case_a"], world["officer"])]})
    assert response.status_code == 400
    assert response.get_json()["error"] == "Form expired"
    assert Contact.select().count() == 2


def test_batch_with_session_and_header_answers_each_entry(client, login_as, world):
    officer = login_as("officer")
    info = session(client)
    assert info["user_id"] == officer.id and info["may_sync"] is True
    good, bad = entry(world["case_a"], officer), entry(world["case_a"], officer, outcome="")
    response = send(client, info["csrf_token"], {"entries": [good, bad]})
    assert response.status_code == 200
    body = response.get_json()
    assert [r["status"] for r in body["results"]] == ["created", "invalid"]
    assert body["counts"] == {"created": 1, "invalid": 1}
    assert body["results"][1]["errors"] == {"outcome": "Choose the outcome."}
    again = send(client, info["csrf_token"], {"entries": [good]}).get_json()
    assert again["results"][0] == {**body["results"][0], "status": "duplicate"}


def test_malformed_bodies_get_clear_json_answers(client, login_as, world):
    login_as("officer")
    token = session(client)["csrf_token"]
    not_json = client.post("/api/sync", data="entries", headers={"X-CSRFToken": token})
    assert not_json.status_code == 400 and "JSON" in not_json.get_json()["error"]
    assert send(client, token, {"entries": {"a": 1}}).status_code == 400
    too_many = send(client, token, {"entries": [{}] * (MAX_ENTRIES + 1)})
    assert too_many.status_code == 413
    assert too_many.get_json()["limit"] == MAX_ENTRIES


def test_role_that_logs_no_contacts_is_refused(client, login_as, world):
    login_as("admin")
    token = session(client)["csrf_token"]
    response = send(client, token, {"entries": [entry(world["case_a"], world["admin"])]})
    assert response.status_code == 403 and response.is_json


def test_device_report_is_kept_and_supervisor_sees_phones_waiting_too_long(client, login_as, world):
    officer = login_as("officer")
    token = session(client)["csrf_token"]
    two_days = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=49)).isoformat()
    device = {"id": "phone-0001-abcd", "pending": 3, "oldest_at": two_days}
    android = ("Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
               "Chrome/126.0.0.0 Mobile Safari/537.36")
    send(client, token, {"device": device, "entries": []}, **{"User-Agent": android})
    report = DeviceReport.get(DeviceReport.device_id == "phone-0001-abcd")
    assert (report.user_id, report.pending) == (officer.id, 3)
    assert report.oldest_pending_at < utcnow() - datetime.timedelta(hours=48)
    login_as("supervisor")
    page = client.get("/supervisor/sync/devices").get_data(as_text=True)
    assert officer.name in page and "Android · Chrome Mobile" in page
    assert "AppleWebKit" not in page  # the phone as a person names it, not the raw header
    assert officer.name not in client.get("/supervisor/sync/devices?hours=72").get_data(as_text=True)
    bad = client.get("/supervisor/sync/devices?hours=abc")
    assert bad.status_code == 200 and "whole number of hours" in bad.get_data(as_text=True)


def test_a_bad_device_report_does_not_block_the_entries(client, login_as, world):
    officer = login_as("officer")
    token = session(client)["csrf_token"]
    body = {"device": {"id": "x", "pending": -1}, "entries": [entry(world["case_a"], officer)]}
    assert send(client, token, body).get_json()["counts"] == {"created": 1}
    assert DeviceReport.select().count() == 0


def test_offline_pages_are_the_officers_caseload(client, login_as, world):
    login_as("officer")
    kept = client.get("/api/sync/offline-pages").get_json()
    pages = kept["pages"]
    assert pages[0] == "/caseload" and "/outbox" in pages
    assert kept["offline"] == "/offline"  # kept too, in the officer's language
    assert f"/students/{world['student_a'].id}" in pages
    assert f"/cases/{world['case_a'].id}/contacts/new" in pages
    assert f"/students/{world['student_b'].id}" not in pages
    login_as("front_office")
    assert client.get("/api/sync/offline-pages").get_json()["pages"] == ["/outbox"]


def test_service_worker_manifest_and_offline_page(client):
    worker = client.get("/sw.js")
    assert worker.headers["Service-Worker-Allowed"] == "/"
    assert worker.mimetype == "text/javascript" and "__SHELL__" not in worker.get_data(as_text=True)
    manifest = client.get("/manifest.webmanifest")
    assert manifest.mimetype == "application/manifest+json"
    assert manifest.get_json()["display"] == "standalone"
    assert "No connection" in client.get("/offline").get_data(as_text=True)


def test_what_to_fix_in_an_entry_comes_in_the_officers_language(client, login_as, world):
    officer = world["officer"]
    officer.language = "es"
    officer.save()
    login_as("officer")
    token = session(client)["csrf_token"]
    bad = entry(world["case_a"], officer, outcome="", follow_up_on="2020-01-01")
    result = send(client, token, {"entries": [bad]}).get_json()["results"][0]
    assert result["status"] == "invalid"
    # The outbox page shows these under "Needs attention" as they come.
    assert result["errors"] == {
        "outcome": "Elija una opción en «Resultado».",
        "follow_up_on": "La fecha de seguimiento debe ser el mismo día del contacto o después."}


def test_a_phone_past_its_limit_of_syncs_a_minute_is_refused_and_nothing_is_stored(client, login_as, world):
    from fieldapp.models import RateLimitCounter
    officer = login_as("officer")
    token = session(client)["csrf_token"]
    first = send(client, token, {"entries": [entry(world["case_a"], officer)]})
    assert first.status_code == 200 and first.headers["X-RateLimit-Remaining"] == "599"
    # As if the phone had sent 599 requests this minute.
    counted = RateLimitCounter.update(count=599).where(RateLimitCounter.key.contains("sync.api_sync")).execute()
    assert counted == 1
    last = send(client, token, {"entries": [entry(world["case_a"], officer)]})
    assert last.status_code == 200 and last.headers["X-RateLimit-Remaining"] == "0"
    refused = entry(world["case_a"], officer)
    answer = send(client, token, {"entries": [refused]})
    assert answer.status_code == 429 and answer.get_json()["error"] == "too many requests"
    assert not Contact.select().where(Contact.uuid == refused["uuid"]).exists()
