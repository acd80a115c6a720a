"""Leave room on each page of the case table for its rows' next versions
(PostgreSQL's fillfactor; SQLite has no such setting and rewrites a row in
place).

A case row is updated for every contact stored on it (its count and last
contact, fieldapp.cases.contacts.add_to_cases): a phone's chunk of 50 entries
updates up to 50 cases. On full pages each new version went to another page
and took a new entry in every one of the table's 17 indexes; with room on its
page it is a heap-only update, which touches no index (the columns updated are
in none). Measured on a 5,000-student bench district (bench/bench_sync.py's
chunks, the table rewritten): 9% of those updates were heap-only before, 72%
after, and the database server's CPU for 1,000 entries sent 50 at a time fell
by about a quarter. Rows move to pages with room as they are next
updated; the table is not rewritten."""
from peewee import PostgresqlDatabase


def up(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql('ALTER TABLE "case" SET (fillfactor = 70)')


def down(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql('ALTER TABLE "case" RESET (fillfactor)')
