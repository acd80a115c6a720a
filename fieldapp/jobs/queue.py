"""The task queue: Huey, keeping its queue in SQLite for the embedded set-up
and in Redis in production, chosen by JOBS_URL (sqlite:///path or
redis://host:port/db). The app and the workers build it the same way from
the same settings, so a job queued by one is run by the other.

Four tasks: run a job (fieldapp.jobs.runner.run); each minute keep as failed
the running jobs whose worker stopped (fieldapp.jobs.runner.reap_all); each
hour refresh the stored standings that are not fresh (after midnight, the new
day's), remove the export files kept longer than EXPORT_KEEP_HOURS and the
forms sent longer ago than a repeat comes (fieldapp.web.once); and
refresh the stored standings at once when a page finds more of them not fresh
than it may refresh itself (refresh_standing_soon). One refresh runs at a
time: another that finds it running has nothing to add and ends.

The queue's store also keeps the running jobs' heartbeats (runner.Beats):
the app's database may be held by a job's own long write; and the workers'
own beat (WORKERS_BEAT): each consumer, busy or idle, says every few seconds
that it runs, so a page whose job nobody takes, the supervisor's figures
waiting for a refresh and /healthz can say that no worker is running instead
of waiting for one.
"""
import datetime
import logging
import os
import signal
import threading
import time

from huey import RedisHuey, SqliteHuey, crontab
from huey.consumer import Consumer
from huey.exceptions import TaskLockedException

from fieldapp.db import database
from fieldapp.models.base import utcnow

EXTENSION = "fieldapp.jobs"
log = logging.getLogger(__name__)
REFRESH_LOCK = "fieldapp.refresh_standing"
# A page asks for a refresh at most this often per process; each request that
# finds standings not fresh would otherwise queue one.
REFRESH_ASK_SECONDS = 30
WORKERS_BEAT = "fieldapp.workers-beat"  # in the queue's store: when a consumer last said it runs


def make_huey(url, name="fieldapp"):
    """A Huey for a JOBS_URL (its queue called name); nothing is opened until it is used."""
    if url.startswith(("redis://", "rediss://")):
        return RedisHuey(name, url=url)
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///"):]
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        return SqliteHuey(name, filename=path)
    raise ValueError("JOBS_URL must start with sqlite:/// or redis://")


def workers_beat_every(lease_seconds):
    """Seconds between a consumer's beats (WORKERS_BEAT): several fit in a lease."""
    return max(0.2, lease_seconds / 6)


class BeatingConsumer(Consumer):
    """Huey's consumer, which also says every `every` seconds while it runs --
    its workers busy or idle -- that it runs (WORKERS_BEAT, in the queue's
    own store). Stopping it stops the beat: a stopped worker service reads
    as stopped once a lease has passed."""

    def __init__(self, huey, every, **options):
        super().__init__(huey, **options)
        self.every, self.beating = every, threading.Event()

    def beat(self):
        try:
            self.huey.put(WORKERS_BEAT, utcnow())
        except Exception:  # noqa: BLE001 -- the queue's store out of reach: the next beat tries again
            log.warning("the workers' beat not written", exc_info=True)

    def _beat_until_stopped(self):
        while not self.beating.wait(self.every):
            self.beat()

    def start(self):
        super().start()
        self.beating.clear()
        self.beat()  # at once: a page asked right after the start knows a worker runs
        threading.Thread(target=self._beat_until_stopped, name="fieldapp-workers-beat", daemon=True).start()

    def stop(self, graceful=False):
        self.beating.set()  # a consumer going away takes no new job, even while its workers finish theirs
        super().stop(graceful)


