"""flask commands: init-db, seed-demo, create-user, demo, worker."""
import click
from flask import current_app
from flask.cli import with_appcontext
from werkzeug.serving import run_simple

from fieldapp.cli_params import SCHOOL
from fieldapp.db import database, migrate
from fieldapp.documents import fonts


def register(app):
    from fieldapp.documents_cli import COMMANDS as DOCUMENT_COMMANDS
    for command in (init_db, seed_demo, create_user, demo, worker, *DOCUMENT_COMMANDS):
        app.cli.add_command(command)
    from fieldapp.imports import cli as import_cli
    import_cli.register(app)
    from fieldapp.accounts_cli import COMMANDS as ACCOUNT_COMMANDS
    for command in ACCOUNT_COMMANDS:
        app.cli.add_command(command)
    from fieldapp.standing_cli import refresh_standing
    app.cli.add_command(refresh_standing)


def _print_logins():
    from fieldapp.demo.seed import logins
    click.echo("Demo logins (email / password / role):")
    for email, password, role in logins():
        click.echo(f"  {email:34} {password}  {role}")


@click.command("init-db")
def init_db():
    """Apply all migrations to the configured database."""
    with database.connection_context():
        applied = migrate()
    click.echo(f"Applied {len(applied)} migration(s)." if applied else "Database is up to date.")


@click.command("seed-demo")
@click.option("--students", default=2000, show_default=True, type=click.IntRange(1, 500_000))
@click.option("--seed", "seed_value", default=2026, show_default=True)
@with_appcontext
def seed_demo(students, seed_value):
    """Fill an empty database with a demo district and print the demo logins."""
    from fieldapp.demo.seed import seed
    from fieldapp.models import User
    from fieldapp.progress import Bars
    from fieldapp.rules.settings import from_config as rule_settings
    with database.connection_context():
        migrate()
        if User.select().exists():
            click.echo("The database already has data; keeping it.")
        else:
            with Bars() as bars:
                counts = seed(students, seed_value, progress=bars,
                              settings=rule_settings(current_app.config))
            click.echo("Seeded: " + ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in counts.items()))
    _print_logins()


@click.command("create-user")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(["officer", "front_office", "supervisor", "admin"]))
@click.option("--school", "schools", multiple=True, type=SCHOOL,
              help="School id, sourced id or code (repeatable).")
@click.option("--name", default="")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_user(email, role, schools, name, password):
    """Create a user; refuses weak passwords."""
    from fieldapp.accounts.users import UserError, create_user as make_user
    with database.connection_context():
        try:
            user = make_user(email, password, role, name, schools)
        except UserError as error:
            raise click.ClickException(str(error))
    click.echo(f"Created {user.email} ({role}).")


def warn_missing_fonts():
    """Say which scripts documents would print as empty boxes, and what to install."""
    missing = fonts.missing_scripts()
    if missing:
        click.echo("Documents will print " + ", ".join(missing) + " as empty boxes. Install the fonts "
                   "(as root): apt-get install -y " + " ".join(sorted(set(missing.values()))), err=True)


@click.command("demo")
@click.option("--students", default=2000, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@with_appcontext
def demo(students, host, port):
    """Migrate, seed a demo district if the database is empty, print the logins, serve."""
    click.get_current_context().invoke(seed_demo, students=students, seed_value=2026)
    warn_missing_fonts()
    # The embedded set-up: background jobs run in worker threads of this process.
    from fieldapp.jobs.queue import queue_of
    app = current_app._get_current_object()
    consumer = queue_of(app).start_in_process(workers=2)
    # the students' standings brought up to date for today (just seeded, or a day since the last start)
    queue_of(app).refresh_standing_soon()
    click.echo(f"Serving fieldapp on http://{host}:{port}/ with 2 job workers (Ctrl+C to stop)")
    try:
        # Flask refuses app.run() inside a CLI command, so serve with Werkzeug directly.
        run_simple(host, port, app, threaded=True)
    finally:
        consumer.stop(graceful=True)


@click.command("worker")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option("--processes", is_flag=True, help="Run each worker as a process rather than a thread.")
def worker(workers, processes):
    """Run background job workers (case reports, letter batches, the hourly
    standing refresh) until stopped; production runs these beside gunicorn."""
    from fieldapp.jobs.queue import queue_of
    queue = queue_of(current_app._get_current_object())
    click.echo(f"Job workers: {workers} {'processes' if processes else 'threads'} on "
               f"{current_app.config['JOBS_URL']}")
    consumer = queue.consumer(workers, "process" if processes else "thread")
    queue.refresh_standing_soon()  # what went stale while no worker ran, now rather than at the hour
    consumer.run()
