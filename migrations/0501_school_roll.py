"""How many active students each school has, kept by the database: whether
every active student has a fresh stored standing is this count beside the
tally of fresh standings (migration 0260), and counting the active students
instead walked an index entry per student of the district on every view of
the dashboard, of a list by chronic-absence band and of the worklist (12 to
20 ms of each on the bench district of 100,000 students, either engine).

Every insert and delete of a student, and every change of a student's
school or of whether they are active, moves the count in the same statement
as the change, so no writer can forget it. A school without a row has no
active student.
"""
from peewee import *


def _sqlite(db):
    add = ('INSERT INTO school_roll (school_id, active_students) SELECT NEW.school_id, 1 WHERE NEW.active '
           'ON CONFLICT (school_id) DO UPDATE SET active_students = active_students + 1;')
    take = 'UPDATE school_roll SET active_students = active_students - 1 WHERE OLD.active AND school_id = OLD.school_id;'
    db.execute_sql(f'CREATE TRIGGER "school_roll_insert" AFTER INSERT ON "student" BEGIN {add} END')
    db.execute_sql(f'CREATE TRIGGER "school_roll_delete" AFTER DELETE ON "student" BEGIN {take} END')
    db.execute_sql(f'CREATE TRIGGER "school_roll_update" AFTER UPDATE OF "active", "school_id" ON "student" '
                   f'WHEN NEW.active IS NOT OLD.active OR NEW.school_id IS NOT OLD.school_id '
                   f'BEGIN {take} {add} END')


def _postgres(db):
    db.execute_sql('''
        CREATE OR REPLACE FUNCTION school_roll_count() RETURNS trigger AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                IF OLD.active THEN
                    UPDATE school_roll SET active_students = active_students - 1 WHERE school_id = OLD.school_id;
                END IF;
            END IF;
            IF TG_OP <> 'DELETE' THEN
                IF NEW.active THEN
                    INSERT INTO school_roll (school_id, active_students) VALUES (NEW.school_id, 1)
                    ON CONFLICT (school_id) DO UPDATE SET active_students = school_roll.active_students + 1;
                END IF;
            END IF;
            RETURN NULL;
        END $$ LANGUAGE plpgsql''')
    db.execute_sql('CREATE TRIGGER "school_roll_insert_delete" AFTER INSERT OR DELETE ON "student" '
                   'FOR EACH ROW EXECUTE FUNCTION school_roll_count()')
    db.execute_sql('CREATE TRIGGER "school_roll_update" AFTER UPDATE OF "active", "school_id" ON "student" '
                   'FOR EACH ROW WHEN (NEW.active IS DISTINCT FROM OLD.active '
                   'OR NEW.school_id IS DISTINCT FROM OLD.school_id) EXECUTE FUNCTION school_roll_count()')


def up(migrator, db):
    with db.atomic():
        db.execute_sql('CREATE TABLE "school_roll" ("school_id" INTEGER NOT NULL PRIMARY KEY, '
                       '"active_students" INTEGER NOT NULL)')
        db.execute_sql('INSERT INTO "school_roll" ("school_id", "active_students") '
                       'SELECT "school_id", COUNT(*) FROM "student" WHERE "active" GROUP BY "school_id"')
        if isinstance(db, PostgresqlDatabase):
            _postgres(db)
        else:
            _sqlite(db)


def down(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql('DROP TRIGGER IF EXISTS "school_roll_insert_delete" ON "student"')
        db.execute_sql('DROP TRIGGER IF EXISTS "school_roll_update" ON "student"')
        db.execute_sql('DROP FUNCTION IF EXISTS school_roll_count()')
    else:
        for name in ("school_roll_insert", "school_roll_delete", "school_roll_update"):
            db.execute_sql(f'DROP TRIGGER IF EXISTS "{name}"')
    db.execute_sql('DROP TABLE IF EXISTS "school_roll"')
