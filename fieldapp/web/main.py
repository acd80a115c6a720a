"""Home (by role) and the health check."""
from flask import Blueprint, current_app, jsonify, redirect, url_for
from flask_login import current_user, login_required

from fieldapp.db import database
from fieldapp.jobs.queue import queue_of
from fieldapp.models import utcnow

bp = Blueprint("main", __name__)

HOME_BY_ROLE = {
    "officer": "cases.caseload",
    "front_office": "office.home",
    "supervisor": "supervisor.home",
    "admin": "admin.home",
}


@bp.route("/")
@login_required
def home():
    return redirect(url_for(HOME_BY_ROLE[current_user.role]))


@bp.route("/healthz")
def healthz():
    """For a load balancer: 200 when the database answers, 503 when not. It
    also says whether a background worker runs (see workers_health); a
    server whose workers are stopped still serves pages, so it stays in
    the balancer ("degraded", 200) while its status says what is wrong."""
    try:
        database.execute_sql("SELECT 1").fetchone()
    except Exception as error:  # any driver failure means "not healthy"
        return jsonify(status="unavailable", database=type(error).__name__), 503
    workers = _workers()
    return jsonify(status="ok" if workers["workers"] == "running" else "degraded", database="ok", **workers)


@bp.route("/healthz/workers")
def workers_health():
    """For a monitor: 200 when a background worker said it runs within the
    jobs' lease, 503 when none did (letters, reports, imports and the
    standings' refresh wait meanwhile)."""
    workers = _workers()
    return jsonify(**workers), 200 if workers["workers"] == "running" else 503


def _workers():
    """{"workers": running | not running | unreachable, "workers_heard_seconds_ago": seconds or None}."""
    jobs = queue_of(current_app)
    try:
        heard = jobs.workers_heard()
    except Exception as error:  # noqa: BLE001 (redis, sqlite3: whatever the queue's storage raises)
        return {"workers": "unreachable", "workers_heard_seconds_ago": None, "queue": type(error).__name__}
    ago = None if heard is None else max(0, round((utcnow() - heard).total_seconds()))
    return {"workers": "running" if jobs.workers_running() else "not running", "workers_heard_seconds_ago": ago}
