"""Static files come from the app compressed ahead of time, under versioned
names that browsers may keep for a year; pages are left to the proxy."""
import gzip
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
