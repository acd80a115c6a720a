"""A job worker in a process of its own, for tests that stop one mid-job:
python -m tests.job_worker_process DATABASE_URL JOBS_URL QUEUE LEASE_SECONDS

Besides the app's kinds it knows "endless", which says it is gathering the
record (0 of 3) and then works for ever, as a case report cut off by a
restart would look."""
import sys
import time

from fieldapp import create_app
from fieldapp.jobs import kinds
from fieldapp.jobs.queue import queue_of


def endless(job, config, progress):
    progress(0, 3, "Gathering the record")
    while True:
        time.sleep(0.2)


def main(database_url, jobs_url, queue, lease):
    kinds.KINDS["endless"] = endless
    app = create_app({"DATABASE_URL": database_url, "JOBS_URL": jobs_url, "JOBS_QUEUE": queue,
                      "JOBS_LEASE_SECONDS": lease, "SECRET_KEY": "test-secret-key-that-is-long-enough-123"})
    queue_of(app).consumer(1).run()


if __name__ == "__main__":
    main(*sys.argv[1:5])
