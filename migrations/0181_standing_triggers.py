"""Mark a stored standing stale whenever a row it is computed from changes.

The database does it, so no writer can forget: attendance marks, contacts
(letters are logged as contacts), cases (stage, flags, status), enrolments,
and a student's birth date, grade, school or active flag. A calendar's change is
seen through fieldapp.rules.stored.rules_key instead (one row there touches
every student of a school). A marked row is recomputed by the next reader or
the refresh job.
"""
from peewee import *

# (table, the column holding the student's id)
SOURCES = (('attendance_event', 'student_id'), ('contact', 'student_id'),
           ('case', 'student_id'), ('enrollment', 'student_id'))
STUDENT_COLUMNS = ('birth_date', 'grade', 'school_id', 'active')


def _sqlite(db):
    for table, column in SOURCES:
        for when, rows in (('INSERT', ('NEW',)), ('UPDATE', ('OLD', 'NEW')), ('DELETE', ('OLD',))):
            body = ' '.join(f'UPDATE student_standing SET stale = 1 WHERE student_id = {row}.{column} '
                            f'AND stale = 0;' for row in rows)
            db.execute_sql(f'CREATE TRIGGER "standing_stale_{table}_{when.lower()}" AFTER {when} '
                           f'ON "{table}" BEGIN {body} END')
    db.execute_sql(f'CREATE TRIGGER "standing_stale_student_update" AFTER UPDATE OF '
                   f'{", ".join(STUDENT_COLUMNS)} ON "student" BEGIN UPDATE student_standing '
                   f'SET stale = 1 WHERE student_id = NEW.id AND stale = 0; END')


def _postgres(db):
    db.execute_sql('''
        CREATE OR REPLACE FUNCTION standing_stale() RETURNS trigger AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                UPDATE student_standing SET stale = true WHERE student_id = OLD.student_id AND NOT stale;
            END IF;
            IF TG_OP <> 'DELETE' THEN
                UPDATE student_standing SET stale = true WHERE student_id = NEW.student_id AND NOT stale;
            END IF;
            RETURN NULL;
        END $$ LANGUAGE plpgsql''')
    db.execute_sql('''
        CREATE OR REPLACE FUNCTION standing_stale_student() RETURNS trigger AS $$
        BEGIN
            UPDATE student_standing SET stale = true WHERE student_id = NEW.id AND NOT stale;
            RETURN NULL;
        END $$ LANGUAGE plpgsql''')
    for table, _ in SOURCES:
        db.execute_sql(f'CREATE TRIGGER "standing_stale_{table}" AFTER INSERT OR UPDATE OR DELETE '
                       f'ON "{table}" FOR EACH ROW EXECUTE FUNCTION standing_stale()')
    db.execute_sql(f'CREATE TRIGGER "standing_stale_student" AFTER UPDATE OF {", ".join(STUDENT_COLUMNS)} '
                   f'ON "student" FOR EACH ROW EXECUTE FUNCTION standing_stale_student()')


def up(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        _postgres(db)
    else:
        _sqlite(db)


def down(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        for table, _ in SOURCES:
            db.execute_sql(f'DROP TRIGGER IF EXISTS "standing_stale_{table}" ON "{table}"')
        db.execute_sql('DROP TRIGGER IF EXISTS "standing_stale_student" ON "student"')
        db.execute_sql('DROP FUNCTION IF EXISTS standing_stale()')
        db.execute_sql('DROP FUNCTION IF EXISTS standing_stale_student()')
        return
    for table, _ in SOURCES:
        for when in ('insert', 'update', 'delete'):
            db.execute_sql(f'DROP TRIGGER IF EXISTS "standing_stale_{table}_{when}"')
    db.execute_sql('DROP TRIGGER IF EXISTS "standing_stale_student_update"')
