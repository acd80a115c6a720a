"""Imports as jobs: the preview of an uploaded file, the applying of a
previewed one and the undoing of an applied one, each the importers' own
steps (fieldapp.imports) run by a worker, with progress in kilobytes of the
file read while it is checked. Each checks again that the user may still
manage imports."""
import io
import uuid

from fieldapp import imports, policy
from fieldapp.imports import history
from fieldapp.imports.undo import UndoRefused
from fieldapp.jobs.runner import JobFailed, keep
from fieldapp.messages import N_
from fieldapp.models import ImportFile, Job, JobFile
from fieldapp.progress import ReadingProgress, size_of
from fieldapp.rules import stored
from fieldapp.rules.settings import from_config

NOT_ALLOWED = N_("Your account may no longer manage imports.")
READING, COUNTING = N_("Reading and checking the file"), N_("Counting what applying it would change")
CHECKING, WRITING = N_("Checking the file again"), N_("Writing the changes")
UNDOING = N_("Putting back what the import changed")
STANDINGS = N_("Bringing the students' standings up to date")
SUPERSEDED = N_("This import was asked for again since, and that later request does the work: see the import's page.")
# One apply job and one undo job at a time per import, whoever asks and
# however often: their keys are made from the run's id and the round (how
# many apply or undo jobs of the run failed before). A failed job is tried
# again by its starter, or another administrator starts the next round as
# themselves: a job runs as the user who started it.
APPLY_KEYS = uuid.UUID("6f1c0b7e-3d2a-4a59-9a43-5b0f6c1e2d71")


def apply_key(run_id, round=0):
    """The job key of applying import run_id in round `round` (0, 1, ...:
    the same for every request of that round)."""
    return str(uuid.uuid5(APPLY_KEYS, f"import-apply-{int(run_id)}" + (f"-{round}" if round else "")))


def undo_key(run_id, round=0):
    """The job key of undoing import run_id in round `round` (see apply_key)."""
    return str(uuid.uuid5(APPLY_KEYS, f"import-undo-{int(run_id)}" + (f"-{round}" if round else "")))


def latest(key_of, run_id):
    """(round, job) of the last job started by key_of(run_id, round) for the
    run, or (-1, None) when none was started."""
    found, round = (-1, None), 0
    while (job := Job.get_or_none(Job.key == key_of(run_id, round))) is not None:
        found, round = (round, job), round + 1
    return found


