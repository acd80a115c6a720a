"""On SQLite, a contact stored, changed or deleted marks its student's stored
standing stale again, as on PostgreSQL.

Migration 0511 added the contact's author role as a column that may not be
empty, and on SQLite the migrator makes such a column by rebuilding the
table: the contact's triggers that mark a standing stale (migrations 0181
and 0211) went with the old table. Since then only the UPDATE of its case
that a contact on a case brings marked the standing stale, and a call the
front office logs without a case, or a contact deleted, left a standing
that no longer said what the record says until the next day's refresh.
PostgreSQL keeps a table's triggers when a column is added.
"""
from peewee import PostgresqlDatabase

EVENTS = (('INSERT', ('NEW',)), ('UPDATE', ('OLD', 'NEW')), ('DELETE', ('OLD',)))


def up(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        return
    for when, rows in EVENTS:
        body = ' '.join(f'UPDATE student_standing SET stale = 1 WHERE student_id = {row}.student_id '
                        f'AND stale = 0;' for row in rows)
        db.execute_sql(f'CREATE TRIGGER IF NOT EXISTS "standing_stale_contact_{when.lower()}" AFTER {when} '
                       f'ON "contact" BEGIN {body} END')


def down(migrator, db):
    pass  # the triggers were there before migration 0511 took them: nothing to undo
