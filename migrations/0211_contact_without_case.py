"""A contact may stand without a case: the front office logs a phone call
about a student who has no open case (fieldapp.cases.contacts.log_contact).

On SQLite, making a column nullable rebuilds the table, and the table's
triggers go with the old one: those that mark a stored standing stale when
a contact changes (migrations/0181_standing_triggers.py) are made again.
"""
from peewee import *


def _sqlite_triggers(db):
    for when, rows in (('INSERT', ('NEW',)), ('UPDATE', ('OLD', 'NEW')), ('DELETE', ('OLD',))):
        body = ' '.join(f'UPDATE student_standing SET stale = 1 WHERE student_id = {row}.student_id '
                        f'AND stale = 0;' for row in rows)
        db.execute_sql(f'DROP TRIGGER IF EXISTS "standing_stale_contact_{when.lower()}"')
        db.execute_sql(f'CREATE TRIGGER "standing_stale_contact_{when.lower()}" AFTER {when} '
                       f'ON "contact" BEGIN {body} END')


def up(migrator, db):
    migrator.migrate(migrator.drop_not_null('contact', 'case_id'))
    if not isinstance(db, PostgresqlDatabase):
        _sqlite_triggers(db)
