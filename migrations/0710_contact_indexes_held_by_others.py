"""Drop three indexes of the contact table that another index already holds
as its first column, so every contact stored writes three index entries fewer.

- "contact_case_id" (case_id): "contact_case_id_occurred_at" (case_id,
  occurred_at) finds a case's contacts as well, in the order its timeline
  wants them.
- "contact_author_id" (author_id): "contact_author_id_received_at".
- "contact_amends_id" (amends_id): "contact_amends_once", the unique index of
  migration 0420, is on the same column alone.

A phone sends its outbox 50 entries to a request, spread over the officer's
cases: each request wrote a leaf page of "contact_case_id" for each case
(one batch of 1,000 sorted by case writes a few), so on SQLite 1,000 entries
sent 50 at a time wrote about a sixth more pages to the log and waited on
that many more checkpoints (bench/bench_sync.py on the bench district).
The queries that walked these indexes walk the wider ones (EXPLAIN QUERY
PLAN on SQLite, EXPLAIN on PostgreSQL; SQLite also checks a case's or a
contact's foreign keys through them)."""
from peewee import *

DROPPED = (("contact_case_id", "case_id"), ("contact_author_id", "author_id"),
           ("contact_amends_id", "amends_id"))


def up(migrator, db):
    for name, _ in DROPPED:
        db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')


def down(migrator, db):
    for name, column in DROPPED:
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{name}" ON "contact" ("{column}")')
