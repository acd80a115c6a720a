"""Static files: served by the app itself (WhiteNoise) from pre-compressed
copies (gzip and Brotli, made once per version of the files), under names
that carry their content's hash (?v=...).

Only an address whose ?v= is the hash of the very file served is kept a year
(immutable). One without ?v= is served for the browser to check each time
(no-cache). One whose ?v= names another version is not found (404, not
stored): during a rolling deploy, an app server still on the earlier files
would otherwise answer a new page's address with its earlier file, and the
browser, or the service worker installing its shell, would keep that file
under the new address for a year. The service worker's install then fails
and is tried again later, keeping the shell it has.

Each encoding of a file (identity, gzip, br) has its own strong ETag (the
file's, with -gzip or -br added), and If-None-Match is checked against the
one the request would be served: a cache that kept the gzip copy is never
told that it also holds the Brotli or the plain one.

Pages (HTML) are not compressed here: that stays with the proxy, which can
leave out responses that carry secrets (BREACH).
"""
import hashlib
import os
import shutil
import stat
import tempfile
import time
from http import HTTPStatus
from urllib.parse import parse_qs

from werkzeug.security import safe_join
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor
from whitenoise.responders import NOT_MODIFIED_HEADERS, Response

YEAR = 365 * 24 * 3600
KEPT = f"public, max-age={YEAR}, immutable"  # the address names this very content
CHECKED = "no-cache"  # no version named: the browser asks each time (ETag)
KEEP_EARLIER = 24 * 3600  # seconds an earlier version's copy is kept once a new one is made
SUPERSEDED = ".superseded"  # in an earlier version's copy: when a newer one was first made


def _files(folder):
    for base, _, names in os.walk(folder):
        for name in sorted(names):
            path = os.path.join(base, name)
            yield os.path.relpath(path, folder), path


def digest_of(folder):
    """One hash of every file in folder (names and contents)."""
    digest = hashlib.sha256()
    for name, path in sorted(_files(folder)):
        digest.update(name.encode())
        with open(path, "rb") as handle:
            digest.update(handle.read())
    return digest.hexdigest()[:12]


def build(static, into):
    """A copy of the static folder with .gz and .br beside each file worth
    compressing, at into/static-<digest>/ (made once; kept while current).
    Returns its path."""
    target = os.path.join(into, f"static-{digest_of(static)}")
    if os.path.isdir(target):
        _drop_earlier(into, target)
        return target
    os.makedirs(into, exist_ok=True)
    work = tempfile.mkdtemp(prefix=".static-", dir=into)
    shutil.copytree(static, work, dirs_exist_ok=True)
    compressor = Compressor(quiet=True)
    for _, path in list(_files(work)):
        if compressor.should_compress(path):
            list(compressor.compress(path))
    try:
        os.rename(work, target)
    except OSError:  # another app server made it first
        shutil.rmtree(work, ignore_errors=True)
    _drop_earlier(into, target)
    return target


def _drop_earlier(into, target):
    """Remove the copies of earlier versions than target's, a while after."""
    # Earlier versions go once no app server can still be serving them: a
    # server started before this one (a rolling deploy, a worker restarted
    # beside a running web server) keeps reading its own copy until it stops.
    # A version is marked when first found superseded, and removed a day later.
    for old in os.listdir(into):
        path = os.path.join(into, old)
        if not old.startswith("static-") or path == target:
            continue
        marker = os.path.join(path, SUPERSEDED)
        try:
            since = os.stat(marker).st_mtime
        except OSError:
            try:
                with open(marker, "a"):
                    pass
            except OSError:  # another app server removed it meanwhile
                pass
            continue
        if time.time() - since > KEEP_EARLIER:
            shutil.rmtree(path, ignore_errors=True)


class Versions:
    """The content hash of each static file, recomputed when it changes."""

    def __init__(self, folder):
        self.folder, self._known = folder, {}

    def of(self, filename):
        """The version (10 hex digits) of filename, a path under the folder as a
        URL gives it; None when it names no regular file there (a name that
        climbs out of the folder, a directory, a device)."""
        path = safe_join(self.folder, filename)
        try:
            status = os.stat(path) if path else None
        except (OSError, ValueError):
            return None
        if status is None or not stat.S_ISREG(status.st_mode):
            return None
        stamp = status.st_mtime_ns
        known = self._known.get(filename)
        if known is None or known[0] != stamp:
            with open(path, "rb") as handle:
                known = self._known[filename] = (stamp, hashlib.sha256(handle.read()).hexdigest()[:10])
        return known[1]


