"""flask commands: import-oneroster, import-contacts, import-attendance,
import-calendar, worklist."""
import datetime
import json
import os

import click
from flask import current_app
from flask.cli import with_appcontext

from fieldapp.cli_params import SCHOOL
from fieldapp.imports.count_words import count_name
from fieldapp.db import database

IMPORT_OPTION = click.option("--skip-bad-rows", is_flag=True,
                             help="Apply the good rows and report the bad ones "
                                  "(default: a file with any bad row changes nothing).")
DRY_RUN = click.option("--dry-run", is_flag=True,
                       help="Show what the import would change, with examples, and change nothing.")
YES = click.option("--yes", is_flag=True,
                   help="Apply without asking (even a roster that deactivates a whole school "
                        "or more than the set share of students).")
DATE_ORDER = click.option("--date-order", type=click.Choice(["month-first", "day-first"]), default=None,
                          help="How the file's slash dates read (9/8/2025); without it, a slash date "
                               "that reads both ways is a row problem.")
SHOWN_PROBLEMS = 50
COUNTING, WRITING = "Counting what applying it would change", "Writing the changes"


def register(app):
    for command in (import_oneroster, import_contacts, import_attendance, import_calendar, worklist):
        app.cli.add_command(command)


def rule_settings():
    from fieldapp.rules.settings import SettingsError, from_config
    try:
        return from_config(current_app.config)
    except SettingsError as error:
        raise click.ClickException(str(error))


def _print_report(run, report):
    verb = {"applied": "Applied", "applied_with_skips": "Applied, skipping bad rows",
            "refused": "Refused", "previewed": "Preview (nothing changed yet)",
            "not_applied": "Preview only, not applied"}[run.outcome]
    click.echo(f"{verb}: {run.filename} ({run.kind}), {run.rows_read:,} rows read "
               f"(import #{run.id}).")
    if report.message:
        click.echo(report.message)
    for name, count in report.counts.items():
        examples = report.examples.get(name)
        click.echo(f"  {count:>9,}  {count_name(name, count)}" + (f"  e.g. {'; '.join(examples)}" if examples else ""))
    for line in report.notes:
        click.echo(f"  Note: {line}")
    for file, line, reason in report.problems[:SHOWN_PROBLEMS]:
        click.echo(f"  {file} row {line}: {reason}")
    if report.problem_count > SHOWN_PROBLEMS:
        click.echo(f"  ... and {report.problem_count - SHOWN_PROBLEMS:,} more problems "
                   f"(all of the first 1,000 are in the import history).")


def _confirmation(report, yes):
    """What the administrator typed (or the phrase itself with --yes); '' to stop."""
    phrase = report.confirm_phrase
    if yes:
        return phrase or "yes"
    if phrase:
        what = ("ends more than the set share of the guardian links in force" if "links" in phrase
                else "deactivates a whole school or more than the set share of active students")
        click.echo(f"This roster {what}. Type '{phrase}' to apply it.")
        return click.prompt("Confirmation", default="", show_default=False)
    return "yes" if click.confirm("Apply this import?", default=False) else ""


def _preview_and_apply(kind, source, name, settings, options, bars):
    from fieldapp import imports
    limits = imports.limits_from_config(current_app.config)
    pending = imports.preview(kind, source, name, settings, skip_bad_rows=options["skip_bad_rows"],
                              limits=limits, date_order=options.get("date_order") or "")
    bars.close()
    _print_report(pending.run, pending.report)
    if pending.run.outcome != "previewed":
        raise SystemExit(1)
    if not pending.report.counts:  # nothing to apply: not asked
        imports.cancel(pending.run)
        click.echo("Applying it would change nothing; nothing was changed.")
        return
    typed = "" if options["dry_run"] else _confirmation(pending.report, options["yes"])
    if not typed:
        imports.cancel(pending.run)
        click.echo("Nothing was changed." if options["dry_run"] else "Not applied; nothing was changed.")
        return
    bars(0, 0, WRITING)
    try:
        run, report = imports.apply(pending, typed)
    except imports.ConfirmationNeeded as needed:
        imports.cancel(pending.run)
        raise click.ClickException(f"That is not '{needed.phrase}'; nothing was changed.")
    _print_report(run, report)
    if run.outcome == "refused":
        raise SystemExit(1)


def reading_with_bars(stream, name, bars):
    """The file's stream, drawing how many of its KB are read while it is checked."""
    from fieldapp.jobs.import_kinds import kilobytes
    from fieldapp.progress import ReadingProgress, size_of

    def report(done, total, finished=False):
        bars(kilobytes(done), kilobytes(total), f"Reading and checking {name} (KB)")
        if finished:  # the last read counted first, so the bar ends at the file's size
            bars(0, 0, COUNTING)
    return ReadingProgress(stream, size_of(stream), report)


