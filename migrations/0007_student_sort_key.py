"""Students are listed by a sort key, so that accented names sort as read.

Names compared byte by byte put "Ávila" and "Ñúñez" after "Zúñiga". The key
(fieldapp.names.sort_key) is the surname and name without case or accents,
compared byte by byte ("C" on PostgreSQL, as SQLite does). It replaces the
(last_name, first_name, id) index of migration 0005 for the look-up's walk
in name order.
"""
from peewee import *

from fieldapp.names import sort_key

BATCH = 1000


def _is_postgres(db):
    return isinstance(db, PostgresqlDatabase)


def up(migrator, db):
    migrator.migrate(migrator.add_column('student', 'sort_key', CharField(default='')))
    if _is_postgres(db):
        db.execute_sql('ALTER TABLE "student" ALTER COLUMN "sort_key" TYPE VARCHAR(255) COLLATE "C"')
    rows = db.execute_sql('SELECT "id", "first_name", "last_name" FROM "student"').fetchall()
    with db.atomic():
        for start in range(0, len(rows), BATCH):
            keys = [(id_, sort_key(first, last)) for id_, first, last in rows[start:start + BATCH]]
            if _is_postgres(db):  # one statement a batch: a round trip per row is minutes at scale
                values = ", ".join(["(%s, %s)"] * len(keys))
                db.execute_sql(f'UPDATE "student" SET "sort_key" = v.k FROM (VALUES {values}) AS v(id, k) '
                               'WHERE "student"."id" = v.id', [x for pair in keys for x in pair])
            else:
                db.cursor().executemany('UPDATE "student" SET "sort_key" = ? WHERE "id" = ?',
                                        [(key, id_) for id_, key in keys])
    migrator.migrate(
        migrator.drop_index('student', 'student_last_name_first_name_id'),
        migrator.add_index('student', ('sort_key', 'id'), False),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index('student', 'student_sort_key_id'),
        migrator.add_index('student', ('last_name', 'first_name', 'id'), False),
        migrator.drop_column('student', 'sort_key'),
    )
