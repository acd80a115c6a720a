"""Starting, running and retrying jobs.

A form that starts long work carries a key made when the form was shown
(`new_key`). Starting is idempotent on it: the same request sent twice -- a
double tap, a resent form, a reload -- finds the job it started, and no
second document is made. The worker runs a job by its id, reporting
progress (done of total, and the step it is on) into the job's row, so any
page, after any reload, shows how far it has gone.
"""
import json
import logging
import traceback
import uuid

from peewee import IntegrityError

from fieldapp.db import database
from fieldapp.messages import Message, N_
from fieldapp.models import Job, utcnow

log = logging.getLogger(__name__)
STOPPED = N_("The work stopped on an error. Try again; if it fails again, tell your administrator.")


class JobError(ValueError):
    """A job cannot be started or retried as asked; `errors` maps field -> message."""

    def __init__(self, errors):
        super().__init__("; ".join(map(str, errors.values())))
        self.errors = errors


class JobFailed(Exception):
    """Raised by a job's work with the reason a user reads (a Message or text)."""


def new_key():
    """A key for a form that starts a job (a UUID, as text)."""
    return str(uuid.uuid4())


def _parse_key(key):
    try:
        return str(uuid.UUID(str(key)))
    except (ValueError, TypeError, AttributeError):
        raise JobError({"job_key": Message("This form is out of date; reload the page and try again.")})


def start(user, kind, key, params, enqueue):
    """The job for this request: the one already started under `key`, or a new
    one handed to enqueue(job_id). Returns (job, started_now). Raises
    JobError when the key is not one a form makes, or belongs to another
    user's or another kind of request."""
    key = _parse_key(key)
    existing = Job.get_or_none(Job.key == key)
    if existing is None:
        try:
            with database.atomic():
                job = Job.create(key=key, kind=kind, user=user, params_json=json.dumps(params, sort_keys=True))
        except IntegrityError:  # the same form, sent twice at once: the other one won
            existing = Job.get(Job.key == key)
        else:
            enqueue(job.id)
            return job, True
    if existing.user_id != user.id or existing.kind != kind:
        raise JobError({"job_key": Message("This form is out of date; reload the page and try again.")})
    return existing, False


def retry(user, job, enqueue):
    """Queue a failed job again (same request, same key). Raises JobError
    when the job has not failed."""
    if job.state != "failed":
        raise JobError({"job": Message("Only a job that failed can be tried again.")})
    Job.update(state="queued", done=0, total=0, step="", reason="", finished_at=None) \
        .where((Job.id == job.id) & (Job.state == "failed")).execute()
    enqueue(job.id)
    return Job.get_by_id(job.id)


class Progress:
    """What a job's work calls to say how far it has gone."""

    def __init__(self, job_id):
        self.job_id = job_id

    def __call__(self, done, total, step=""):
        Job.update(done=done, total=total, step=str(step)[:255]).where(Job.id == self.job_id).execute()


def run(job_id, kinds, config):
    """Do the work of a queued job (the worker calls this). A job done already
    is left alone, so a task delivered twice makes one document. Failures are
    kept with their reason; the traceback goes to the log."""
    with database.atomic():
        taken = Job.update(state="running", started_at=utcnow(), attempts=Job.attempts + 1) \
            .where((Job.id == job_id) & (Job.state == "queued")).execute()
    if not taken:
        return None
    job = Job.get_by_id(job_id)
    try:
        result = kinds[job.kind](job, config, Progress(job.id))
    except JobFailed as failure:
        return _finish(job, "failed", reason=str(failure))
    except Exception as error:  # any fault of the work: the job says so and may be retried
        log.error("job %s (%s) failed:\n%s", job.id, job.kind, traceback.format_exc())
        return _finish(job, "failed", reason=STOPPED)
    return _finish(job, "done", result=result)


def _finish(job, state, reason="", result=None):
    fields = {"state": state, "reason": reason, "finished_at": utcnow()}
    if result is not None:
        fields["result_json"] = json.dumps(result)
    if state == "done":  # all of it, whatever the work last said
        total = Job.get_by_id(job.id).total or 1
        fields.update(done=total, total=total, step="")
    Job.update(**fields).where(Job.id == job.id).execute()
    return Job.get_by_id(job.id)
