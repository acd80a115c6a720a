"""Exports of the desk's lists (the supervisor's district lists, the front
office's open cases of its school): CSV streamed in the request, XLSX
written by a background job and downloaded from the job's page.

An export is a POST (it writes each student it holds to their access log as
a disclosure); the list's filters ride in the query string, as on screen.
A finished spreadsheet is its requester's alone (fieldapp.policy) and is
kept EXPORT_KEEP_HOURS, or until they log out; downloading it changes
nothing, so it is a GET."""
from flask import Blueprint, Response, abort, current_app, render_template, request, session, stream_with_context
from flask_login import current_user, login_required

from fieldapp import policy
from fieldapp.db import database
from fieldapp.exports import datasets, writers, xlsx
from fieldapp.jobs import export_kinds
from fieldapp.models import Job, JobFile, utcnow
from fieldapp.rules.settings import from_config
from fieldapp.accounts import sessions
from fieldapp.web.auth import SESSION_KEY
from fieldapp.web.helpers import client_ip, refuse, require, user_today
from fieldapp.web.i18n import decimal, screen_language
from fieldapp.web.jobs import start_job

bp = Blueprint("exports", __name__)


@bp.route("/supervisor/export/<any(cases, contacts, letters, worklist, unassigned, students):name>",
          methods=["POST"])
@login_required
def export(name):
    """A district list to a file (the supervisors')."""
    return _export(name)


@bp.route("/office/export", methods=["POST"])
@login_required
def school_list():
    """The school's open cases to a file (its front office's; of their own school only)."""
    return _export("office")


def _export(name):
    """Export list name as filtered in the query string: CSV streamed now, or
    XLSX started as a job; 422 with the page's words when a filter names
    nothing (a file of other rows than the list shows: none)."""
    require(policy.export_action(name))
    fmt = request.form.get("format", "")
    settings, schools = from_config(current_app.config), policy.school_scope(current_user)
    errors = datasets.filter_errors(name, request.args, settings, schools)
    if errors:
        return render_template("supervisor/export_refused.html", errors=errors, name=name), 422
    kept_for = sessions.token_hash(session[SESSION_KEY]) if session.get(SESSION_KEY) else ""
    params = export_kinds.export_params(name, request.args.items(multi=True), request.full_path,
                                        client_ip(), user_today(current_user).isoformat(),
                                        session=kept_for, language=screen_language())
    if fmt == "xlsx":
        return start_job(export_kinds.KIND, export_kinds.export_key(current_user, params), params)
    if fmt != "csv":  # the buttons send csv or xlsx
        abort(400)
    dataset = datasets.by_name(name, request.args, settings, schools)
    user, path, ip = current_user._get_current_object(), request.full_path, client_ip()

    def record(ids):
        with database.atomic():
            datasets.record_disclosure(user, ids, path, ip)
    filename = dataset.file_name(params["day"], "csv")
    lines = datasets.disclosed_as_read(dataset, record)
    response = Response(stream_with_context(_recorded(user, params, filename, lines, dataset)),
                        mimetype=writers.CSV_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _recorded(user, params, filename, lines, dataset):
    """The CSV's chunks as they are written (nothing held whole), and once
    the last is sent, the export in the user's recent work with its rows
    counted; a file broken off on the way is not recorded."""
    started, written = utcnow(), [0]

    def counted():
        for line in lines:
            written[0] += 1
            yield line
    yield from writers.csv_chunks(dataset.header, counted(), dataset.sections, say_decimal=decimal)
    with database.atomic():
        export_kinds.record_csv(user, params, filename, written[0], started)


@bp.route("/jobs/<int:export_id>/spreadsheet")
@login_required
def download(export_id):
    """The finished spreadsheet of an export job: 403 unless the current user
    asked for it, 404 when there is none (or no longer: it expired)."""
    if not policy.may_export_any(current_user):
        refuse("export.district")
    job = Job.get_or_none((Job.id == export_id) & (Job.kind == export_kinds.KIND))
    if job is None:
        abort(404)
    if not policy.may_download_export(current_user, job):
        refuse("export.others" if job.user_id != current_user.id else policy.export_action(job.params.get("name")))
    keep = current_app.config["EXPORT_KEEP_HOURS"]
    if job.state != "done" or export_kinds.expires_at(job, keep) <= utcnow():
        export_kinds.remove_expired(keep)
        abort(404)
    kept = JobFile.get_or_none(JobFile.job == job.id)
    if kept is None:
        abort(404)
    response = Response(bytes(kept.data), mimetype=xlsx.XLSX_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{job.result["filename"]}"'
    response.headers["Cache-Control"] = "no-store"
    return response
