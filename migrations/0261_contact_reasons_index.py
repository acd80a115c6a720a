"""Contacts by their list of reasons, then when they happened: the
dashboard's reasons of this school year are grouped in the index's own order,
read from the index alone, with no sort of every contact of the year
(EXPLAIN QUERY PLAN on SQLite; an index-only scan on PostgreSQL)."""
from peewee import *


def up(migrator, db):
    db.execute_sql('CREATE INDEX IF NOT EXISTS "contact_reasons_occurred_at" ON "contact" ("reasons", "occurred_at")')


def down(migrator, db):
    db.execute_sql('DROP INDEX IF EXISTS "contact_reasons_occurred_at"')
