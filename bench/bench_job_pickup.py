"""How long a job waits for a worker on the built-in queue (SQLite, the
README's first command: two worker threads in the server's process) when
nothing else is queued, and what the idle workers cost in CPU meanwhile.

    .venv/bin/python bench/bench_job_pickup.py [--samples 4] [--idle 30]

Each sample leaves the workers idle --idle seconds (their polling backs off
meanwhile), then queues a job that does nothing and times from queueing to a
worker taking it (the job's state "running"). Idle CPU is this process's CPU
time over the idle windows, as a share of one core. Runs on a temporary
SQLite database and queue of its own; touches no bench database.
"""
import argparse
import os
import tempfile
import time

from common import machine_load, make_app
from fieldapp.db import database, migrate
from fieldapp.jobs import kinds, runner
from fieldapp.jobs.queue import queue_of
from fieldapp.models import Job, User


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=4)
    parser.add_argument("--idle", type=float, default=30.0)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="fieldapp-pickup-")
    app = make_app("sqlite:///" + os.path.join(folder, "app.db"))
    app.config.update(JOBS_URL="sqlite:///" + os.path.join(folder, "jobs.db"))
    kinds.KINDS["nothing"] = lambda job, config, progress: {}
    with app.app_context(), database.connection_context():
        migrate()
        user = User.create(email="pickup@bench.test", name="Pick Up", role="officer", password_hash="x")
        queue = queue_of(app)
        consumer = queue.start_in_process(workers=2)
        waits, cpu, idle_wall = [], 0.0, 0.0
        try:
            for _ in range(args.samples):
                cpu0, wall0 = time.process_time(), time.monotonic()
                time.sleep(args.idle)
                cpu += time.process_time() - cpu0
                idle_wall += time.monotonic() - wall0
                job, _ = runner.start(user, "nothing", runner.new_key(), {}, queue.enqueue)
                queued = time.monotonic()
                while Job.get_by_id(job.id).state == "queued":
                    time.sleep(0.01)
                waits.append(time.monotonic() - queued)
        finally:
            consumer.stop(graceful=True)
    print(f"job pick-up after {args.idle:.0f} s idle, {args.samples} samples (s): "
          + ", ".join(f"{w:.2f}" for w in waits) + f"; worst {max(waits):.2f}")
    print(f"idle workers' CPU: {100 * cpu / idle_wall:.2f}% of one core "
          f"[{machine_load()}]")


if __name__ == "__main__":
    main()