class Queue:
    """The app's Huey and its tasks, built on first use."""

    def __init__(self, app):
        self.app, self._huey, self._run, self._refresh, self._beats = app, None, None, None, None
        self._refresh_asked, self._refresh_guard = None, threading.Lock()

    @property
    def huey(self):
        if self._huey is None:
            self._build()
        return self._huey

    @property
    def beats(self):
        """Where running jobs' workers beat, and pages and reapers look (runner.Beats)."""
        if self._beats is None:
            self._build()
        return self._beats

    def _build(self):
        from fieldapp.jobs import export_kinds, kinds, runner
        from fieldapp.rules import stored
        from fieldapp.rules.settings import from_config
        from fieldapp.web import once
        app = self.app
        huey = make_huey(app.config["JOBS_URL"], app.config.get("JOBS_QUEUE") or "fieldapp")
        beats = runner.Beats(huey)

        @huey.task(name="fieldapp.run_job")
        def run_job(job_id):
            with app.app_context(), database.connection_context():
                runner.run(job_id, kinds.KINDS, app.config, beats)

        @huey.periodic_task(crontab(minute="*"), name="fieldapp.reap_lapsed")
        def reap_lapsed():
            with app.app_context(), database.connection_context():
                # a job whose worker stopped (a restart) is kept as failed, to be tried again
                runner.reap_all(app.config["JOBS_LEASE_SECONDS"], beats)

        def refresh_stale():
            try:
                with huey.lock_task(REFRESH_LOCK), app.app_context(), database.connection_context():
                    # each school on its own today: the hour after midnight differs by zone
                    stored.ensure_fresh(from_config(app.config))
            except TaskLockedException:
                pass  # a refresh is running: it brings up to date what this one would

        @huey.periodic_task(crontab(minute="7"), name="fieldapp.refresh_standing")
        def refresh_standing():
            refresh_stale()
            with app.app_context(), database.connection_context():
                export_kinds.remove_expired(app.config["EXPORT_KEEP_HOURS"])
                once.forget_old()  # the only clean-up of sent forms: none runs per request

        @huey.task(name="fieldapp.refresh_standing_now")
        def refresh_standing_now():
            refresh_stale()

        self._huey, self._run, self._refresh, self._beats = huey, run_job, refresh_standing_now, beats

    def enqueue(self, job_id):
        """Hand a job to the workers."""
        if self._run is None:
            self._build()
        self._run(job_id)

    def refresh_standing_soon(self):
        """Queue a refresh of every stored standing that is not fresh, for a
        worker to start at once (at most once per REFRESH_ASK_SECONDS from
        this process). Returns whether one was queued. A queue out of reach
        (Redis down) is logged, not raised: the page that asked still says
        what it leaves out, and the hourly refresh comes when it is back."""
        with self._refresh_guard:
            now = time.monotonic()
            if self._refresh_asked is not None and now - self._refresh_asked < REFRESH_ASK_SECONDS:
                return False
            self._refresh_asked = now
        try:
            if self._refresh is None:
                self._build()
            self._refresh()
        except Exception:  # noqa: BLE001 (redis, sqlite3: whatever the queue's storage raises)
            log.warning("could not queue a refresh of the stored standings", exc_info=True)
            return False
        return True

    def workers_heard(self):
        """When a consumer last said it runs (UTC; see BeatingConsumer), or
        None if none ever did. Raises what the queue's store raises when it
        is out of reach."""
        return self.huey.get(WORKERS_BEAT, peek=True)

    def workers_running(self, now=None):
        """Has a consumer said it runs within the lease (JOBS_LEASE_SECONDS)?
        A queue's store out of reach counts as no: no worker takes a job from it."""
        try:
            heard = self.workers_heard()
        except Exception:  # noqa: BLE001 (redis, sqlite3: whatever the queue's storage raises)
            log.warning("the workers' beat not read", exc_info=True)
            return False
        lease = datetime.timedelta(seconds=self.app.config["JOBS_LEASE_SECONDS"])
        return heard is not None and heard >= (now or utcnow()) - lease

    def consumer(self, workers=2, worker_type="thread", periodic=True):
        """Huey's consumer. An idle worker of the SQLite queue polls it, backing
        off from 0.1 s to at most JOBS_POLL_SECONDS (Huey's own ceiling, 10 s,
        left a job "Waiting for a worker" up to 10 s on a quiet server); a
        Redis queue's workers block on it and take a job at once. A consumer
        starting clears the refresh's lock a killed worker left behind.
        periodic: whether it also runs the periodic tasks (the standings'
        hourly refresh at minute 7, the reaping of lapsed jobs each minute).
        It beats while it runs (BeatingConsumer)."""
        return BeatingConsumer(self.huey, workers_beat_every(self.app.config["JOBS_LEASE_SECONDS"]),
                               workers=workers, worker_type=worker_type, periodic=periodic,
                               max_delay=self.app.config["JOBS_POLL_SECONDS"],
                               # a refresh whose worker was killed leaves its lock behind
                               extra_locks=REFRESH_LOCK)

    def start_in_process(self, workers=2, periodic=True):
        """Start worker threads beside the web server (the embedded set-up);
        the server keeps its own Ctrl+C. Returns the consumer (stop() it).
        periodic: see consumer()."""
        consumer = self.consumer(workers, periodic=periodic)
        saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
        consumer.start()
        for sig, handler in saved.items():
            signal.signal(sig, handler)
        return consumer


def init_app(app):
    app.extensions[EXTENSION] = Queue(app)


def queue_of(app):
    return app.extensions[EXTENSION]
