"""Search words and guardian links kept in the order of their keys, with no
index a wider one already holds.

A district roster writes hundreds of thousands of both. On SQLite each was
a rowid table beside an index of its composite key, plus an index of
student_id that the key (links) or the (student_id, term) index (words)
already starts with: four b-trees written per row. As WITHOUT ROWID tables
the key is the table, and with the redundant index gone two b-trees are
written per row. PostgreSQL keeps its heap tables and drops the redundant
index of student_id.
"""
from peewee import *

WORDS = ('CREATE TABLE "{name}" ("term" VARCHAR(255) NOT NULL, "student_id" INTEGER NOT NULL, '
         'PRIMARY KEY ("term", "student_id"), '
         'FOREIGN KEY ("student_id") REFERENCES "student" ("id") ON DELETE CASCADE){rowid}')
LINKS = ('CREATE TABLE "{name}" ("student_id" INTEGER NOT NULL, "guardian_id" INTEGER NOT NULL, '
         '"relationship" VARCHAR(255) NOT NULL, "is_primary" INTEGER NOT NULL, "ended_at" DATETIME, '
         'PRIMARY KEY ("student_id", "guardian_id"), '
         'FOREIGN KEY ("student_id") REFERENCES "student" ("id") ON DELETE CASCADE, '
         'FOREIGN KEY ("guardian_id") REFERENCES "guardian" ("id") ON DELETE CASCADE){rowid}')
COLUMNS = {"student_search_term": '"term", "student_id"',
           "student_guardian": '"student_id", "guardian_id", "relationship", "is_primary", "ended_at"'}
ORDER = {"student_search_term": '"term", "student_id"', "student_guardian": '"student_id", "guardian_id"'}


def _rebuild(db, table, create, rowid, indexes):
    """Copy `table` into a new one made by `create`, in key order, and put
    it in the old one's place with `indexes` ((name, columns))."""
    with db.atomic():
        db.execute_sql(create.format(name=f"{table}_new", rowid=rowid))
        db.execute_sql(f'INSERT INTO "{table}_new" ({COLUMNS[table]}) SELECT {COLUMNS[table]} '
                       f'FROM "{table}" ORDER BY {ORDER[table]}')
        db.execute_sql(f'DROP TABLE "{table}"')
        db.execute_sql(f'ALTER TABLE "{table}_new" RENAME TO "{table}"')
        for name, columns in indexes:
            db.execute_sql(f'CREATE INDEX "{name}" ON "{table}" ({columns})')


def up(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql('DROP INDEX IF EXISTS "studentsearchterm_student_id"')
        db.execute_sql('DROP INDEX IF EXISTS "studentguardian_student_id"')
        return
    _rebuild(db, "student_search_term", WORDS, " WITHOUT ROWID",
             [("student_search_term_student_id_term", '"student_id", "term"')])
    _rebuild(db, "student_guardian", LINKS, " WITHOUT ROWID",
             [("studentguardian_guardian_id", '"guardian_id"')])


def down(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql('CREATE INDEX "studentsearchterm_student_id" ON "student_search_term" ("student_id")')
        db.execute_sql('CREATE INDEX "studentguardian_student_id" ON "student_guardian" ("student_id")')
        return
    _rebuild(db, "student_search_term", WORDS, "",
             [("studentsearchterm_student_id", '"student_id"'),
              ("student_search_term_student_id_term", '"student_id", "term"')])
    _rebuild(db, "student_guardian", LINKS, "",
             [("studentguardian_student_id", '"student_id"'), ("studentguardian_guardian_id", '"guardian_id"')])
