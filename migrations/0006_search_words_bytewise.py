"""Search words compare byte by byte on PostgreSQL, whatever the database's locale.

The look-up finds the words beginning with "gar" as the range
["gar", "gas"), and "z" as ["z", "{"). That holds in code-point order, which
SQLite uses; under a language collation such as en_US or ICU, "{" and ":" sort
before letters and digits, so "z…" names and ids ending in 9 were never
found. The "C" collation keeps the range (and its index) exact.
"""
from peewee import *


def _is_postgres(db):
    return isinstance(db, PostgresqlDatabase)


def up(migrator, db):
    if _is_postgres(db):
        db.execute_sql('ALTER TABLE "student_search_term" ALTER COLUMN "term" '
                       'TYPE VARCHAR(255) COLLATE "C"')


def down(migrator, db):
    if _is_postgres(db):
        db.execute_sql('ALTER TABLE "student_search_term" ALTER COLUMN "term" '
                       'TYPE VARCHAR(255) COLLATE "default"')
