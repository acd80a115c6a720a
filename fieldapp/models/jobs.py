"""Background jobs: long work (case reports, letter batches, imports) done by
a worker while the page shows how far it has gone."""
import json

from peewee import BlobField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from fieldapp.models.base import BaseModel, utcnow
from fieldapp.models.people import User


class Job(BaseModel):
    """One piece of long work a user asked for, and how far it has gone.

    `key` is made by the form that asks for it, so the same request sent
    twice (a double tap, a resent form) finds this job instead of starting
    another one."""
    key = CharField(unique=True)
    kind = CharField()  # a key of fieldapp.jobs.kinds.KINDS
    user = ForeignKeyField(User, backref="+", index=True)
    params_json = TextField(default="{}")
    state = CharField(default="queued", index=True)  # queued | running | done | failed
    done = IntegerField(default=0)
    total = IntegerField(default=0)
    step = CharField(default="")  # what the worker is doing now, in English (translated on screen)
    reason = TextField(default="")  # why it failed
    result_json = TextField(default="{}")
    attempts = IntegerField(default=0)
    created_at = DateTimeField(default=utcnow, index=True)
    started_at = DateTimeField(null=True)
    finished_at = DateTimeField(null=True)
    # When the worker running it took it or last said how far it has gone; its
    # heartbeats between are in the jobs queue's store (fieldapp.jobs.runner.Beats).
    heartbeat_at = DateTimeField(null=True)
    # When it was last handed to the workers (made, or tried again); None on
    # rows from before migration 0860: created_at says it (see queued_since).
    queued_at = DateTimeField(null=True, default=utcnow)
    # The result of the work, kept in the transaction that kept what it made
    # (fieldapp.jobs.runner.keep): a retry finds it and does not make it again.
    kept_json = TextField(null=True)

    @property
    def params(self):
        return json.loads(self.params_json)

    @property
    def result(self):
        return json.loads(self.result_json)

    @property
    def kept(self):
        return None if self.kept_json is None else json.loads(self.kept_json)

    @property
    def queued_since(self):
        return self.queued_at or self.created_at

    @property
    def finished(self):
        return self.state in ("done", "failed")

    @property
    def percent(self):
        return int(100 * self.done / self.total) if self.total else 0


class JobFile(BaseModel):
    """The file a job works on (an uploaded import), kept in the database so
    a worker on any machine reads it; dropped when the job is done with it."""
    job = ForeignKeyField(Job, unique=True, backref="+", on_delete="CASCADE")
    data = BlobField()
