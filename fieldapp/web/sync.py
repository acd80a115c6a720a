"""Offline and sync: the app shell (service worker, manifest, offline page), the
outbox page, the batch sync API, and the supervisor's conflict and device views."""
import functools
import gzip
import hashlib
import json
import os

import brotli

from flask import (Blueprint, abort, Response, current_app, flash, jsonify, redirect, render_template,
                   request, url_for)
from flask_login import AnonymousUserMixin, current_user, login_required
from flask_wtf.csrf import generate_csrf

from fieldapp import policy
from fieldapp.cases.lifecycle import caseload, caseload_size
from fieldapp.models import SyncConflict, utcnow
from fieldapp.sync import batch, devices, offline_copy, review
from fieldapp.sync.entries import iso
from fieldapp.web import offline_copy as copy_token
from fieldapp.web.cases import PAGE as CASELOAD_PAGE
from fieldapp.web.helpers import log_list, require, user_today
from fieldapp.web.i18n import gettext, screen_language, translate
from fieldapp.web.transactions import one_transaction

bp = Blueprint("sync", __name__)

OFFLINE_CASES = 1000  # open cases kept on an officer's phone (student page and contact form)
STALE_HOURS = 24
SHELL_FILES = ("vendor/pico-classless-2.1.1.min.css", "css/app.css", "css/sync.css",
               "vendor/htmx-4.0.1.min.js",
               "js/outbox-store.js", "js/outbox.js", "js/contact-form.js", "js/ticks.js", "js/signature.js",
               "icons/icon-192.png", "icons/icon-512.png", "icons/icon-maskable-512.png")


def _user():
    return current_user._get_current_object()


# -- the app shell -----------------------------------------------------------

@functools.lru_cache(maxsize=4)
def _worker_source(stamp):
    """sw.js with its shell list and a version that changes whenever a shell file does."""
    static = current_app.static_folder
    digest = hashlib.sha256()
    for name in ("sw.js",) + SHELL_FILES:
        with open(os.path.join(static, name), "rb") as handle:
            digest.update(handle.read())
    shell = [url_for("static", filename=name) for name in SHELL_FILES]
    shell += [url_for("sync.manifest"), url_for("sync.offline"), url_for("sync.locked")]
    with open(os.path.join(static, "sw.js"), encoding="utf-8") as handle:
        source = handle.read()
    values = {"__VERSION__": digest.hexdigest()[:12], "__SHELL__": json.dumps(shell),
              "__OFFLINE__": url_for("sync.offline"), "__API__": url_for("sync.api_sync"),
              "__LOCKED__": url_for("sync.locked"), "__LOGOUT__": url_for("auth.logout"),
              "__SESSION__": url_for("sync.session_info"),
              "__STORE__": url_for("static", filename="js/outbox-store.js")}
    for placeholder, value in values.items():
        source = source.replace(placeholder, value)
    return source


@functools.lru_cache(maxsize=4)
def _worker_bodies(stamp):
    """{content coding: (body, ETag)} of sw.js: as is, gzip and Brotli, made
    once per version. It carries no secret, so compressing it risks no BREACH."""
    plain = _worker_source(stamp).encode()
    tag = hashlib.sha256(plain).hexdigest()[:16]
    return {"identity": (plain, tag), "gzip": (gzip.compress(plain, mtime=0), f"{tag}-gz"),
            "br": (brotli.compress(plain, mode=brotli.MODE_TEXT), f"{tag}-br")}


@bp.route("/sw.js")
def service_worker():
    """The service worker, compressed as the browser accepts; checked by the
    browser on every load (no-cache, with an ETag), never kept stale."""
    static = current_app.static_folder
    stamp = tuple(os.path.getmtime(os.path.join(static, n)) for n in ("sw.js",) + SHELL_FILES)
    bodies = _worker_bodies(stamp)
    coding = request.accept_encodings.best_match(["br", "gzip"]) or "identity"
    body, tag = bodies[coding]
    response = Response(body, mimetype="text/javascript")
    if coding != "identity":
        response.headers["Content-Encoding"] = coding
    response.vary.add("Accept-Encoding")
    response.set_etag(tag)
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    return response.make_conditional(request)


