"""Posting a form that starts a job, and doing the job's work at once.

Tests about what a document says do the work here, as a worker would, with
the jobs' own runner; the queue and its consumer are tested for real in
tests/web/test_jobs.py."""
from fieldapp.jobs import kinds, runner
from fieldapp.jobs.queue import queue_of
from fieldapp.models import Job


def post_job(auth, url, data, **kwargs):
    """Post a job's form with a fresh request key, do the work, return the Job."""
    answer = auth.post(url, data={**data, "job_key": runner.new_key()}, **kwargs)
    assert answer.status_code == 303, answer.get_data(as_text=True)[:300]
    job_id = int(answer.headers["Location"].rsplit("/", 1)[1])
    run_queued(auth.client.application)
    return Job.get_by_id(job_id)


def run_queued(app):
    """Do the work of every queued job, as a worker would."""
    with app.app_context():
        for job in Job.select().where(Job.state == "queued").order_by(Job.id):
            runner.run(job.id, kinds.KINDS, app.config, queue_of(app).beats)


def job_done(auth, answer):
    """The job an answer leads to, its work done (as a worker would)."""
    assert answer.status_code == 303, answer.get_data(as_text=True)[:300]
    location = answer.headers["Location"]
    assert "/jobs/" in location, location
    run_queued(auth.client.application)
    return Job.get_by_id(int(location.rsplit("/", 1)[1]))
