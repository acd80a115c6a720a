"""A phone's first visit, in real Chromium: every static file it asks for
names its version and is kept a year, the service worker comes compressed
and unkept, and its shell holds exactly the files the pages link."""
from tests.browser.conftest import login, shot
from tests.browser.test_offline import ready_offline


def test_a_phone_keeps_versioned_files_and_checks_its_service_worker(world, live_server, phone):
    page = phone.new_page()
    answers = []
    page.on("response", lambda r: answers.append((r.url, r.status, r.all_headers())))
    login(page, live_server, world["officer"])
    ready_offline(page)
    shot(page, "static-versions-caseload-phone")
    static = [(url, status, headers) for url, status, headers in answers
              if "/static/" in url and status != 304]
    assert static, "the page asked for no static file"
    for url, status, headers in static:
        assert "?v=" in url and status == 200, (url, status)
        assert headers["cache-control"] == "public, max-age=31536000, immutable", url
        assert headers["x-content-type-options"] == "nosniff", url
    with page.expect_response(lambda r: r.url.endswith("/sw.js")) as fetched:
        page.evaluate("fetch('/sw.js', {cache: 'no-store'}).then(r => r.text())")
    worker = fetched.value.all_headers()
    assert fetched.value.status == 200 and worker["cache-control"] == "no-cache"
    assert worker.get("content-encoding") in ("gzip", "br"), worker
    shell = page.evaluate("""caches.keys().then(keys => caches.open(
        keys.find(k => k.startsWith('fieldapp-shell-'))).then(c => c.keys()))
        .then(requests => requests.map(r => r.url))""")
    kept = [url for url in shell if "/static/" in url]
    assert kept and all("?v=" in url for url in kept)
    linked = {url.split(live_server)[1] for url, _, _ in static}
    assert {u for u in linked if "/js/" in u or "/css/" in u} <= \
        {url.split(live_server)[1] for url in kept}
