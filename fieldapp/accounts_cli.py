"""flask commands for the user lifecycle: what an administrator does in the
browser, for the first admin and for scripts. Each is in the audit trail,
done by "the command line"."""
import click
from flask import current_app
from flask.cli import with_appcontext

from fieldapp import codes
from fieldapp.accounts import lifecycle
from fieldapp.accounts.login import throttle_from
from fieldapp.accounts.users import UserError
from fieldapp.cli_params import SCHOOL
from fieldapp.db import database

CLI = "command line"


def _run(action):
    with database.connection_context():
        try:
            return action()
        except UserError as error:
            raise click.ClickException(str(error))


def _refuse(errors):
    if errors:
        raise click.ClickException(" ".join(str(m) for m in errors.values()))


@click.command("add-user")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(list(codes.ROLES)))
@click.option("--school", "schools", multiple=True, type=SCHOOL,
              help="School id, sourced id or code (repeatable).")
@click.option("--name", default="")
def add_user(email, role, schools, name):
    """Add a user with a temporary password, to be changed at first log-in."""
    user, password = _run(lambda: lifecycle.add_user(None, email, name, role, schools, CLI))
    click.echo(f"Added {user.email} ({role}). Temporary password (changed at first log-in): {password}")


@click.command("set-role")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(list(codes.ROLES)))
@click.option("--school", "schools", multiple=True, type=SCHOOL,
              help="School id, sourced id or code (repeatable).")
def set_role(email, role, schools):
    """Change a user's role and schools."""
    _run(lambda: _refuse(lifecycle.change_role(None, lifecycle.find_user(email), role, schools, CLI)))
    click.echo(f"{email}: {role}.")


@click.command("deactivate-user")
@click.argument("email")
def deactivate_user(email):
    """Stop a user from logging in and end their sessions now; their records stay theirs."""
    _run(lambda: _refuse(lifecycle.deactivate(None, lifecycle.find_user(email), CLI)))
    click.echo(f"Deactivated {email}; their sessions have ended.")


@click.command("reactivate-user")
@click.argument("email")
def reactivate_user(email):
    """Let a deactivated user log in again."""
    _run(lambda: lifecycle.reactivate(None, lifecycle.find_user(email), CLI))
    click.echo(f"Reactivated {email}.")


@click.command("reset-password")
@click.argument("email")
def reset_password(email):
    """Give a user a temporary password (changed at next log-in); end their sessions."""
    password = _run(lambda: lifecycle.reset_password(None, lifecycle.find_user(email), CLI))
    click.echo(f"Temporary password for {email} (changed at next log-in): {password}")


@click.command("unlock-user")
@click.argument("email")
@with_appcontext
def unlock_user(email):
    """Let a user locked out by failed log-ins try again now."""
    from fieldapp.web.ratelimits import login_limiter
    throttle = throttle_from(current_app.config)
    _run(lambda: lifecycle.unlock(None, lifecycle.find_user(email), login_limiter(), throttle, CLI))
    click.echo(f"Unlocked {email}.")


COMMANDS = (add_user, set_role, deactivate_user, reactivate_user, reset_password, unlock_user)
