"""flask commands for paperwork: case-report, letters-due, verify-document."""
import getpass
import socket

import click
from flask import current_app
from flask.cli import with_appcontext

from fieldapp import policy
from fieldapp.cli_params import SCHOOL
from fieldapp.db import database

# Disclosures made from the command line are logged under this account, which
# cannot log in; the operating-system user and host are written beside it.
COMMAND_LINE_EMAIL = "command-line@fieldapp.invalid"


def _command_line_user():
    from fieldapp.models import User
    user, _ = User.get_or_create(email=COMMAND_LINE_EMAIL, defaults={
        "name": "Command line", "role": "admin", "password_hash": "!", "active": False})
    return user


def _acting_user(email, action, student):
    from fieldapp.models import User
    if not email:
        return _command_line_user()
    user = User.get_or_none((User.email == email.strip().lower()) & (User.active == True))  # noqa: E712
    if user is None:
        raise click.ClickException(f"No active user {email}.")
    if not policy.can(user, action, student):
        raise click.ClickException(f"{user.email} may not produce this document for this student.")
    return user


@click.command("case-report")
@click.argument("case_id", type=int)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True),
              help="Where to write the PDF.")
@click.option("--user", "email", default="", help="Produce it as this user (checks their scope).")
@click.option("--for", "recipient", default="", help="Who the report is for (printed and logged).")
@with_appcontext
def case_report(case_id, out, email, recipient):
    """Produce the case report PDF of CASE_ID (logged as a disclosure)."""
    from fieldapp.documents.case_report import produce_case_report
    from fieldapp.models import Case
    with database.connection_context():
        case = Case.get_or_none(Case.id == case_id)
        if case is None:
            raise click.ClickException(f"There is no case {case_id}.")
        user = _acting_user(email, "document.case_report", case.student)
        where = f"cli:{getpass.getuser()}@{socket.gethostname()}"
        record = produce_case_report(user, case, current_app.config["STATE"], recipient=recipient[:120],
                                     origin=(f"flask case-report {case_id} for {recipient}"[:255], where))
        with open(out, "wb") as handle:
            handle.write(bytes(record.pdf))
    click.echo(f"Wrote {out}: {record.page_count} pages, fingerprint {record.content_sha256}")


@click.command("letters-due")
@click.argument("school", type=SCHOOL)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True),
              help="Where to write the PDF of the letters.")
@click.option("--user", "email", default="", help="Make them as this user (checks their role and schools).")
@with_appcontext
def letters_due(school, out, email):
    """Make the letters due today at SCHOOL (id, sourced id or code) as one PDF, each
    logged on its case, as the Letters due page prints them (the first 100 by
    name), with a progress bar."""
    from fieldapp.documents.letters import LetterError
    from fieldapp.documents.letters_due import print_due_letters
    from fieldapp.documents.owed import reason
    from fieldapp.progress import Bars
    from fieldapp.rules.settings import from_config
    with database.connection_context():
        place = school
        user = _letter_writer(email, place)
        where = f"cli:{getpass.getuser()}@{socket.gethostname()}"
        left_out = []
        try:
            with Bars() as bars:
                record, made = print_due_letters(user, place, from_config(current_app.config),
                                                 origin=(f"flask letters-due {place.sourced_id}"[:255], where),
                                                 progress=bars, left_out=left_out)
        except LetterError as error:
            raise click.ClickException("; ".join(map(str, error.errors.values())))
        for left in left_out:  # made meanwhile by another (a page, another command): said, not made again
            click.echo(f"Not made: {reason(left)}")
        if record is None:
            click.echo(f"No letters were made at {place.name}." if left_out
                       else f"No letters are due at {place.name} today.")
            return
        with open(out, "wb") as handle:
            handle.write(bytes(record.pdf))
    click.echo(f"Wrote {out}: {len(made)} letters, {record.page_count} pages, fingerprint {record.content_sha256}")


def _letter_writer(email, school):
    from fieldapp.models import User
    if not email:
        return _command_line_user()
    user = User.get_or_none((User.email == email.strip().lower()) & (User.active == True))  # noqa: E712
    if user is None:
        raise click.ClickException(f"No active user {email}.")
    if not policy.allowed(user, "letter.generate") or not policy.in_scope(user, school.id):
        raise click.ClickException(f"{user.email} may not make letters for {school.name}.")
    return user


@click.command("verify-document")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def verify_document(path):
    """Check a PDF copy against the documents issued; exits 1 unless it matches."""
    from fieldapp.documents.issue import verify_copy
    with open(path, "rb") as handle:
        data = handle.read()
    from fieldapp.documents.reading import Unreadable
    with database.connection_context():
        try:
            result = verify_copy(data)
        except Unreadable as refused:
            raise click.ClickException(f"The file is past what can be checked ({refused.reason}).") from None
        record = result.record
        what = f"{record.title}, made by {record.generated_by.name} at {record.generated_at}Z" if record else ""
    messages = {
        "exact": f"Exact copy of the issued document: {what}",
        "same_text": f"Same text as the issued document (the file was saved again): {what}",
        "altered": f"ALTERED: carries the fingerprint of {what}, but its text differs",
        "unknown": "No issued document matches this file.",
    }
    click.echo(messages[result.status])
    if result.status not in ("exact", "same_text"):
        raise SystemExit(1)


COMMANDS = (case_report, letters_due, verify_document)
