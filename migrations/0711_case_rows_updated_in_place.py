"""More room on each page of the case table for its rows' next versions
(PostgreSQL's fillfactor, 70 since migration 0620, now 40), and three
indexes fewer on it, each the start of a wider one (both engines).

A phone's chunk of 50 entries moves up to 50 cases on (their count and last
contact, fieldapp.cases.contacts.add_to_cases). An update that finds no room
on its row's page writes the new version elsewhere and an entry in every
index of the table; one that finds room is heap-only and touches none. The
rows updated most move, update by update, onto the same few pages (a new
version goes where there is room, up to the fillfactor), and at 70 such a
page held 25 of the bench officer's cases with room for about 15 new
versions: 38% of a run of chunks' updates were heap-only on the
100,000-student bench district, 99.6% minutes later as the rows lay
otherwise (bench/README.md). A page filled to 40% has room for every row on
it to be written again before the page is pruned. Rows move to such pages as
they are next updated; the table is not rewritten. The table of a district
of 100,000 students is about 5 MB at 40.

Dropped, as a wider index starts with the same columns: "case_status"
(status), "case_officer_id" (officer_id) and "case_officer_id_status"
(officer_id, status), held by "case_status_school_id" and the others that
start with status, and by "case_officer_id_status_next_follow_up"."""
from peewee import PostgresqlDatabase

DROPPED = (("case_status", ("status",)), ("case_officer_id", ("officer_id",)),
           ("case_officer_id_status", ("officer_id", "status")))


def up(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql('ALTER TABLE "case" SET (fillfactor = 40)')
    for name, _ in DROPPED:
        db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')


def down(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql('ALTER TABLE "case" SET (fillfactor = 70)')
    for name, columns in DROPPED:
        listed = ", ".join(f'"{column}"' for column in columns)
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{name}" ON "case" ({listed})')
