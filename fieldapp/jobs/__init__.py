"""Long work done in the background: a job records what was asked and how far
it has gone (fieldapp.models.Job); a task queue (Huey, fieldapp.jobs.queue)
hands it to a worker. No Flask in runner.py and kinds.py."""
