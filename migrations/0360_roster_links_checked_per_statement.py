"""On PostgreSQL, a search word or a guardian link is checked against the
students (and guardians) it names once per statement, not once per row.

A foreign key runs a query per row written, and locks the row it names: a
district roster of 250,000 students writes 1.5 million search words and
400,000 guardian links, and those checks took more of the server's time
than writing the rows and their indexes (12.8 s of 21.6 s for the words).
The same rules are kept by statement-level triggers, which see every row a
statement wrote (a COPY page of 5,000) and look for one naming no stored
row with one query: a word or link naming none is refused as a foreign key
refuses it (SQLSTATE 23503), and deleting a student or a guardian deletes
their words and links as ON DELETE CASCADE did. (No row lock: students and
guardians are never deleted while an import runs; the app deactivates them.)

SQLite keeps its foreign keys: it checks one by looking up a b-tree it
holds in memory, a small share of writing the row.
"""
from peewee import *

# table -> (column, the table it names) for each foreign key replaced
KEYS = {"student_search_term": (("student_id", "student"),),
        "student_guardian": (("student_id", "student"), ("guardian_id", "guardian"))}


def _check(table, keys):
    """A trigger function refusing a statement's rows that name no stored row."""
    # One query per key, each an anti-join (with OR the planner hashes every row of both tables for
    # each statement); only nested loops: each row named is looked up in its table's key, whatever
    # the statement's size (a hash join would read every student for a student's few words).
    checks = "".join(f'''
            SELECT * INTO bad FROM written n WHERE NOT EXISTS (SELECT 1 FROM "{parent}" p WHERE p."id" = n."{column}")
             LIMIT 1;
            IF FOUND THEN
                RAISE EXCEPTION 'insert or update on table "{table}": {column} names no row of "{parent}": %%', bad
                    USING ERRCODE = 'foreign_key_violation', TABLE = '{table}';
            END IF;''' for column, parent in keys)
    return f'''
        CREATE OR REPLACE FUNCTION {table}_names_stored_rows() RETURNS trigger
        SET enable_hashjoin = off SET enable_mergejoin = off AS $$
        DECLARE
            bad record;
        BEGIN{checks}
            RETURN NULL;
        END $$ LANGUAGE plpgsql'''


def _cascade(parent, children):
    deletes = " ".join(f'DELETE FROM "{child}" WHERE "{column}" IN (SELECT "id" FROM gone);'
                       for child, column in children)
    return f'''
        CREATE OR REPLACE FUNCTION {parent}_deleted_cascade() RETURNS trigger AS $$
        BEGIN
            {deletes}
            RETURN NULL;
        END $$ LANGUAGE plpgsql'''


def _children(parent):
    return [(child, column) for child, keys in KEYS.items() for column, named in keys if named == parent]


def _constraint(db, table, column):
    row = db.execute_sql(
        "SELECT c.conname FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid "
        "AND a.attnum = ANY (c.conkey) WHERE c.contype = 'f' AND c.conrelid = %s::regclass AND a.attname = %s",
        (f'"{table}"', column)).fetchone()
    return row[0] if row else None


def up(migrator, db):
    if not isinstance(db, PostgresqlDatabase):
        return
    with db.atomic():
        for table, keys in KEYS.items():
            for column, _ in keys:
                name = _constraint(db, table, column)
                if name:
                    db.execute_sql(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            db.execute_sql(_check(table, keys))
            for event in ("INSERT", "UPDATE"):
                db.execute_sql(f'CREATE TRIGGER "{table}_names_stored_rows_{event.lower()}" AFTER {event} '
                               f'ON "{table}" REFERENCING NEW TABLE AS written FOR EACH STATEMENT '
                               f'EXECUTE FUNCTION {table}_names_stored_rows()')
        for parent in ("student", "guardian"):
            db.execute_sql(_cascade(parent, _children(parent)))
            db.execute_sql(f'CREATE TRIGGER "{parent}_deleted_cascade" AFTER DELETE ON "{parent}" '
                           f'REFERENCING OLD TABLE AS gone FOR EACH STATEMENT '
                           f'EXECUTE FUNCTION {parent}_deleted_cascade()')


def down(migrator, db):
    if not isinstance(db, PostgresqlDatabase):
        return
    with db.atomic():
        for parent in ("student", "guardian"):
            db.execute_sql(f'DROP TRIGGER IF EXISTS "{parent}_deleted_cascade" ON "{parent}"')
            db.execute_sql(f'DROP FUNCTION IF EXISTS {parent}_deleted_cascade()')
        for table, keys in KEYS.items():
            for event in ("insert", "update"):
                db.execute_sql(f'DROP TRIGGER IF EXISTS "{table}_names_stored_rows_{event}" ON "{table}"')
            db.execute_sql(f'DROP FUNCTION IF EXISTS {table}_names_stored_rows()')
            for column, parent in keys:
                db.execute_sql(f'ALTER TABLE "{table}" ADD FOREIGN KEY ("{column}") REFERENCES "{parent}" ("id") '
                               f'ON DELETE CASCADE')
