"""Starting, running and retrying jobs.

A form that starts long work carries a key made when the form was shown
(`new_key`). Starting is idempotent on it: the same request sent twice -- a
double tap, a resent form, a reload -- finds the job it started, and no
second document is made. The worker runs a job by its id, reporting
progress (done of total, and the step it is on) into the job's row, so any
page, after any reload, shows how far it has gone.

A running job holds a lease: its worker beats every few seconds (Beats), in
the task queue's own store -- the SQLite queue's file, or Redis -- and not
in the app's database, where the job's own long write (a big import's
apply, a long letter batch) holds SQLite's one writer, or on PostgreSQL the
job's row its progress wrote, for as long as it lasts. A job with no beat
and no progress for longer than the lease (JOBS_LEASE_SECONDS) has lost its
worker -- a restart, a crash, a machine gone -- and is failed, so it can be
tried again; nothing is kept in any process's memory, so any app server or
worker tells a lapsed job the same way.

What a job's work keeps (a document, a file, an import's preview) is kept
with the job's result, in one transaction, once per job (keep): an attempt
that finds it kept -- a retry after the worker stopped between keeping it
and saying so, a task delivered twice -- gives that result again and does
nothing twice.
"""
import datetime
import json
import logging
import threading
import traceback
import uuid

from peewee import IntegrityError, OperationalError

from fieldapp.db import database, is_postgres
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


class NotFailed(JobError):
    """A retry of a job that is not failed: queued, running or done already
    (a second tap of "Try again", say). `job` is the job as stored."""

    def __init__(self, job):
        super().__init__({"job": Message("Only a job that failed can be tried again.")})
        self.job = job


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
    params_json = json.dumps(params, sort_keys=True)
    existing = Job.get_or_none(Job.key == key)
    if existing is not None and _asked(existing.params) != _asked(params):
        # The key sent again with other parameters (another school, another
        # case): another request, which gets its own job -- found again by
        # the same key and parameters -- never the earlier request's.
        key = str(uuid.uuid5(uuid.UUID(key), json.dumps(_asked(params), sort_keys=True)))
        existing = Job.get_or_none(Job.key == key)
    if existing is None:
        try:
            with database.atomic():
                job = Job.create(key=key, kind=kind, user=user, params_json=params_json)
        except IntegrityError:  # the same form, sent twice at once: the other one won
            existing = Job.get(Job.key == key)
        else:
            enqueue(job.id)
            return job, True
    if existing.user_id != user.id or existing.kind != kind:
        raise JobError({"job_key": Message("This form is out of date; reload the page and try again.")})
    return existing, False


# Where a request came from, not what it asks: the same form resent from
# another address or past midnight is the same request.
WHENCE = ("origin", "path", "ip", "day")


def _asked(params):
    """What a job's parameters ask for, without where the request came from (WHENCE)."""
    return {name: value for name, value in params.items() if name not in WHENCE}


def retry(user, job, enqueue, lease_seconds, beats):
    """Queue a failed job again (same request, same key), or one whose worker
    stopped (its lease lapsed: see reap), or hand again to the workers one no
    worker took for longer than the lease (waited_long). Raises JobError when the job has not
    failed (NotFailed: already tried again, say) or when user did not start
    it: it would run as its starter."""
    if job.user_id != user.id:
        raise JobError({"job": Message("Only the user who started this work can try it again.")})
    job = reap(job, lease_seconds, beats)
    if waited_long(job, lease_seconds):
        # Handed to the workers again: a queue that lost it (emptied, moved)
        # gets it back; a worker that meanwhile took it leaves the copy alone (run).
        if not Job.update(queued_at=utcnow()).where(
                (Job.id == job.id) & (Job.state == "queued") & _queued_before(_lapsed_before(lease_seconds))).execute():
            raise NotFailed(Job.get_by_id(job.id))
        enqueue(job.id)
        return Job.get_by_id(job.id)
    if job.state != "failed":
        raise NotFailed(job)
    if not Job.update(state="queued", done=0, total=0, step="", reason="", finished_at=None, heartbeat_at=None,
                      queued_at=utcnow()) \
            .where((Job.id == job.id) & (Job.state == "failed")).execute():
        raise NotFailed(Job.get_by_id(job.id))  # the same retry sent at the same moment queued it
    enqueue(job.id)
    return Job.get_by_id(job.id)


