"""Administrators: district imports with their history, and the rule set in force."""
import os
import re

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from fieldapp import contact_details, csrf, imports, timefmt
from fieldapp.cases.desk import installation_counts
from fieldapp.imports import history
from fieldapp.imports.undo import preview as undo_preview, preview_changed as undo_preview_changed
from fieldapp.imports.undo_calendars import calendars_assumed
from fieldapp.imports.dates import DATE_ORDERS
from fieldapp.imports.steps import confirmed
from fieldapp.jobs import runner
from fieldapp.jobs.import_kinds import apply_key, latest, undo_key
from fieldapp.jobs.queue import queue_of
from fieldapp.jobs.runner import JobError, new_key
from fieldapp.messages import Message, N_
from fieldapp.models import ImportRun, Job, School
from fieldapp.rules.calendar import load_book
from fieldapp.rules.ladder import WINDOWS
from fieldapp.rules.settings import from_config
from fieldapp.timefmt import school_year_of
from fieldapp.web.helpers import form_data, require, user_today
from fieldapp.web.i18n import gettext, translate
from fieldapp.web.jobs import start_job

bp = Blueprint("admin", __name__, url_prefix="/admin")
OUTCOMES = {"previewed": N_("Preview: waiting for confirmation"), "not_applied": N_("Preview only: not applied"),
            "applied": N_("Applied"), "applied_with_skips": N_("Applied, bad rows skipped"),
            "refused": N_("Refused: nothing changed")}
CONTROL = dict.fromkeys(range(32))  # NUL, line breaks and other control characters out of names


def _page(form=None, errors=None, status=200):
    return render_template("admin/imports.html", runs=history.recent(), kinds=_kinds(),
                           outcomes=OUTCOMES, form=form or {}, errors=errors or {},
                           date_orders=[(k, translate(v)) for k, v in DATE_ORDERS.items() if k],
                           max_mb=current_app.config["IMPORT_MAX_UPLOAD_MB"], job_key=new_key(),
                           working=_unfinished_imports(), workers_running=_workers() is None), status


def _kinds():
    """{kind: what its file holds, in the reader's language}."""
    return {kind: translate(text) for kind, text in imports.KINDS.items()}


def _unfinished_imports():
    """[(job, its file's name or None)]: import jobs still queued or running,
    or stopped on an error, newest first. An apply or an undo names the file
    of the import it works on, as the history does (None: that import is gone)."""
    lease, beats = current_app.config["JOBS_LEASE_SECONDS"], queue_of(current_app).beats
    jobs = [runner.seen(job, lease, beats) for job in
            Job.select().where(Job.kind.in_(("import_preview", "import_apply", "import_undo"))
                               & Job.state.in_(("queued", "running", "failed")))
            .order_by(Job.id.desc()).limit(10)]
    run_ids = {job.params.get("run_id") for job in jobs} - {None}
    files = dict(ImportRun.select(ImportRun.id, ImportRun.filename).where(ImportRun.id.in_(run_ids)).tuples()) \
        if run_ids else {}
    return [(job, job.params.get("filename") or files.get(job.params.get("run_id"))) for job in jobs]


@bp.route("/imports")
@login_required
def import_list():
    require("imports.manage")
    return _page()


def _upload_errors(kind, upload):
    errors = {}
    if kind not in imports.KINDS:
        errors["kind"] = N_("Choose what the file holds.")
    if upload is None or not upload.filename:
        errors["file"] = N_("Choose a file to import.")
    elif kind == "oneroster" and not upload.filename.lower().endswith(".zip"):
        errors["file"] = N_("Upload a OneRoster export as one .zip file (a folder can be imported "
                            "with flask import-oneroster).")
    return errors