@bp.route("/manifest.webmanifest")
def manifest():
    icon = functools.partial(url_for, "static")
    body = {
        "id": "/", "name": "fieldapp — attendance casework", "short_name": "fieldapp",
        "description": "Casework for school attendance officers, on the phone and offline.",
        "start_url": url_for("main.home"), "scope": "/", "display": "standalone",
        "orientation": "portrait", "background_color": "#ffffff", "theme_color": "#0b3d91",
        "icons": [
            {"src": icon(filename="icons/icon-192.png"), "sizes": "192x192", "type": "image/png",
             "purpose": "any"},
            {"src": icon(filename="icons/icon-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "any"},
            {"src": icon(filename="icons/icon-maskable-512.png"), "sizes": "512x512",
             "type": "image/png", "purpose": "maskable"},
        ],
    }
    response = Response(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/offline")
def offline():
    return render_template("sync/offline.html")


@bp.route("/locked")
def locked():
    """What a phone shows after logging out with no signal, until the server has ended the
    session; it is kept on the phone beforehand and shown as a logged-out page."""
    return render_template("sync/locked.html", user=AnonymousUserMixin())


@bp.route("/outbox")
@login_required
def outbox():
    require("sync.outbox")
    return render_template("sync/outbox.html")


# -- the API the phone talks to ------------------------------------------------

@bp.route("/api/sync/session")
@login_required
def session_info():
    """Who is logged in, and a CSRF token for the service worker's sends."""
    return jsonify(user_id=current_user.id, csrf_token=generate_csrf(),
                   may_sync=policy.allowed(current_user, "sync.send"), server_time=iso(utcnow()))


@bp.route("/api/sync/offline-pages")
@login_required
def offline_pages():
    """The pages to keep on this phone: every open case of the officer (student page and
    contact form), the caseload, Find and the outbox, each with its version; and the
    students kept, for Find to filter when offline. Past OFFLINE_CASES, the cases whose
    follow-ups come first. Answered 304 when the phone's copy of this list is current
    (If-None-Match), so a refresh when nothing changed costs a few hundred bytes."""
    pages = [url_for("sync.outbox")] if policy.allowed(current_user, "sync.outbox") else []
    students, limit, total = [], current_app.config.get("OFFLINE_CASES", OFFLINE_CASES), 0
    common = (screen_language(), user_today(current_user).isoformat(), _release(), str(current_user.id))
    versions = {url: offline_copy._digest(common) for url in pages}
    if policy.allowed(current_user, "caseload.view"):
        cases = caseload(_user(), limit=limit + 1)
        total = len(cases) if len(cases) <= limit else caseload_size(_user())
        cases = cases[:limit]
        by_student = offline_copy.student_versions([c.student_id for c in cases], common)
        for url in (url_for("students.search"), url_for("cases.caseload")):  # the caseload first
            pages.insert(0, url)
            versions[url] = offline_copy.list_version(by_student, common + (url,))
        for number in range(2, -(-len(cases) // CASELOAD_PAGE) + 1):  # every page of the caseload
            url = url_for("cases.caseload", page=number)
            pages.insert(number, url)
            versions[url] = offline_copy.list_version(by_student, common + (url,))
        for case in cases:
            for url in (url_for("students.show", student_id=case.student_id),
                        url_for("contacts.new", case_id=case.id)):
                pages.append(url)
                versions[url] = by_student[case.student_id]
            students.append(_kept_student(case))
    body = dict(pages=pages, versions=versions, home=url_for("main.home"),
                offline=url_for("sync.offline"), locked=url_for("sync.locked"), limit=limit,
                students=students, open_cases=total)
    return _conditional(body)


def _conditional(body):
    """A JSON answer with an ETag of its content; 304 when the phone already has it.

    The answer also carries a fresh token for this refresh (see web/offline_copy),
    left out of the ETag: a new token alone is no change to the list."""
    text = json.dumps(body, ensure_ascii=False, sort_keys=True)
    full = json.dumps({**body, "copy_token": copy_token.issue(current_user)}, ensure_ascii=False,
                      sort_keys=True)
    response = Response(full, mimetype="application/json")
    response.set_etag(hashlib.sha256(text.encode()).hexdigest()[:32])
    response.headers["Cache-Control"] = "private, no-cache"
    return response.make_conditional(request)


@functools.lru_cache(maxsize=1)
def _release():
    """A stamp of the templates and scripts this server runs: a new release changes
    every kept page's version."""
    digest = hashlib.sha256()
    for folder in (current_app.template_folder, current_app.static_folder):
        root = os.path.join(current_app.root_path, folder)
        for path, _, names in sorted(os.walk(root)):
            for name in sorted(names):
                digest.update(f"{path}/{name}:{os.path.getmtime(os.path.join(path, name))}".encode())
    return digest.hexdigest()[:12]


def _kept_student(case):
    """What Find shows of a kept student when offline: what the caseload card shows."""
    student = case.student
    return {"url": url_for("students.show", student_id=student.id),
            "name": f"{student.last_name}, {student.first_name}", "local_id": student.local_id,
            "grade": student.grade, "school": case.school.name}


@bp.route("/api/sync", methods=["POST"])
@login_required
@one_transaction  # with the session's check and the rate limit's count: a phone's chunk commits once
def api_sync():
    """Apply a batch of outbox entries; one result per entry, in order."""
    require("sync.send")
    body, unreadable = _json_body()
    if unreadable:
        # Refused whole ("whole": true): the phone splits the batch until the one entry
        # that cannot be read is left, and keeps it as needing attention with this reason.
        return jsonify(error=unreadable, whole=True), 400
    try:
        entries, device = batch.parse_batch(body)
    except batch.BatchRefused as refused:
        return jsonify(error=str(refused), **refused.extra), refused.status
    report, user = devices.parse_report(device), _user()
    keep_report = (lambda: devices.record_report(user, report, request.user_agent.string)) if report else None
    results = batch.apply_batch(user, entries, report[0] if report else "", also=keep_report)
    return jsonify(received_at=iso(utcnow()), results=[_in_language(r) for r in results],
                   counts=batch.count_by_status(results), limit=batch.MAX_ENTRIES)


def _json_body():
    """(the parsed body, None) or (None, why it cannot be read)."""
    if not request.is_json:
        return None, "Send the batch as JSON (Content-Type: application/json)."
    try:
        return json.loads(request.get_data(cache=False)), None
    except RecursionError:
        return None, "The batch is nested too deeply to read; no entry holds lists within lists."
    except ValueError:
        return None, "The batch is not valid JSON (Content-Type: application/json)."


def _in_language(result):
    """A result whose words for the officer are in their language: the phone shows them as they are."""
    if "errors" in result:
        result["errors"] = {field: translate(text) for field, text in result["errors"].items()}
    if "message" in result:
        result["message"] = translate(result["message"])
    return result


# -- supervisors -----------------------------------------------------------------

@bp.route("/supervisor/sync/conflicts")
@login_required
def conflicts():
    require("sync.conflicts")
    return _conflicts_page({}, None)


def _conflicts_page(errors, failed_id, status=200):
    conflicts = review.open_conflicts()
    seconds = review.second_versions(conflicts)
    rows = [(c, seconds[c.id]) for c in conflicts]
    log_list([conflict.contact.student_id for conflict, _ in rows])
    return render_template("sync/conflicts.html", rows=rows, errors=errors, failed_id=failed_id,
                           resolutions=review.RESOLUTIONS), status


@bp.route("/supervisor/sync/conflicts/<int:conflict_id>/resolve", methods=["POST"])
@login_required
def resolve(conflict_id):
    require("sync.conflicts")
    conflict = SyncConflict.get_or_none(SyncConflict.id == conflict_id)
    if conflict is None:
        abort(404)
    try:
        review.resolve(_user(), conflict, request.form)
    except review.ResolveError as error:
        if conflict.resolved_at is not None:  # a second click, or a colleague was quicker
            flash(gettext("This conflict was already resolved."), "info")
            return redirect(url_for("sync.conflicts"))
        return _conflicts_page(error.errors, conflict_id, 422)
    flash(gettext("Conflict resolved."), "success")
    return redirect(url_for("sync.conflicts"))


@bp.route("/supervisor/sync/devices")
@login_required
def waiting_devices():
    require("sync.devices")
    default = current_app.config.get("SYNC_STALE_HOURS", STALE_HOURS)
    hours, error = devices.parse_hours(request.args.get("hours"), default)
    return render_template("sync/devices.html", hours=hours, hours_error=error,
                           rows=devices.waiting_devices(hours), now=utcnow())
