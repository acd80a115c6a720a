"""flask refresh-standing: compute and store every student's standing."""
import datetime

import click
from flask.cli import with_appcontext

from fieldapp.cli_params import SCHOOL
from fieldapp.db import database


@click.command("refresh-standing")
@click.option("--school", "schools", multiple=True, type=SCHOOL,
              help="School id, sourced id or code (repeatable; default: every school).")
@click.option("--on", "on_day", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The day to compute for (default: each school's today, in its own time zone).")
@click.option("--all", "everyone", is_flag=True, help="Recompute fresh rows too, not only missing or stale ones.")
@with_appcontext
def refresh_standing(schools, on_day, everyone):
    """Store the standing of every active student (or those of some schools) so
    pages and the worklist read it; the daily job does the same each morning."""
    from fieldapp.imports.cli import rule_settings
    from fieldapp.models import Student
    from fieldapp.rules import stored
    from fieldapp.timefmt import schools_by_today
    settings = rule_settings()
    school_ids = [school.id for school in schools] or None
    stored_count = 0
    with database.connection_context():
        if isinstance(on_day, datetime.datetime):
            groups = [(on_day.date(), school_ids)]
        else:  # each school on its own today
            groups = sorted(schools_by_today(school_ids).items())
        for day, group in groups:
            if everyone:
                query = Student.select(Student.id).where(Student.active == True)  # noqa: E712
                if group:
                    query = query.where(Student.school.in_(group))
                ids = [sid for (sid,) in query.tuples()]
            else:
                ids = stored.needing_refresh(settings, day, group)
            stored_count += _refresh(settings, day, ids)
    click.echo(f"Stored the standing of {stored_count:,} students.")


def _refresh(settings, day, ids):
    from fieldapp.rules import stored
    with click.progressbar(length=len(ids), label=f"Standing on {day:%Y-%m-%d}",
                           show_pos=True, show_eta=True) as bar:
        done = [0]

        def progress(count, total):
            bar.update(count - done[0])
            done[0] = count
        stored.refresh(settings, day, ids, progress)
    return len(ids)
