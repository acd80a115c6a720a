"""What the app itself says in an audit line's detail is kept as a code and
its values (audit_event.detail_code, detail_values: JSON), said in the
reader's language (fieldapp.accounts.audit.DETAILS), as a case's history
notes are (migration 0510); audit_event.detail keeps only text from
outside (an e-mail typed at a refused log-in, how one logged in). The app
wrote "3 session(s) ended" and "1 other session(s) ended" in English when an
account was deactivated, its password reset, or its user changed their
password or ended their other sessions; a Spanish-speaking administrator
read them in English.

The lines already stored are turned into their codes where they read
exactly as the app wrote them.

Models here are frozen copies, independent of fieldapp.models."""
import json
import re

from peewee import CharField, TextField

SAID = ((re.compile(r"(\d+) session\(s\) ended\Z"), "sessions_ended"),
        (re.compile(r"(\d+) other session\(s\) ended\Z"), "other_sessions_ended"))


def said(detail):
    """(code, values) of a detail the app wrote, or None."""
    for pattern, code in SAID:
        found = pattern.match(detail or "")
        if found:
            return code, {"num": int(found.group(1))}
    return None


def up(migrator, db):
    migrator.migrate(migrator.add_column("audit_event", "detail_code", CharField(default="")),
                     migrator.add_column("audit_event", "detail_values", TextField(default="")))
    convert(db)


def convert(db):
    """Turn the stored English details into their codes (see said)."""
    p = db.param
    rows = db.execute_sql(f"SELECT id, detail FROM audit_event WHERE detail LIKE {p}", ("%session(s) ended",))
    for event_id, detail in rows.fetchall():
        found = said(detail)
        if found is not None:
            code, values = found
            db.execute_sql(f"UPDATE audit_event SET detail = '', detail_code = {p}, detail_values = {p} "
                           f"WHERE id = {p}", (code, json.dumps(values), event_id))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("audit_event", "detail_values"),
                     migrator.drop_column("audit_event", "detail_code"))