def kilobytes(n):
    return -(-n // 1024)


def following(progress, step, then):
    """A wrapper for the stream an import reads: progress in KB read under
    `step`, then `then` (without a count) once the whole file is read."""
    def wrap(stream):
        def report(done, total, finished=False):
            progress(kilobytes(done), kilobytes(total), step)
            if finished:  # the last read counted first: the step ends at the file's size
                progress(0, 0, then)
        total = size_of(stream)
        progress(0, kilobytes(total), step)
        return ReadingProgress(stream, total, report)
    return wrap


def _may_import(job):
    if not policy.allowed(job.user, "imports.manage"):
        raise JobFailed(NOT_ALLOWED)


def superseded(job):
    """Was this apply or undo job followed by a later round for its import
    (another administrator asked again after it failed)? Then it is not run:
    one job at a time writes an import."""
    key_of = {"import_apply": apply_key, "import_undo": undo_key}.get(job.kind)
    return key_of is not None and latest(key_of, job.params.get("run_id", 0))[1].id != job.id


def _latest_round(job):
    if superseded(job):
        raise JobFailed(SUPERSEDED)


def import_preview(job, config, progress):
    """params: kind, filename, skip_bad_rows, date_order (fieldapp.imports.dates);
    the upload is the job's JobFile.
    Checks the file and counts what applying it would change, keeping the
    preview (or the refusal, with its reasons) in the import history and the
    file with a preview, and the result with them (runner.keep): a retry
    after they were kept gives the same preview. Result: run_id, outcome
    (fieldapp.models.ImportRun)."""
    _may_import(job)
    params = job.params
    kept = JobFile.get_or_none(JobFile.job == job.id)
    if kept is None:
        raise JobFailed(N_("The uploaded file is no longer kept; upload it again."))
    data = bytes(kept.data)
    source = following(progress, READING, COUNTING)(io.BytesIO(data))

    def recorded(run):  # in the transaction that keeps the import's history row
        if run.outcome == "previewed":  # kept for applying it, from any worker
            ImportFile.create(run=run, data=data)
        JobFile.delete().where(JobFile.job == job.id).execute()
        keep(job, {"run_id": run.id, "outcome": run.outcome})
    pending = imports.preview(params["kind"], source, params["filename"], from_config(config), user=job.user,
                              via="upload", skip_bad_rows=params["skip_bad_rows"],
                              limits=imports.limits_from_config(config), date_order=params.get("date_order", ""),
                              on_recorded=recorded)
    return {"run_id": pending.run.id, "outcome": pending.run.outcome}


def import_apply(job, config, progress):
    """params: run_id, confirmation (what the administrator typed). Applies a
    previewed import from its kept file. Result: run_id, outcome. An import
    applied already is left as it is (its result given again)."""
    _may_import(job)
    _latest_round(job)
    params = job.params
    run = history.get(params["run_id"])
    if run is None:
        raise JobFailed(N_("The import is no longer there."))
    if run.was_applied:
        return {"run_id": run.id, "outcome": run.outcome}
    if not run.is_preview:
        raise JobFailed(N_("This import is no longer waiting to be applied: it was cancelled."))
    try:
        run, _ = imports.apply_stored(run, from_config(config), job.user, params["confirmation"],
                                      limits=imports.limits_from_config(config),
                                      reading=following(progress, CHECKING, WRITING))
    except imports.ConfirmationNeeded:
        raise JobFailed(N_("The confirmation typed does not match; apply it again from its page."))
    except imports.NotWaiting:  # applied (or cancelled) by another request a moment ago
        run = history.get(run.id)
        if run.was_applied:
            return {"run_id": run.id, "outcome": run.outcome}
        raise JobFailed(N_("This import is no longer waiting to be applied: it was cancelled."))
    if run.was_applied:
        refresh_standings(config, progress)
    return {"run_id": run.id, "outcome": run.outcome}


def refresh_standings(config, progress):
    """Bring the stored standings the import made stale up to date before
    the job says it is done (fieldapp.rules.stored.ensure_fresh), with
    progress in students: the dashboards and lists count them at once,
    instead of saying they are not counted yet until a list is opened or the
    hourly refresh runs. Returns how many were refreshed."""
    progress(0, 0, STANDINGS)
    return stored.ensure_fresh(from_config(config), progress=lambda done, total: progress(done, total, STANDINGS))


def import_undo(job, config, progress):
    """params: run_id. Undoes an applied import (fieldapp.imports.undo, one
    transaction: all of it or nothing). Result: run_id, outcome "undone". An
    import undone already is left as it is: a task delivered twice, or a
    retry after the undo was kept but before its job was marked done, undoes
    it once."""
    _may_import(job)
    _latest_round(job)
    run = history.get(job.params["run_id"])
    if run is None:
        raise JobFailed(N_("The import is no longer there."))
    if run.undone_at is None:
        if not run.was_applied:
            raise JobFailed(N_("Only an applied import can be undone."))
        progress(0, 0, UNDOING)
        try:
            imports.undo(run, job.user)
        except UndoRefused:  # undone a moment ago by another request
            pass
    refresh_standings(config, progress)
    return {"run_id": run.id, "outcome": "undone"}


KINDS = {"import_preview": import_preview, "import_apply": import_apply, "import_undo": import_undo}
TITLES = {"import_preview": N_("Import preview"), "import_apply": N_("Applying an import"),
          "import_undo": N_("Undoing an import")}
