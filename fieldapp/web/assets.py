"""Static files: served by the app itself (WhiteNoise) from pre-compressed
copies (gzip and Brotli, made once per version of the files), under names
that carry their content's hash (?v=...), so browsers keep them a year.

Pages (HTML) are not compressed here: that stays with the proxy, which can
leave out responses that carry secrets (BREACH).
"""
import hashlib
import os
import shutil
import tempfile
import time

from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

YEAR = 365 * 24 * 3600
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
        path = os.path.join(self.folder, filename)
        try:
            stamp = os.stat(path).st_mtime_ns
        except OSError:
            return None
        known = self._known.get(filename)
        if known is None or known[0] != stamp:
            with open(path, "rb") as handle:
                known = self._known[filename] = (stamp, hashlib.sha256(handle.read()).hexdigest()[:10])
        return known[1]


def init_app(app):
    """Serve /static/ through WhiteNoise from the compressed copy, and version
    every url_for('static', ...)."""
    versions = Versions(app.static_folder)

    @app.url_defaults
    def _version(endpoint, values):
        if endpoint == "static" and "v" not in values:
            version = versions.of(values.get("filename", ""))
            if version:
                values["v"] = version

    root = build(app.static_folder, os.path.join(app.instance_path, "assets"))
    app.wsgi_app = WhiteNoise(app.wsgi_app, root=root, prefix="/static/", max_age=YEAR,
                              autorefresh=app.debug)
