"""Import history: every import, applied or refused, with who ran it."""
import json

from peewee import JOIN

from fieldapp.models import ImportRun, User, utcnow


def record(report, user=None, source="cli", started_at=None):
    """Keep a Report as an ImportRun (outside the import's transaction, so a
    refused import is remembered too)."""
    return ImportRun.create(
        kind=report.kind, filename=report.filename[:255], user=user, source=source,
        started_at=started_at or utcnow(), finished_at=utcnow(), outcome=report.outcome,
        skip_bad_rows=report.skip_bad_rows, rows_read=report.rows_read,
        rows_rejected=report.rows_rejected, message=report.message,
        counts_json=report.counts_json(), problems_json=json.dumps(report.problems),
        problem_count=report.problem_count)


def recent(limit=100):
    """The latest imports, newest first, with who ran them."""
    return list(ImportRun.select(ImportRun, User).join(User, join_type=JOIN.LEFT_OUTER,
                                                       on=(ImportRun.user == User.id))
                .order_by(ImportRun.started_at.desc(), ImportRun.id.desc()).limit(limit))


def get(run_id):
    return (ImportRun.select(ImportRun, User)
            .join(User, join_type=JOIN.LEFT_OUTER, on=(ImportRun.user == User.id))
            .where(ImportRun.id == run_id).first())
