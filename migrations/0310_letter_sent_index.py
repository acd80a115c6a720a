"""Letters by the day they were sent, newest first: the district's list of
letters sent (and its export) counts and pages them from this index instead of
reading every letter and sorting them (a page of 19,000 letters sent on the
bench district took 0.6 s of SQL on SQLite; EXPLAIN QUERY PLAN showed a scan
and a temporary B-tree for the ORDER BY). A kind's letters read the second."""
from peewee import *


def up(migrator, db):
    db.execute_sql('CREATE INDEX IF NOT EXISTS "letter_sent_at_id" ON "letter" ("sent_at", "id") '
                   'WHERE "sent_at" IS NOT NULL')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "letter_kind_sent_at_id" ON "letter" ("kind", "sent_at", "id") '
                   'WHERE "sent_at" IS NOT NULL')


def down(migrator, db):
    db.execute_sql('DROP INDEX IF EXISTS "letter_kind_sent_at_id"')
    db.execute_sql('DROP INDEX IF EXISTS "letter_sent_at_id"')