def _queued_before(cutoff):
    return (Job.queued_at < cutoff) | (Job.queued_at.is_null() & (Job.created_at < cutoff))


def waited_long(job, lease_seconds, now=None):
    """Has this job waited for a worker longer than the lease? No worker
    took it: none runs, or all are busy, or the queue lost it. It may be
    handed to the workers again (retry)."""
    return job.state == "queued" and job.queued_since < _lapsed_before(lease_seconds, now)


def _lapsed_before(lease_seconds, now=None):
    return (now or utcnow()) - datetime.timedelta(seconds=lease_seconds)


def _is_lapsed(cutoff):
    """Running jobs whose row heard nothing since cutoff (no progress, no start);
    their beats are in the queue's store (Beats)."""
    return (Job.state == "running") & (
        (Job.heartbeat_at < cutoff) | (Job.heartbeat_at.is_null() & (Job.started_at < cutoff)))


def lapsed(job, lease_seconds, beats, now=None):
    """Has this running job's worker stopped: for lease_seconds, no progress
    in its row and no beat in the queue's store (beats, a Beats)?"""
    if job.state != "running":
        return False
    cutoff = _lapsed_before(lease_seconds, now)
    said = job.heartbeat_at or job.started_at
    if said is not None and said >= cutoff:
        return False
    beat = beats.last(job)
    return beat is None or beat < cutoff


def seen(job, lease_seconds, beats, now=None):
    """The job as a page shows it: a running job whose worker stopped reads as
    failed with LAPSED (a GET writes nothing; reap keeps it so)."""
    if lapsed(job, lease_seconds, beats, now):
        job = Job(**{**job.__data__, "state": "failed", "reason": LAPSED, "finished_at": job.heartbeat_at})
    return job


def reap(job, lease_seconds, beats, now=None):
    """Keep a lapsed job (see lapsed) as failed with LAPSED; return the job as stored."""
    job = Job.get_by_id(job.id)  # as stored, not as a page showed it (seen)
    if lapsed(job, lease_seconds, beats, now):
        Job.update(state="failed", reason=LAPSED, finished_at=utcnow()) \
            .where((Job.id == job.id) & (Job.attempts == job.attempts)
                   & _is_lapsed(_lapsed_before(lease_seconds, now))).execute()
    return Job.get_by_id(job.id)


def reap_all(lease_seconds, beats, now=None):
    """Keep every lapsed job as failed (the workers do this each minute).
    Returns how many. Nothing is written while every running job is heard
    of: a job's long write may be holding the database."""
    cutoff = _lapsed_before(lease_seconds, now)
    quiet = Job.select(Job.id, Job.state, Job.attempts, Job.started_at, Job.heartbeat_at).where(_is_lapsed(cutoff))
    stopped = [job.id for job in quiet if lapsed(job, lease_seconds, beats, now)]
    if not stopped:
        return 0
    return Job.update(state="failed", reason=LAPSED, finished_at=utcnow()) \
        .where(Job.id.in_(stopped) & _is_lapsed(cutoff)).execute()


class AlreadyKept(Exception):
    """An attempt of the job kept its work first (see keep)."""


def keep(job, result):
    """Inside the transaction that keeps what job's work made (a document, a
    file, an import's preview): keep the job's result with it, once per job.
    Raises AlreadyKept -- rolling that transaction back -- when an attempt
    kept it first (on PostgreSQL this waits for that attempt's transaction,
    then finds its result). Returns result."""
    if not Job.update(kept_json=json.dumps(result)).where((Job.id == job.id) & Job.kept_json.is_null()).execute():
        raise AlreadyKept(job.id)
    return result


def _held_by_another(error):
    """Did a write fail only because another connection holds SQLite's one
    writer past the busy timeout (another job's long write, say)? Not within
    a transaction of our own: that one holds the lock, or is broken."""
    return (isinstance(error, OperationalError) and not is_postgres() and not database.in_transaction()
            and "locked" in str(error))


def _written(write):
    """write() to a job's row, waiting out another job's long write however
    long it holds SQLite (each try waits the busy timeout): a job taken,
    or a job's end, must not be lost to it."""
    while True:
        try:
            return write()
        except OperationalError as error:
            if not _held_by_another(error):
                raise
            log.info("a job's row waits for the database, held by another write")


