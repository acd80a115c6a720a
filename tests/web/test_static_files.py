"""Static files come from the app compressed ahead of time, under versioned
names that browsers may keep for a year; pages are left to the proxy."""
import gzip
import json
import os
import time
import re

import brotli

from fieldapp.web import assets
from tests.web.conftest import page_text


def _stylesheet(client):
    page = page_text(client.get("/login"))
    return re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{10})"', page).group(1)


def test_pages_link_versioned_static_files_that_are_kept_a_year(client):
    url = _stylesheet(client)
    answer = client.get(url)
    assert answer.status_code == 200 and "max-age=31536000" in answer.headers["Cache-Control"]
    with open(os.path.join(client.application.static_folder, "css", "app.css"), "rb") as handle:
        assert answer.data == handle.read()


def test_compressed_copies_are_served_to_browsers_that_take_them(client):
    url = _stylesheet(client)
    plain = client.get(url).data
    br = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert br.headers["Content-Encoding"] == "br" and brotli.decompress(br.data) == plain
    assert len(br.data) < len(plain) / 2 and "Accept-Encoding" in br.headers["Vary"]
    gz = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip" and gzip.decompress(gz.data) == plain


def test_pages_themselves_are_not_compressed_by_the_app(client):
    page = client.get("/login", headers={"Accept-Encoding": "gzip, br"})
    assert "Content-Encoding" not in page.headers and b"<html" in page.data


def test_a_changed_file_gets_a_new_version_and_a_new_compressed_copy(tmp_path):
    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    (static / "css" / "a.css").write_text("body { color: red; }\n" * 50)
    versions = assets.Versions(str(static))
    first = versions.of("css/a.css")
    built = assets.build(str(static), str(tmp_path / "out"))
    assert os.path.exists(os.path.join(built, "css", "a.css.gz"))
    assert os.path.exists(os.path.join(built, "css", "a.css.br"))
    (static / "css" / "a.css").write_text("body { color: blue; }\n" * 50)
    os.utime(static / "css" / "a.css", ns=(1, 10 ** 18))
    assert versions.of("css/a.css") != first
    rebuilt = assets.build(str(static), str(tmp_path / "out"))
    # An app server started before the change still serves the earlier copy: it stays a while.
    assert rebuilt != built and os.path.exists(os.path.join(built, "css", "a.css.gz"))
    assert assets.build(str(static), str(tmp_path / "out")) == rebuilt and os.path.exists(built)
    day_ago = 1 + assets.KEEP_EARLIER
    os.utime(os.path.join(built, assets.SUPERSEDED), (time.time() - day_ago, time.time() - day_ago))
    assets.build(str(static), str(tmp_path / "out"))
    assert not os.path.exists(built)
    with gzip.open(os.path.join(rebuilt, "css", "a.css.gz"), "rt") as handle:
        assert "blue" in handle.read()


def test_only_the_version_of_the_file_served_is_kept_a_year(client):
    url = _stylesheet(client)
    kept = client.get(url)
    assert kept.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert kept.headers["X-Content-Type-Options"] == "nosniff"
    script = client.get("/static/js/outbox.js?v=deadbeef00")  # a version this server does not have
    assert script.status_code == 404 and script.headers["Cache-Control"] == "no-store"
    assert b"FieldOutbox" not in script.data
    bare = client.get("/static/js/outbox.js")  # no version named: checked every time
    assert bare.status_code == 200 and bare.headers["Cache-Control"] == "no-cache"
    assert bare.headers["X-Content-Type-Options"] == "nosniff" and bare.headers.get("ETag")
    again = client.get("/static/js/outbox.js", headers={"If-None-Match": bare.headers["ETag"]})
    assert again.status_code == 304 and again.headers["Cache-Control"] == "no-cache"
    assert client.get("/static/js/no-such.js?v=deadbeef00").status_code == 404
    assert client.get("/static/../fieldapp/config.py").status_code == 404


def test_a_server_with_other_files_refuses_a_new_pages_addresses(client, tmp_path):
    """Two servers during a deploy: the one still on the earlier file does not
    answer the new version's address with it."""
    url = _stylesheet(client)
    version = url.rsplit("=", 1)[1]
    static = tmp_path / "static" / "css"
    static.mkdir(parents=True)
    (static / "app.css").write_text("body { color: red; }\n")
    served = []
    old_server = assets.CheckedVersions(
        lambda environ, start: start("200 OK", [("Cache-Control", "max-age=31536000")]) or [b"old"],
        assets.Versions(str(tmp_path / "static")))
    body = old_server({"PATH_INFO": "/static/css/app.css", "QUERY_STRING": f"v={version}"},
                      lambda status, headers, exc=None: served.append((status, dict(headers))))
    assert served[0][0].startswith("404") and served[0][1]["Cache-Control"] == "no-store"
    assert b"old" not in b"".join(body)


