"""The list of pages kept on a phone carries a version per page and an ETag, so a
refresh when nothing changed is a 304 of a few hundred bytes, and a change fetches
only the pages it touches."""
from tests import factories


def kept(client, etag=None):
    headers = {"If-None-Match": etag} if etag else {}
    return client.get("/api/sync/offline-pages", headers=headers)


def test_an_unchanged_refresh_is_a_304_and_a_contact_changes_only_its_students_pages(
        client, login_as, world):
    officer = login_as("officer")
    other = factories.gen_case(factories.gen_student(world["school_a"], first="Ana"), officer)
    first = kept(client)
    assert first.status_code == 200 and first.headers["ETag"]
    body = first.get_json()
    a, b = world["case_a"], other
    assert body["open_cases"] == 2 and len(body["students"]) == 2
    assert set(body["versions"]) == set(body["pages"])
    unchanged = kept(client, first.headers["ETag"])
    assert unchanged.status_code == 304 and unchanged.get_data() == b""
    factories.gen_contact(a, officer, notes="A new visit on the first case.")
    changed = kept(client, first.headers["ETag"])
    assert changed.status_code == 200
    now = changed.get_json()["versions"]
    moved = {url for url in now if now[url] != body["versions"][url]}
    assert moved == {f"/students/{a.student_id}", f"/cases/{a.id}/contacts/new",
                     "/caseload", "/students"}
    assert f"/students/{b.student_id}" not in moved


def test_the_versions_follow_the_officers_language(client, login_as, world):
    officer = login_as("officer")
    before = kept(client).get_json()["versions"]
    officer.language = "es"
    officer.save()
    after = kept(client).get_json()["versions"]
    assert all(before[url] != after[url] for url in before)


def test_every_page_of_a_long_caseload_is_kept(client, login_as, world):
    from fieldapp.web.cases import PAGE
    officer = login_as("officer")
    for n in range(PAGE + 5):
        factories.gen_case(factories.gen_student(world["school_a"], first=f"Kid{n:03d}"), officer)
    body = kept(client).get_json()
    assert body["open_cases"] == PAGE + 6 and len(body["students"]) == PAGE + 6
    assert body["pages"][:3] == ["/caseload", "/students", "/caseload?page=2"]
    assert "/caseload?page=3" not in body["pages"]
    assert client.get("/caseload?page=2").status_code == 200
