"""Long work's page: how far a job has gone, its result, why it failed, retry."""
from flask import Blueprint, abort, current_app, flash, redirect, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from fieldapp import policy
from fieldapp.jobs import export_kinds, import_kinds, kinds, runner
from fieldapp.jobs.queue import queue_of
from fieldapp.models import Job, JobFile
from fieldapp.web.i18n import translate
from fieldapp.web.helpers import export_url, refuse, render_page_or_fragment, require, wants_fragment

bp = Blueprint("jobs", __name__)


def start_job(kind, key, params, file_data=None):
    """Start (or find, for the same request sent again) a job of the current
    user; returns the redirect to its page. file_data (bytes): the file the
    job works on, kept with a new job before a worker can take it. Raises
    runner.JobError."""
    enqueue = queue_of(current_app).enqueue

    def keep_then_enqueue(job_id):
        JobFile.create(job=job_id, data=file_data)
        enqueue(job_id)
    job, _ = runner.start(current_user, kind, key, params, enqueue if file_data is None else keep_then_enqueue)
    return redirect(url_for("jobs.show", job_id=job.id), 303)


def _job_for(job_id):
    """The job as its page shows it (a job whose worker stopped reads as
    failed), 404 if none, 403 unless the current user may follow it."""
    require("job.view")
    job = Job.get_or_none(Job.id == job_id)
    if job is None:
        abort(404)
    if not policy.may_follow_job(current_user, job):
        refuse(policy.job_refusal(job))
    return runner.seen(job, current_app.config["JOBS_LEASE_SECONDS"], queue_of(current_app).beats)


@bp.route("/jobs/<int:job_id>")
@login_required
def show(job_id):
    job = _job_for(job_id)
    response = render_page_or_fragment("jobs/show.html", "jobs/_job.html", job=job,
                                       title=kinds.TITLES.get(job.kind, job.kind), **_export_of(job),
                                       counting_students=job.step == import_kinds.STANDINGS)
    if not job.finished and not wants_fragment():
        response.headers["Refresh"] = "3"  # without JavaScript, the page looks again by itself
    response.headers["Cache-Control"] = "no-store"
    return response


def _export_of(job):
    """For an export's page: whether its file is still kept, and the address
    that makes it again of the same list with the same filters."""
    if job.kind != export_kinds.KIND:
        return {}
    name, args = export_kinds.list_of(job)
    return {"file_kept": export_kinds.file_kept(job, current_app.config["EXPORT_KEEP_HOURS"]),
            # A job of a list the app no longer makes has nothing to make again.
            "make_again": export_url(name, args) if name in export_kinds.NAMES else None}


@bp.route("/jobs/<int:job_id>/retry", methods=["POST"])
@login_required
def retry(job_id):
    job = _job_for(job_id)
    if import_kinds.superseded(job):
        flash(translate(import_kinds.SUPERSEDED), "error")
        return redirect(url_for("jobs.show", job_id=job.id), 303)
    try:
        jobs = queue_of(current_app)
        runner.retry(current_user, job, jobs.enqueue, current_app.config["JOBS_LEASE_SECONDS"], jobs.beats)
    except runner.JobError as error:
        flash(str(next(iter(error.errors.values()))), "error")
    else:
        flash(gettext("Trying again."), "info")
    return redirect(url_for("jobs.show", job_id=job.id), 303)
