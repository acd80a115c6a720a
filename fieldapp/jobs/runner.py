"""Starting, running and retrying jobs.

A form that starts long work carries a key made when the form was shown
(`new_key`). Starting is idempotent on it: the same request sent twice -- a
double tap, a resent form, a reload -- finds the job it started, and no
second document is made. The worker runs a job by its id, reporting
progress (done of total, and the step it is on) into the job's row, so any
page, after any reload, shows how far it has gone.

A running job holds a lease: its worker writes a heartbeat into the job's
row every few seconds (and with each step of progress). A job whose
heartbeat is older than the lease (JOBS_LEASE_SECONDS) has lost its worker
-- a restart, a crash, a machine gone -- and is failed, so it can be tried
again; nothing is kept in any process's memory, so any app server or worker
tells a lapsed job the same way.
"""
import datetime
import json
import logging
import threading
import traceback
import uuid

from peewee import IntegrityError

from fieldapp.db import database
from fieldapp.messages import Message, N_
from fieldapp.models import Job, utcnow

log = logging.getLogger(__name__)
STOPPED = N_("The work stopped on an error. Try again; if it fails again, tell your administrator.")
LAPSED = N_("The work stopped when the server doing it was restarted or shut down, before it finished: "
            "what it had not finished was not kept. Try again.")


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


def retry(user, job, enqueue, lease_seconds):
    """Queue a failed job again (same request, same key), or one whose worker
    stopped (its lease lapsed: see reap). Raises JobError when the job has not
    failed or when user did not start it: it would run as its starter."""
    if job.user_id != user.id:
        raise JobError({"job": Message("Only the user who started this work can try it again.")})
    job = reap(job, lease_seconds)
    if job.state != "failed":
        raise JobError({"job": Message("Only a job that failed can be tried again.")})
    Job.update(state="queued", done=0, total=0, step="", reason="", finished_at=None, heartbeat_at=None) \
        .where((Job.id == job.id) & (Job.state == "failed")).execute()
    enqueue(job.id)
    return Job.get_by_id(job.id)


def _lapsed_before(lease_seconds, now=None):
    return (now or utcnow()) - datetime.timedelta(seconds=lease_seconds)


def _is_lapsed(cutoff):
    """Running jobs whose worker last beat before cutoff (or never, and took it before)."""
    return (Job.state == "running") & (
        (Job.heartbeat_at < cutoff) | (Job.heartbeat_at.is_null() & (Job.started_at < cutoff)))


def lapsed(job, lease_seconds, now=None):
    """Has this running job's worker stopped (no heartbeat for lease_seconds)?"""
    if job.state != "running":
        return False
    beat = job.heartbeat_at or job.started_at
    return beat is None or beat < _lapsed_before(lease_seconds, now)


def seen(job, lease_seconds, now=None):
    """The job as a page shows it: a running job whose worker stopped reads as
    failed with LAPSED (a GET writes nothing; reap keeps it so)."""
    if lapsed(job, lease_seconds, now):
        job = Job(**{**job.__data__, "state": "failed", "reason": LAPSED, "finished_at": job.heartbeat_at})
    return job


def reap(job, lease_seconds, now=None):
    """Keep a lapsed job (see lapsed) as failed with LAPSED; return the job as stored."""
    job = Job.get_by_id(job.id)  # as stored, not as a page showed it (seen)
    if lapsed(job, lease_seconds, now):
        Job.update(state="failed", reason=LAPSED, finished_at=utcnow()) \
            .where((Job.id == job.id) & _is_lapsed(_lapsed_before(lease_seconds, now))).execute()
    return Job.get_by_id(job.id)


def reap_all(lease_seconds, now=None):
    """Keep every lapsed job as failed (the workers do this each minute).
    Returns how many."""
    return Job.update(state="failed", reason=LAPSED, finished_at=utcnow()) \
        .where(_is_lapsed(_lapsed_before(lease_seconds, now))).execute()


class Progress:
    """What a job's work calls to say how far it has gone; each call is a heartbeat too."""

    def __init__(self, job_id):
        self.job_id = job_id

    def __call__(self, done, total, step=""):
        Job.update(done=done, total=total, step=str(step)[:255], heartbeat_at=utcnow()) \
            .where(Job.id == self.job_id).execute()


class Heartbeat:
    """A thread that writes the running job's heartbeat every `every` seconds
    while its work goes on (a step such as laying out a PDF reports nothing
    for a while). A beat that cannot be written (SQLite busy under a long
    write) is tried at the next one."""

    def __init__(self, job_id, attempt, every):
        self.job_id, self.attempt, self.every = job_id, attempt, every
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"job-{job_id}-heartbeat", daemon=True)

    def _beat(self):
        while not self.stopped.wait(self.every):
            try:
                with database.connection_context():
                    Job.update(heartbeat_at=utcnow()).where(
                        (Job.id == self.job_id) & (Job.state == "running") & (Job.attempts == self.attempt)).execute()
            except Exception:  # noqa: BLE001 -- the next beat tries again; the lease allows several misses
                log.warning("job %s: heartbeat not written:\n%s", self.job_id, traceback.format_exc())

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.thread.join()


def heartbeat_every(lease_seconds):
    """Seconds between a running job's heartbeats: several fit in a lease."""
    return max(0.2, lease_seconds / 6)


def run(job_id, kinds, config):
    """Do the work of a queued job (the worker calls this), with a heartbeat
    every heartbeat_every(JOBS_LEASE_SECONDS). A job done already is left
    alone, so a task delivered twice makes one document. Failures are kept
    with their reason; the traceback goes to the log."""
    with database.atomic():
        now = utcnow()
        taken = Job.update(state="running", started_at=now, heartbeat_at=now, attempts=Job.attempts + 1) \
            .where((Job.id == job_id) & (Job.state == "queued")).execute()
    if not taken:
        return None
    job = Job.get_by_id(job_id)
    with Heartbeat(job.id, job.attempts, heartbeat_every(config.get("JOBS_LEASE_SECONDS", 60))):
        try:
            result = kinds[job.kind](job, config, Progress(job.id))
        except JobFailed as failure:
            return _finish(job, "failed", reason=str(failure))
        except Exception as error:  # any fault of the work: the job says so and may be retried
            log.error("job %s (%s) failed:\n%s", job.id, job.kind, traceback.format_exc())
            return _finish(job, "failed", reason=STOPPED)
        return _finish(job, "done", result=result)


def _finish(job, state, reason="", result=None):
    """Keep how this attempt ended -- even over a lapse kept meanwhile (the
    worker was only slow), never over a later attempt's."""
    fields = {"state": state, "reason": reason, "finished_at": utcnow()}
    if result is not None:
        fields["result_json"] = json.dumps(result)
    if state == "done":  # all of it, whatever the work last said
        total = Job.get_by_id(job.id).total or 1
        fields.update(done=total, total=total, step="")
    Job.update(**fields).where((Job.id == job.id) & (Job.attempts == job.attempts)).execute()
    return Job.get_by_id(job.id)