@bp.route("/imports", methods=["POST"])
@csrf.exempt  # checked below: the upload limit for this page is set first (fieldapp.UPLOAD_LIMITS)
@login_required
def upload():
    csrf.protect()
    require("imports.manage")
    kind, upload_file = request.form.get("kind", ""), request.files.get("file")
    form = {"kind": kind, "skip_bad_rows": request.form.get("skip_bad_rows") == "1",
            "date_order": request.form.get("date_order", "")[:20]}
    errors = _upload_errors(kind, upload_file)
    if form["date_order"] not in DATE_ORDERS:
        errors["date_order"] = N_("Choose month first, day first, or leave it unsaid.")
    if errors:
        return _page(form, errors, 422)
    name = os.path.basename(upload_file.filename.replace("\\", "/")).translate(CONTROL)[:200] or "upload"
    # Checking a district's file takes a while: a job, whose page shows how far it has gone.
    try:
        return start_job("import_preview", request.form.get("job_key"),
                         {"kind": kind, "filename": name, "skip_bad_rows": form["skip_bad_rows"],
                          "date_order": form["date_order"]},
                         file_data=upload_file.stream.read())
    except JobError as error:
        return _page(form, error.errors, 422)


def _type_exactly(phrase):
    """What to type, as a message: its number written with the reader's digit
    groups ("deactivate 1.205" in Spanish, which confirmed accepts too)."""
    found = re.fullmatch(r"(\D*)(\d+)(\D*)", phrase)
    if found is None:
        return Message("Type %(phrase)s exactly to apply it.", phrase=phrase)
    return Message("Type %(before)s%(num)d%(after)s exactly to apply it.",
                   before=found[1], num=int(found[2]), after=found[3])


def _run_or_404(run_id):
    require("imports.manage")
    run = history.get(run_id)
    if run is None:
        abort(404)
    return run


def _run_page(run, errors=None, typed="", status=200):
    # What undoing would keep, said before it is done.
    undoable = run.was_applied and run.undone_at is None
    keeps = undo_preview(run) if undoable else []
    return render_template("admin/import_run.html", run=run, kinds=_kinds(), outcomes=OUTCOMES,
                           errors=errors or {}, typed=typed, applying=_job_of(apply_key, run)[1],
                           undoing=_job_of(undo_key, run)[1], undo_keeps=keeps,
                           undo_changed=undo_preview_changed(run) if undoable else [],
                           undo_assumed=calendars_assumed(run) if undoable else []), status


def _job_of(key_of, run, reap=False):
    """(round, job): the last job applying (key_of=apply_key) or undoing
    (undo_key) this import, as shown -- one whose worker stopped reads as
    failed, and is kept so when reap (a POST) -- or (-1, None)."""
    round, job = latest(key_of, run.id)
    if job is not None:
        lease, beats = current_app.config["JOBS_LEASE_SECONDS"], queue_of(current_app).beats
        job = runner.reap(job, lease, beats) if reap else runner.seen(job, lease, beats)
    return round, job


def _follow(run, job):
    """Where asking again for work under way leads: its starter to its page;
    another administrator to the import's page, which says who is at it."""
    if job.user_id == current_user.id:
        return redirect(url_for("jobs.show", job_id=job.id), 303)
    return redirect(url_for("admin.import_run", run_id=run.id), 303)


@bp.route("/imports/<int:run_id>")
@login_required
def import_run(run_id):
    return _run_page(_run_or_404(run_id))


def _undone_since(run):
    """Why Apply posted again (the browser's back button) on an import undone since changes nothing."""
    when = current_app.jinja_env.filters["local"](run.undone_at)  # as the page says when it was undone
    if run.undone_by_id:
        return Message("This import was applied, then undone %(when)s by %(name)s: it is not applied again. To "
                       "apply the file again, upload it again.", when=when, name=run.undone_by.name)
    return Message("This import was applied, then undone %(when)s: it is not applied again. To apply the file "
                   "again, upload it again.", when=when)


@bp.route("/imports/<int:run_id>/apply", methods=["POST"])
@login_required
def apply_import(run_id):
    run = _run_or_404(run_id)
    typed = request.form.get("confirmation", "")[:200]
    if run.undone_at is not None:  # a page from before the undo posted again: it is never applied twice
        return _run_page(run, {"apply": _undone_since(run)}, typed, 409)
    round, applying = _job_of(apply_key, run, reap=True)
    if applying is not None and applying.state != "failed":  # applied, or being applied: follow it
        return _follow(run, applying)
    if not run.is_preview:
        return _run_page(run, {"apply": N_("This import is not waiting to be applied.")}, typed, 409)
    if run.changes_nothing:  # a page from before, or a hand-made form
        return _run_page(run, {"apply": N_("Applying this import would change nothing; discard it instead.")},
                         typed, 409)
    if not confirmed(typed, run.confirm_phrase):
        return _run_page(run, {"confirmation": _type_exactly(run.confirm_phrase)}, typed, 422)
    try:  # the next round after a failed one, started by this administrator, as them
        return start_job("import_apply", apply_key(run.id, round + 1), {"run_id": run.id, "confirmation": typed})
    except JobError:  # another administrator started it a moment ago
        return _follow(run, _job_of(apply_key, run)[1])