def _tagged(headers, base):
    """headers (name, value) of one encoding's copy, its ETag made its own."""
    encoding = dict(headers).get("Content-Encoding")
    etag = f'{base[:-1]}-{encoding}"' if encoding else base
    return [(k, v) for k, v in headers if k != "ETag"] + [("ETag", etag)]


def _matches(if_none_match, etag):
    """Does an If-None-Match list name etag? (weakly compared, as RFC 9110 asks)"""
    tags = [tag.strip() for tag in if_none_match.split(",")]
    return "*" in tags or etag in (tag[2:] if tag.startswith("W/") else tag for tag in tags)


class PerEncoding:
    """A WhiteNoise static file whose identity, gzip and br copies each
    carry their own ETag, and whose 304 follows the copy asked for."""

    def __init__(self, static_file):
        self.file = static_file
        static_file.alternatives = [(accepts, path, _tagged(list(headers), static_file.etag))
                                    for accepts, path, headers in static_file.alternatives]

    def get_response(self, method, request_headers):
        if method not in ("GET", "HEAD"):
            return self.file.get_response(method, request_headers)
        _, headers = self.file.get_path_and_headers(request_headers)
        if self._unchanged(request_headers, dict(headers)["ETag"]):
            kept = [(k, v) for k, v in headers if k in NOT_MODIFIED_HEADERS]
            return Response(HTTPStatus.NOT_MODIFIED, kept, None)
        # Already checked here: WhiteNoise would compare with the identity copy's ETag.
        asked = {k: v for k, v in request_headers.items()
                 if k not in ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")}
        return self.file.get_response(method, asked)

    def _unchanged(self, request_headers, etag):
        if "HTTP_IF_NONE_MATCH" in request_headers:  # then If-Modified-Since is not read
            return _matches(request_headers["HTTP_IF_NONE_MATCH"], etag)
        since = request_headers.get("HTTP_IF_MODIFIED_SINCE")
        return since is not None and self.file.is_not_modified({"HTTP_IF_MODIFIED_SINCE": since})


class EncodedWhiteNoise(WhiteNoise):
    """WhiteNoise with an ETag per encoding (see PerEncoding)."""

    def get_static_file(self, path, url, stat_cache=None):
        return PerEncoding(super().get_static_file(path, url, stat_cache))


class CheckedVersions:
    """WSGI middleware in front of the static files' server (app): the
    Cache-Control of a /static/ answer follows whether its ?v= is the version
    of the file served (see the module's text); a wrong version is a 404 that
    is not stored. Every static answer says X-Content-Type-Options: nosniff."""

    def __init__(self, app, versions, prefix="/static/"):
        self.app, self.versions, self.prefix = app, versions, prefix

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if not path.startswith(self.prefix):
            return self.app(environ, start_response)
        name = path[len(self.prefix):]
        served = self.versions.of(name)
        asked = parse_qs(environ.get("QUERY_STRING", "")).get("v")
        if served is not None and asked and asked[-1] != served:
            start_response("404 Not Found", [
                ("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "no-store"),
                ("X-Content-Type-Options", "nosniff")])
            return [b"This version of the file is not served here.\n"]
        cache = KEPT if served is not None and asked else CHECKED

        def start(status, headers, exc_info=None):
            kept = [(k, v) for k, v in headers
                    if k.lower() not in ("cache-control", "x-content-type-options")]
            kept += [("Cache-Control", cache if status.startswith(("200", "304")) else "no-store"),
                     ("X-Content-Type-Options", "nosniff")]
            return start_response(status, kept, exc_info)
        return self.app(environ, start)


def init_app(app):
    """Serve /static/ through WhiteNoise from the compressed copy, and version
    every url_for('static', ...) by the file that copy serves."""
    root = build(app.static_folder, os.path.join(app.instance_path, "assets"))
    versions = Versions(root)
    # The copy at root is named by the digest of its files and never changes
    # under a running server: a page's links ask the disk for a file's version
    # once, not on every page (a stat and a path check: about 0.1 ms a link,
    # eight links on every page).
    linked = {}

    @app.url_defaults
    def _version(endpoint, values):
        if endpoint == "static" and "v" not in values:
            filename = values.get("filename", "")
            version = linked.get(filename)
            if version is None:
                version = versions.of(filename)
                if version:
                    linked[filename] = version
            if version:
                values["v"] = version

    served = EncodedWhiteNoise(app.wsgi_app, root=root, prefix="/static/", max_age=YEAR,
                        autorefresh=app.debug)
    app.wsgi_app = CheckedVersions(served, versions)