def test_the_service_worker_goes_out_compressed_and_is_checked_each_time(client):
    plain = client.get("/sw.js")
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    assert b"fieldapp-shell-" in plain.data
    for coding, open_up in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        answer = client.get("/sw.js", headers={"Accept-Encoding": f"{coding}, deflate"})
        assert answer.headers["Content-Encoding"] == coding
        assert open_up(answer.data) == plain.data and len(answer.data) < len(plain.data) / 2
        assert answer.headers["Cache-Control"] == "no-cache"
        assert "Accept-Encoding" in answer.headers["Vary"]
        assert answer.headers["Service-Worker-Allowed"] == "/"
        unchanged = client.get("/sw.js", headers={"Accept-Encoding": coding,
                                                  "If-None-Match": answer.headers["ETag"]})
        assert unchanged.status_code == 304


def test_a_version_is_read_only_for_a_file_inside_the_static_folder(client):
    """An address under /static/ naming a file elsewhere (a device that never
    ends, the app's own source) is never opened to be hashed."""
    versions = assets.Versions(client.application.static_folder)
    assert versions.of("js/outbox.js")
    for name in ("../README.md", "/etc/hostname", "//dev/zero", "js", "css/../../README.md"):
        assert versions.of(name) is None, name
    for url in ("/static//dev/zero?v=deadbeef00", "/static/../README.md?v=deadbeef00"):
        assert client.get(url, follow_redirects=True).status_code == 404


def test_each_encoding_of_a_static_file_has_its_own_etag(client):
    """A cache that kept the gzip copy is never told it also holds the Brotli
    or the plain one: the three ETags differ, and each is honoured only for
    the copy it was given with."""
    for url in (_stylesheet(client), "/static/css/app.css"):
        tags = {}
        for coding in ("br", "gzip", "identity"):
            answer = client.get(url, headers={"Accept-Encoding": coding})
            assert answer.status_code == 200
            assert answer.headers.get("Content-Encoding", "identity") == coding
            tags[coding] = answer.headers["ETag"]
        assert len(set(tags.values())) == 3, tags
        for coding, tag in tags.items():
            same = client.get(url, headers={"Accept-Encoding": coding, "If-None-Match": tag})
            assert same.status_code == 304 and same.headers["ETag"] == tag and not same.data
            assert "Accept-Encoding" in same.headers["Vary"]
            for other in set(tags) - {coding}:
                changed = client.get(url, headers={"Accept-Encoding": other, "If-None-Match": tag})
                assert changed.status_code == 200 and changed.headers["ETag"] == tags[other]
                assert changed.headers.get("Content-Encoding", "identity") == other and changed.data
        listed = client.get(url, headers={"Accept-Encoding": "gzip",
                                          "If-None-Match": f'{tags["br"]}, W/{tags["gzip"]}'})
        assert listed.status_code == 304


def test_the_offline_shell_keeps_every_script_and_stylesheet_a_page_loads(client):
    """Each script or stylesheet any page names (templates/**, by url_for) is
    in the service worker's shell: a page opened offline (the sign-up of a
    plan, a list ticked at once) runs as it does online. Read from the
    templates themselves, so a file a page starts to load cannot be missed."""
    worker = client.get("/sw.js").get_data(as_text=True)
    shell = {url.split("?")[0] for url in json.loads(re.search(r"var SHELL = (\[.*?\]);", worker).group(1))}
    root = client.application.template_folder
    loaded = {}
    for folder, _, names in os.walk(root):
        for name in names:
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                for static in re.findall(r"url_for\('static', filename='([^']+\.(?:js|css))'\)", handle.read()):
                    loaded.setdefault(f"/static/{static}", os.path.relpath(os.path.join(folder, name), root))
    assert "/static/js/ticks.js" in loaded and "/static/css/app.css" in loaded
    assert {url: page for url, page in loaded.items() if url not in shell} == {}


def test_a_page_title_holds_words_only(client):
    """A tab's title is text: markup inside the title block (a script once)
    showed as its source in the tab and the history, and was never run."""
    root = client.application.template_folder
    marked = []
    for folder, _, names in os.walk(root):
        for name in names:
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                for title in re.findall(r"{% block title %}(.*?){% endblock %}", handle.read(), re.S):
                    if "<" in title:
                        marked.append(os.path.relpath(os.path.join(folder, name), root))
    assert marked == []