class Progress:
    """What a job's work calls to say how far it has gone; each call is a heartbeat too.
    A report that cannot be written while another job's long write holds
    SQLite is left out (the next one says it): the job is not stopped for it,
    and its beats (Beats) say it is at it."""

    def __init__(self, job_id):
        self.job_id = job_id

    def __call__(self, done, total, step=""):
        try:
            Job.update(done=done, total=total, step=str(step)[:255], heartbeat_at=utcnow()) \
                .where(Job.id == self.job_id).execute()
        except OperationalError as error:
            if not _held_by_another(error):
                raise
            log.info("job %s: progress not written, the database held by another write", self.job_id)


class Beats:
    """Where the workers of running jobs say they are still at it: the task
    queue's own store (Huey's, in the SQLite queue's file or in Redis), which
    no transaction of the app's database holds up. One entry per job, naming
    its attempt: an earlier attempt's beat is not taken for this one's."""

    def __init__(self, huey):
        self.huey = huey

    @staticmethod
    def _key(job_id):
        return f"fieldapp.job-beat.{job_id}"

    def beat(self, job_id, attempt):
        self.huey.put(self._key(job_id), (attempt, utcnow()))

    def last(self, job):
        """When the worker of job's attempt last beat (UTC), or None."""
        try:
            kept = self.huey.get(self._key(job.id), peek=True)
        except Exception:  # noqa: BLE001 -- the queue's store unreachable: the job's row alone tells
            log.warning("job %s: its beat not read:\n%s", job.id, traceback.format_exc())
            return None
        return kept[1] if kept and kept[0] == job.attempts else None

    def forget(self, job_id):
        self.huey.delete(self._key(job_id))


class Heartbeat:
    """A thread that beats for the running job every `every` seconds while
    its work goes on (a step such as laying out a PDF, or one long write,
    reports nothing for a while), into the queue's store (Beats): never into
    the app's database, whose one writer (SQLite) or the job's row
    (PostgreSQL) the job's own transaction may hold. A beat that cannot be
    written is tried at the next one."""

    def __init__(self, job_id, attempt, every, beats):
        self.job_id, self.attempt, self.every, self.beats = job_id, attempt, every, beats
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"job-{job_id}-heartbeat", daemon=True)

    def _beat(self):
        while True:
            try:
                self.beats.beat(self.job_id, self.attempt)
            except Exception:  # noqa: BLE001 -- the next beat tries again; the lease allows several misses
                log.warning("job %s: heartbeat not written:\n%s", self.job_id, traceback.format_exc())
            if self.stopped.wait(self.every):
                return

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.thread.join()
        try:
            self.beats.forget(self.job_id)
        except Exception:  # noqa: BLE001 -- a beat left behind names a finished attempt: it is never read
            log.warning("job %s: beat not removed:\n%s", self.job_id, traceback.format_exc())


def heartbeat_every(lease_seconds):
    """Seconds between a running job's heartbeats: several fit in a lease."""
    return max(0.2, lease_seconds / 6)


def run(job_id, kinds, config, beats):
    """Do the work of a queued job (the worker calls this), beating into
    beats (a Beats) every heartbeat_every(JOBS_LEASE_SECONDS). A job done
    already is left alone, so a task delivered twice makes one document; a
    job whose work an earlier attempt kept (see keep) is done with that
    attempt's result, its work not done again. Failures are kept with their
    reason; the traceback goes to the log."""
    def take():
        with database.atomic():
            now = utcnow()
            return Job.update(state="running", started_at=now, heartbeat_at=now, attempts=Job.attempts + 1) \
                .where((Job.id == job_id) & (Job.state == "queued")).execute()
    if not _written(take):
        return None
    job = Job.get_by_id(job_id)
    if job.kept is not None:
        return _finish(job, "done", result=job.kept)
    with Heartbeat(job.id, job.attempts, heartbeat_every(config.get("JOBS_LEASE_SECONDS", 60)), beats):
        try:
            result = kinds[job.kind](job, config, Progress(job.id))
        except AlreadyKept:  # another attempt of it kept the work first: its result stands
            return _finish(job, "done", result=Job.get_by_id(job.id).kept)
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
    _written(Job.update(**fields).where((Job.id == job.id) & (Job.attempts == job.attempts)).execute)
    return Job.get_by_id(job.id)
