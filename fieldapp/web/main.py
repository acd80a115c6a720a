"""Home (by role) and the health check."""
from flask import Blueprint, jsonify, redirect, url_for
from flask_login import current_user, login_required

from fieldapp.db import database

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
    """For a load balancer: 200 when the database answers, 503 when not."""
    try:
        database.execute_sql("SELECT 1").fetchone()
    except Exception as error:  # any driver failure means "not healthy"
        return jsonify(status="unavailable", database=type(error).__name__), 503
    return jsonify(status="ok", database="ok")
