"""On PostgreSQL, each school's count of active students (migration 0501)
moves once per statement, not once per row.

A row trigger updated a school's count row once per student written: a
district roster of 250,000 students in one transaction updated each of four
count rows some 60,000 times, and each update walked the versions the
transaction had left of that row before it, so the import's cost grew with
the square of its size (a roster of 900,000 rows took 671 s instead of 74 s,
234 s of it the server's). Statement-level triggers see every row a
statement wrote (a COPY page) through its transition tables, and move each
school's count by the statement's net change in one upsert.

PostgreSQL refuses transition tables on a trigger limited to some columns,
so every UPDATE of students runs the trigger; it reads only the rows the
statement changed, and writes nothing when no school's count moves.

SQLite keeps its row triggers: it updates a row in place.
"""
from peewee import *

# The net change of each school's active students by one statement: +1 for
# each active row written, -1 for each active row it replaced or removed.
MOVE = '''
            INSERT INTO school_roll (school_id, active_students)
            SELECT school_id, SUM(n) FROM ({rows}) AS moved GROUP BY school_id HAVING SUM(n) <> 0
            ON CONFLICT (school_id) DO UPDATE SET active_students = school_roll.active_students + EXCLUDED.active_students;'''
ADDED = 'SELECT school_id, 1 AS n FROM written WHERE active'
TAKEN = 'SELECT school_id, -1 AS n FROM replaced WHERE active'


def _postgres(db):
    db.execute_sql('DROP TRIGGER IF EXISTS "school_roll_insert_delete" ON "student"')
    db.execute_sql('DROP TRIGGER IF EXISTS "school_roll_update" ON "student"')
    db.execute_sql('DROP FUNCTION IF EXISTS school_roll_count()')
    db.execute_sql(f'''
        CREATE OR REPLACE FUNCTION school_roll_count() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN{MOVE.format(rows=ADDED)}
            ELSIF TG_OP = 'DELETE' THEN{MOVE.format(rows=TAKEN)}
            ELSE{MOVE.format(rows=ADDED + ' UNION ALL ' + TAKEN)}
            END IF;
            RETURN NULL;
        END $$ LANGUAGE plpgsql''')
    db.execute_sql('CREATE TRIGGER "school_roll_insert" AFTER INSERT ON "student" REFERENCING NEW TABLE AS written '
                   'FOR EACH STATEMENT EXECUTE FUNCTION school_roll_count()')
    db.execute_sql('CREATE TRIGGER "school_roll_delete" AFTER DELETE ON "student" REFERENCING OLD TABLE AS replaced '
                   'FOR EACH STATEMENT EXECUTE FUNCTION school_roll_count()')
    db.execute_sql('CREATE TRIGGER "school_roll_update" AFTER UPDATE ON "student" '
                   'REFERENCING OLD TABLE AS replaced NEW TABLE AS written '
                   'FOR EACH STATEMENT EXECUTE FUNCTION school_roll_count()')


# What 0501 made, for down(): a migration file is not importable by name.
ROW_TRIGGERS_0501 = '''
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
        END $$ LANGUAGE plpgsql;
        CREATE TRIGGER "school_roll_insert_delete" AFTER INSERT OR DELETE ON "student"
            FOR EACH ROW EXECUTE FUNCTION school_roll_count();
        CREATE TRIGGER "school_roll_update" AFTER UPDATE OF "active", "school_id" ON "student"
            FOR EACH ROW WHEN (NEW.active IS DISTINCT FROM OLD.active OR NEW.school_id IS DISTINCT FROM OLD.school_id)
            EXECUTE FUNCTION school_roll_count();'''


def up(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        with db.atomic():
            _postgres(db)


def down(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        with db.atomic():
            for name in ("school_roll_insert", "school_roll_delete", "school_roll_update"):
                db.execute_sql(f'DROP TRIGGER IF EXISTS "{name}" ON "student"')
            db.execute_sql('DROP FUNCTION IF EXISTS school_roll_count()')
            db.execute_sql(ROW_TRIGGERS_0501)
