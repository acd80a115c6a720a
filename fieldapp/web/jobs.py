"""Long work's page: how far a job has gone, its result, why it failed, retry."""
import datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from werkzeug.datastructures import MultiDict

from fieldapp import policy
from fieldapp.exports import datasets
from fieldapp.jobs import export_kinds, import_kinds, kinds, runner
from fieldapp.jobs.queue import queue_of
from fieldapp.messages import N_
from fieldapp.models import Case, DocumentRecord, ImportRun, Job, JobFile, School, utcnow
from fieldapp.rules.settings import from_config
from fieldapp.web import printed
from fieldapp.web.i18n import gettext, translate
from fieldapp.web.helpers import export_url, refuse, render_page_or_fragment, require

bp = Blueprint("jobs", __name__)
RECENT_DAYS = 30  # "Your recent work": the jobs started in this many days,
RECENT_AT_MOST = 50  # at most this many, newest first
JUST_FINISHED = datetime.timedelta(hours=12)  # a page that starts a job names one finished since


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
    response = render_page_or_fragment("jobs/show.html", "jobs/_job.html", job=job, waiting=_waiting(job),
                                       document_refused=_document_refused(job),
                                       title=kinds.TITLES.get(job.kind, job.kind), **_export_of(job),
                                       subject=subject_of(job),
                                       counting_students=job.step == import_kinds.STANDINGS,
                                       undone_since=_undone_since(job))
    response.headers["Cache-Control"] = "no-store"
    return response


def _undone_since(job):
    """The import a finished apply job applied, when it was undone since (its page says so beside
    "Applied."), else None."""
    if job.kind != "import_apply" or job.state != "done":
        return None
    run = ImportRun.get_or_none(ImportRun.id == (job.result or {}).get("run_id"))
    return run if run is not None and run.undone_at is not None else None


def _document_refused(job):
    """Why the current user may not open the document a finished job made
    (policy.document_refusal: its student moved to a school they do not
    cover, say), or None: the page says so instead of linking to a 403."""
    if job.state != "done" or not job.result.get("document_id"):
        return None
    record = DocumentRecord.get_or_none(DocumentRecord.id == job.result["document_id"])
    if record is None:
        return N_("The document is no longer there.")
    return policy.document_refusal(current_user, record)


def _waiting(job):
    """For a job no worker has taken: whether a worker runs (queue.workers_running)
    and whether it has waited longer than the lease (runner.waited_long:
    it may be tried again). None for a job a worker has taken."""
    if job.state != "queued":
        return None
    return {"workers": queue_of(current_app).workers_running(),
            "long": runner.waited_long(job, current_app.config["JOBS_LEASE_SECONDS"])}


def _export_of(job):
    """For an export's page: whether its file is still kept, and the address
    that makes it again of the same list with the same filters."""
    if job.kind not in (export_kinds.KIND, export_kinds.CSV_KIND):
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
    except runner.NotFailed as error:  # a second tap of "Try again": the first one is at it
        flash(gettext("Already being tried again.") if error.job.state != "done" else gettext("Already tried again."),
              "info")
    except runner.JobError as error:
        flash(str(next(iter(error.errors.values()))), "error")
    else:
        flash(gettext("Trying again."), "info")
    return redirect(url_for("jobs.show", job_id=job.id), 303)


def subject_of(job):
    """What a job was for, in words: its school, its case's student, its list
    and filters, its file. Empty when what it named is gone."""
    params = job.params
    if job.kind == "letters_due":
        school = School.get_or_none(School.id == params.get("school_id"))
        return gettext("Letters due at %(school)s", school=school.name) if school else ""
    if job.kind == "case_report":
        case = Case.get_or_none(Case.id == params.get("case_id"))
        # the case's number and school, not its student: this page and the
        # recent work's list name no student (nothing for the access log)
        return gettext("Case %(year)s-%(number)s at %(school)s", year=case.school_year, number=f"{case.id:05d}",
                       school=case.school.name) if case else ""
    if job.kind in (export_kinds.KIND, export_kinds.CSV_KIND):
        return _export_subject(job)
    if job.kind.startswith("import_"):
        if params.get("filename"):
            return params["filename"]
        run = ImportRun.get_or_none(ImportRun.id == params.get("run_id"))
        return run.filename if run else ""
    return ""


def _export_subject(job):
    """An export's list and the filters it was made with, as its list's page
    reads them (names of schools and officers, labels of codes, the sort)."""
    name, args = export_kinds.list_of(job)
    words = [translate(export_kinds.LIST_TITLES.get(name, name or ""))]
    if name in export_kinds.NAMES:
        filters, sort, steps = datasets.filters_in_force(name, MultiDict(
            [(key, value) for key, values in args.items() for value in values]),
            from_config(current_app.config), policy.school_scope(job.user))
        if name == "office":  # the user's own school, which the page names already
            filters.pop("schools", None)
        words += [f"{label}: {value}" for label, value in printed.filters_in_words(filters, sort, steps) if value]
    return " · ".join(word for word in words if word)


def latest_export(name, args):
    """The current user's latest export of list name made with the filters
    args (the list page's query string) shown now (see latest_job)."""
    wanted = export_kinds.filters_key(args.items(multi=True))
    return latest_job(export_kinds.KIND, where=lambda params: export_kinds.filters_key(params.get("args", []))
                      == wanted, name=name)


def latest_job(kind, where=None, **match):
    """The current user's newest job of kind whose params hold match (its
    school, case or list) and pass where(params) when given, still queued
    or running, or finished in the last JUST_FINISHED; None if none. For a
    page that starts such a job."""
    if not current_user.is_authenticated or not policy.allowed(current_user, "job.view"):
        return None
    since = utcnow() - JUST_FINISHED
    for job in (Job.select().where((Job.user == current_user.id) & (Job.kind == kind)
                                   & (Job.created_at >= utcnow() - datetime.timedelta(days=1)))
                .order_by(Job.id.desc()).limit(20)):
        if all(job.params.get(name) == value for name, value in match.items()) and (
                where is None or where(job.params)):
            if not job.finished or (job.finished_at or job.created_at) >= since:
                return job
            return None
    return None


@bp.route("/jobs")
@login_required
def recent():
    """Your recent work: the current user's own jobs (may_follow_job), newest
    first, each with what it was for, how far it went and a link to its page."""
    require("job.view")
    lease, beats = current_app.config["JOBS_LEASE_SECONDS"], queue_of(current_app).beats
    since = utcnow() - datetime.timedelta(days=RECENT_DAYS)
    jobs = [runner.seen(job, lease, beats) for job in
            Job.select().where((Job.user == current_user.id) & (Job.created_at >= since))
            .order_by(Job.id.desc()).limit(RECENT_AT_MOST)
            if policy.may_follow_job(current_user, job)]
    response = current_app.make_response(render_template(
        "jobs/recent.html", jobs=[(job, subject_of(job)) for job in jobs], titles=kinds.TITLES,
        days=RECENT_DAYS, at_most=RECENT_AT_MOST))
    response.headers["Cache-Control"] = "no-store"
    return response