def _import(kind, path, **options):
    from fieldapp.progress import Bars
    settings = rule_settings()
    name = os.path.basename(path.rstrip("/"))
    with database.connection_context(), Bars() as bars:
        if os.path.isdir(path):  # a OneRoster folder: its files are opened one by one, no count of bytes
            bars(0, 0, f"Reading and checking {name}")
            _preview_and_apply(kind, path, name, settings, options, bars)
        else:
            with open(path, "rb") as stream:
                _preview_and_apply(kind, reading_with_bars(stream, name, bars), name, settings, options, bars)


@click.command("import-oneroster")
@click.argument("path", type=click.Path(exists=True))
@IMPORT_OPTION
@DATE_ORDER
@DRY_RUN
@YES
@with_appcontext
def import_oneroster(path, **options):
    """Import OneRoster 1.1 CSV rosters from a folder or a .zip (previewed first)."""
    _import("oneroster", path, **options)


@click.command("import-contacts")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@IMPORT_OPTION
@DRY_RUN
@YES
@with_appcontext
def import_contacts(file, **options):
    """Import addresses, phones and languages of students and guardians (CSV; previewed first)."""
    _import("contacts", file, **options)


@click.command("import-attendance")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@IMPORT_OPTION
@DATE_ORDER
@DRY_RUN
@YES
@with_appcontext
def import_attendance(file, **options):
    """Import attendance (CSV modelled on Ed-Fi StudentSchoolAttendanceEvent; previewed first)."""
    _import("attendance", file, **options)


@click.command("import-calendar")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@IMPORT_OPTION
@DATE_ORDER
@DRY_RUN
@YES
@with_appcontext
def import_calendar(file, **options):
    """Import school calendars: first and last day, holidays, make-up days (CSV; previewed first)."""
    _import("calendar", file, **options)


def _line(item):
    r, s = item.result, item.step
    if s is None:  # nothing due: say why
        return (f"{item.student.sort_name} ({item.student.local_id}, {item.student.school.name}): "
                f"nothing due; " + "; ".join(r.why_nothing_due))
    days = item.days_left
    plural = "" if abs(days) == 1 else "s"
    when = f"{-days} school day{plural} overdue" if days < 0 else f"{days} school day{plural} left"
    return (f"{item.student.sort_name} ({item.student.local_id}, {item.student.school.name}): "
            f"{r.counts['year']} this year, {r.counts['month']} this month, "
            f"{r.percent_missed}% missed ({r.band}); {r.status_label}; next: {s.step.label} "
            f"({s.step.statute}) due {s.due_on:%Y-%m-%d}, {when}"
            + "".join(f"; crossed {n.triggered_on:%Y-%m-%d}: {n.step.label}" for n in item.new_steps)
            + (f"; on hold: {s.blocked}" if s.blocked else "")
            + (f"; missing: {'; '.join(s.missing)}" if s.missing else ""))


def _json_lines(settings, day, scope):
    """The worklist's JSON lines a batch at a time: today's straight from the
    stored rows, another day's from the computed WorkItems."""
    from fieldapp.rules import worklist as work, worklist_lines
    if not work.frame(settings, day, scope).computed:
        return worklist_lines.lines(settings, scope)
    return ([item.as_dict() for item in items] for _, _, items in work.stream(settings, day, scope))


@click.command("worklist")
@click.option("--school", type=SCHOOL, default=None, help="School id, sourced id or code (default: every school).")
@click.option("--on", "on_day", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The day to compute for (default: today, each school's own in its time zone).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@with_appcontext
def worklist(school, on_day, as_json):
    """Print the worklist: per student, counts, band, status, next step, due date, rule-set version."""
    from fieldapp.rules import worklist as work
    from fieldapp.timefmt import local_today, schools_by_today
    settings = rule_settings()
    day = on_day.date() if isinstance(on_day, datetime.datetime) else None
    with database.connection_context():
        scope = [school.id] if school else None
        if as_json:
            for lines in _json_lines(settings, day, scope):
                click.echo("\n".join(map(json.dumps, lines)))
            return
        days = [day] if day else sorted(schools_by_today(scope)) or [local_today()]
        click.echo(f"Worklist for {' / '.join(f'{d:%a %b %-d, %Y}' for d in days)}: "
                   f"{settings.version_on(days[-1]).label}")
        shown, heading = 0, None
        for section, total, items in work.stream(settings, day, scope):
            if section != heading:
                click.echo(f"\n{work.SECTIONS[section]} ({total})")
                heading = section
            click.echo("\n".join("  " + _line(item) for item in items))
            shown += len(items)
    if not shown:
        click.echo("Nothing due.")
