"""Look-up folds every Latin letter to what a US keyboard types, and finds a
name however the marks inside it are typed.

"Đặng" is now stored as "dang" (and sorts with the D's), and each name's
words are also stored run together, so "obrien" finds "O'Brien" and
"delacruz" finds "De La Cruz". Sort keys and search words of every student
are written anew.
"""
from peewee import *

from fieldapp.names import sort_key
from fieldapp.students.search import terms_of

BATCH = 1000


def _is_postgres(db):
    return isinstance(db, PostgresqlDatabase)


def _update_sort_keys(db, keys):
    if _is_postgres(db):  # one statement a batch: a round trip per row is minutes at scale
        values = ", ".join(["(%s, %s)"] * len(keys))
        db.execute_sql(f'UPDATE "student" SET "sort_key" = v.k FROM (VALUES {values}) AS v(id, k) '
                       'WHERE "student"."id" = v.id', [x for pair in keys for x in pair])
    else:
        db.cursor().executemany('UPDATE "student" SET "sort_key" = ? WHERE "id" = ?',
                                [(key, id_) for id_, key in keys])


def _insert_terms(db, terms):
    marker = "%s" if _is_postgres(db) else "?"
    values = ", ".join([f"({marker}, {marker})"] * len(terms))
    db.execute_sql(f'INSERT INTO "student_search_term" ("term", "student_id") VALUES {values}',
                   [x for pair in terms for x in pair])


def up(migrator, db):
    rows = db.execute_sql('SELECT "id", "first_name", "middle_name", "last_name", "sourced_id", '
                          '"local_id" FROM "student"').fetchall()
    with db.atomic():
        db.execute_sql('DELETE FROM "student_search_term"')
        for start in range(0, len(rows), BATCH):
            batch = rows[start:start + BATCH]
            _update_sort_keys(db, [(row[0], sort_key(row[1], row[3])) for row in batch])
            terms = [(term[:100], row[0]) for row in batch for term in terms_of(*row[1:])]
            for at in range(0, len(terms), BATCH):
                _insert_terms(db, terms[at:at + BATCH])


def down(migrator, db):
    pass  # the folded words find everything the old ones did
