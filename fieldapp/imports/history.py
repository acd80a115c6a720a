"""Import history: every import, previewed, applied, refused or undone, with who ran it."""
import json

from peewee import JOIN

from fieldapp.messages import Message
from fieldapp.models import ImportFile, ImportRun, User, utcnow
from fieldapp.rules.stored import encode


def _fields(report):
    # A problem's reason and a refusal are kept with what translates them
    # (rules.stored.encode): each reader sees them in their own language.
    return dict(outcome=report.outcome, rows_read=report.rows_read, rows_rejected=report.rows_rejected,
                message=json.dumps(encode(report.message)) if isinstance(report.message, Message) else report.message,
                counts_json=report.counts_json(),
                problems_json=json.dumps(encode(report.problems)), problem_count=report.problem_count,
                confirm_phrase=report.confirm_phrase, examples_json=json.dumps(encode(report.examples)),
                notes_json=json.dumps(encode(report.notes)))


def record(report, user=None, source="cli", started_at=None):
    """Keep a Report as an ImportRun (outside the import's transaction, so a
    refused import is remembered too)."""
    return ImportRun.create(kind=report.kind, filename=report.filename[:255], user=user, source=source,
                            started_at=started_at or utcnow(), finished_at=utcnow(),
                            skip_bad_rows=report.skip_bad_rows, date_order=report.date_order,
                            **_fields(report))


def finish(run, report, user=None):
    """Write what applying a previewed run did onto its history row; the kept file is dropped."""
    fields = _fields(report)
    fields["finished_at"] = utcnow()
    if report.applied:
        fields["applied_at"] = fields["finished_at"]
        if user is not None and run.user_id is None:
            fields["user"] = user
    ImportRun.update(**fields).where(ImportRun.id == run.id).execute()
    ImportFile.delete().where(ImportFile.run == run.id).execute()
    return get(run.id)


def recent(limit=100):
    """The latest imports, newest first, with who ran them."""
    return list(ImportRun.select(ImportRun, User).join(User, join_type=JOIN.LEFT_OUTER,
                                                       on=(ImportRun.user == User.id))
                .order_by(ImportRun.started_at.desc(), ImportRun.id.desc()).limit(limit))


def get(run_id):
    return (ImportRun.select(ImportRun, User)
            .join(User, join_type=JOIN.LEFT_OUTER, on=(ImportRun.user == User.id))
            .where(ImportRun.id == run_id).first())
