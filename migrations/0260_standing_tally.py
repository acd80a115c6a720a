"""How many fresh stored standings there are of each day, rule settings,
school, band, worklist section and due date: the supervisor's figures (the
bands of every school, legal steps overdue and due this week) and the counts
beside the lists of a band, read from a few hundred rows instead of counting
the district's standings on every view.

The database keeps it, in the same statement as the change, so no writer can
forget it: every insert, update and delete of a student_standing row (a
refresh, a row marked stale by migration 0181's triggers, a student deleted)
takes the row out of the count it was in and adds it to the one it is in now.
Only rows not stale are counted (a stale row counts nowhere). `section` is ''
for no section and `due` the next step's due date as YYYY-MM-DD, '' for none,
so the key never holds NULL and one unique index finds each count.
"""
from peewee import *

KEY = ('as_of', 'rules_key', 'school_id', 'band', 'section', 'due')


def _create_table(db):
    db.execute_sql('CREATE TABLE "standing_tally" ("as_of" DATE NOT NULL, "rules_key" VARCHAR(255) NOT NULL, '
                   '"school_id" INTEGER NOT NULL, "band" VARCHAR(255) NOT NULL, "section" VARCHAR(255) NOT NULL, '
                   '"due" VARCHAR(10) NOT NULL, "students" INTEGER NOT NULL)')
    db.execute_sql(f'CREATE UNIQUE INDEX "standing_tally_key" ON "standing_tally" '
                   f'({", ".join(f"{chr(34)}{c}{chr(34)}" for c in KEY)})')


def _sqlite(db):
    def key(row):
        return (f"{row}.as_of, {row}.rules_key, {row}.school_id, {row}.band, COALESCE({row}.section, ''), "
                f"COALESCE({row}.next_due_on, '')")

    def add(row):
        return (f"INSERT INTO standing_tally (as_of, rules_key, school_id, band, section, due, students) "
                f"SELECT {key(row)}, 1 WHERE NOT {row}.stale "
                f"ON CONFLICT (as_of, rules_key, school_id, band, section, due) "
                f"DO UPDATE SET students = students + 1;")

    def take(row):
        match = (f"as_of = {row}.as_of AND rules_key = {row}.rules_key AND school_id = {row}.school_id "
                 f"AND band = {row}.band AND section = COALESCE({row}.section, '') "
                 f"AND due = COALESCE({row}.next_due_on, '')")
        return (f"UPDATE standing_tally SET students = students - 1 WHERE NOT {row}.stale AND {match}; "
                f"DELETE FROM standing_tally WHERE students = 0 AND {match};")

    for when, body in (('INSERT', add('NEW')), ('UPDATE', take('OLD') + ' ' + add('NEW')),
                       ('DELETE', take('OLD'))):
        db.execute_sql(f'CREATE TRIGGER "standing_tally_{when.lower()}" AFTER {when} ON "student_standing" '
                       f'BEGIN {body} END')


def _postgres(db):
    db.execute_sql('''
        CREATE OR REPLACE FUNCTION standing_tally_count() RETURNS trigger AS $$
        BEGIN
            IF TG_OP <> 'INSERT' AND NOT OLD.stale THEN
                UPDATE standing_tally SET students = students - 1
                 WHERE as_of = OLD.as_of AND rules_key = OLD.rules_key AND school_id = OLD.school_id
                   AND band = OLD.band AND section = COALESCE(OLD.section, '')
                   AND due = COALESCE(to_char(OLD.next_due_on, 'YYYY-MM-DD'), '');
                DELETE FROM standing_tally
                 WHERE students = 0 AND as_of = OLD.as_of AND rules_key = OLD.rules_key
                   AND school_id = OLD.school_id AND band = OLD.band AND section = COALESCE(OLD.section, '')
                   AND due = COALESCE(to_char(OLD.next_due_on, 'YYYY-MM-DD'), '');
            END IF;
            IF TG_OP <> 'DELETE' AND NOT NEW.stale THEN
                INSERT INTO standing_tally (as_of, rules_key, school_id, band, section, due, students)
                VALUES (NEW.as_of, NEW.rules_key, NEW.school_id, NEW.band, COALESCE(NEW.section, ''),
                        COALESCE(to_char(NEW.next_due_on, 'YYYY-MM-DD'), ''), 1)
                ON CONFLICT (as_of, rules_key, school_id, band, section, due)
                DO UPDATE SET students = standing_tally.students + 1;
            END IF;
            RETURN NULL;
        END $$ LANGUAGE plpgsql''')
    db.execute_sql('CREATE TRIGGER "standing_tally" AFTER INSERT OR UPDATE OR DELETE ON "student_standing" '
                   'FOR EACH ROW EXECUTE FUNCTION standing_tally_count()')


def _fill(db, due):
    db.execute_sql(f'INSERT INTO standing_tally (as_of, rules_key, school_id, band, section, due, students) '
                   f'SELECT as_of, rules_key, school_id, band, COALESCE(section, \'\'), {due}, COUNT(*) '
                   f'FROM student_standing WHERE NOT stale GROUP BY as_of, rules_key, school_id, band, '
                   f'COALESCE(section, \'\'), {due}')


def up(migrator, db):
    _create_table(db)
    if isinstance(db, PostgresqlDatabase):
        _postgres(db)
        _fill(db, "COALESCE(to_char(next_due_on, 'YYYY-MM-DD'), '')")
    else:
        _sqlite(db)
        _fill(db, "COALESCE(next_due_on, '')")


def down(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql('DROP TRIGGER IF EXISTS "standing_tally" ON "student_standing"')
        db.execute_sql('DROP FUNCTION IF EXISTS standing_tally_count()')
    else:
        for when in ('insert', 'update', 'delete'):
            db.execute_sql(f'DROP TRIGGER IF EXISTS "standing_tally_{when}"')
    db.execute_sql('DROP TABLE IF EXISTS "standing_tally"')