@bp.route("/imports/<int:run_id>/cancel", methods=["POST"])
@login_required
def cancel_import(run_id):
    run = _run_or_404(run_id)
    applying = _job_of(apply_key, run, reap=True)[1]
    if applying is not None and not applying.finished:
        return _run_page(run, {"apply": N_("This import is being applied; once applied it can be undone.")},
                         status=409)
    imports.cancel(run, current_user)
    return redirect(url_for("admin.import_run", run_id=run_id), 303)


@bp.route("/imports/<int:run_id>/undo", methods=["POST"])
@login_required
def undo_import(run_id):
    run = _run_or_404(run_id)
    round, undoing = _job_of(undo_key, run, reap=True)
    if undoing is not None and undoing.state != "failed":  # undone, or being undone: follow it
        return _follow(run, undoing)
    if not run.was_applied or run.undone_at is not None:
        return _run_page(run, {"undo": N_("Only an applied import that has not been undone can be undone.")},
                         status=409)
    if request.form.get("confirmed") != "yes":  # one tap opens the question; only its answer undoes
        return _run_page(run, {"undo": N_("Nothing was undone: confirm with “Yes, undo this import”.")}, status=422)
    # Undoing a district's import rewrites as many rows as it wrote: a job, whose page says how it went.
    try:
        return start_job("import_undo", undo_key(run.id, round + 1), {"run_id": run.id})
    except JobError:  # another administrator started it a moment ago
        return _follow(run, _job_of(undo_key, run)[1])


def _schools_page(errors=None, typed=None, status=200):
    """errors and typed: {school id: {field: ...}} for the school whose save was refused."""
    schools = list(School.select().order_by(School.active.desc(), School.name))
    return render_template("admin/schools.html", schools=schools, errors=errors or {}, typed=typed or {},
                           default_zone=timefmt.default_zone(), common=sorted(timefmt.LABELS),
                           zone_label=lambda name: translate(timefmt.zone_label(name))), status


@bp.route("/schools")
@login_required
def schools():
    require("schools.manage")
    return _schools_page()


@bp.route("/schools/<int:school_id>", methods=["POST"])
@login_required
def school(school_id):
    """Save one school's time zone, address and phone (fieldapp.contact_details)."""
    require("schools.manage")
    school = School.get_or_none(School.id == school_id)
    if school is None:
        abort(404)
    data = form_data()
    try:
        contact_details.save_school_details(current_user, school, data)
    except contact_details.DetailsError as refused:
        return _schools_page({school.id: refused.errors}, {school.id: data}, 422)
    flash(gettext("%(school)s saved: times in %(zone)s.", school=school.name,
                  zone=translate(timefmt.zone_label(school.time_zone or None))), "success")
    return redirect(url_for("admin.schools"), 303)


@bp.route("/rules")
@login_required
def rules():
    require("rules.view")
    settings = from_config(current_app.config)
    today = user_today(current_user)
    book = load_book(school_year_of(today))
    return render_template("admin/rules.html", settings=settings, version=settings.version_on(today),
                           rule_set=settings.rule_set, calendar=book.for_school(None),
                           school_calendars=len(book.schools), today=today, windows=WINDOWS)


@bp.route("/")
@login_required
def home():
    require("admin.home")
    return render_template("admin/home.html", counts=installation_counts(), runs=history.recent(3),
                           outcomes=OUTCOMES, workers=_workers())


def _workers():
    """None while a background worker runs; else {"heard": when one last
    said it ran (UTC), or None}: the administrator's page says so."""
    jobs = queue_of(current_app)
    try:
        return None if jobs.workers_running() else {"heard": jobs.workers_heard()}
    except Exception:  # noqa: BLE001 -- the queue's store out of reach: no worker takes a job either
        return {"heard": None}
