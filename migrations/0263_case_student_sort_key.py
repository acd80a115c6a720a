"""Each case carries its student's sort key (migration 0007), so the district
case list is paged in name order from an index of the cases alone: sorting
every open case by its student's name cost more than the rest of the page,
at every page.

The database keeps the copy equal to the student's key, so no writer can
forget it: a new case and a case given another student take the student's
key, a case written with any other key is set back, and a student's new key
is copied to their cases. Nothing reads the copy but the order of lists.
"""
from peewee import *

COPY = 'SELECT "sort_key" FROM "student" WHERE "id" = NEW."student_id"'


def _sqlite(db):
    db.execute_sql(f'CREATE TRIGGER "case_sort_key_insert" AFTER INSERT ON "case" '
                   f'BEGIN UPDATE "case" SET "student_sort_key" = ({COPY}) WHERE "id" = NEW."id"; END')
    db.execute_sql(f'CREATE TRIGGER "case_sort_key_update" AFTER UPDATE OF "student_id", "student_sort_key" '
                   f'ON "case" WHEN NEW."student_sort_key" IS NOT ({COPY}) '
                   f'BEGIN UPDATE "case" SET "student_sort_key" = ({COPY}) WHERE "id" = NEW."id"; END')
    db.execute_sql('CREATE TRIGGER "student_sort_key_cases" AFTER UPDATE OF "sort_key" ON "student" '
                   'WHEN NEW."sort_key" IS NOT OLD."sort_key" BEGIN UPDATE "case" SET "student_sort_key" = '
                   'NEW."sort_key" WHERE "student_id" = NEW."id"; END')


def _postgres(db):
    db.execute_sql(f'''
        CREATE OR REPLACE FUNCTION case_student_sort_key() RETURNS trigger AS $$
        BEGIN
            NEW.student_sort_key := ({COPY});
            RETURN NEW;
        END $$ LANGUAGE plpgsql''')
    db.execute_sql('CREATE TRIGGER "case_student_sort_key" BEFORE INSERT OR UPDATE OF "student_id", '
                   '"student_sort_key" ON "case" FOR EACH ROW EXECUTE FUNCTION case_student_sort_key()')
    db.execute_sql('''
        CREATE OR REPLACE FUNCTION student_sort_key_cases() RETURNS trigger AS $$
        BEGIN
            UPDATE "case" SET student_sort_key = NEW.sort_key WHERE student_id = NEW.id;
            RETURN NULL;
        END $$ LANGUAGE plpgsql''')
    db.execute_sql('CREATE TRIGGER "student_sort_key_cases" AFTER UPDATE OF "sort_key" ON "student" '
                   'FOR EACH ROW WHEN (NEW.sort_key IS DISTINCT FROM OLD.sort_key) '
                   'EXECUTE FUNCTION student_sort_key_cases()')


def _fill(db):
    """Copy every student's key to their cases, with migration 0181's trigger
    held back: a copied key changes no standing, and marking every student
    with a case stale would have the district's standings recomputed."""
    fill = ('UPDATE "case" SET "student_sort_key" = (SELECT "sort_key" FROM "student" '
            'WHERE "student"."id" = "case"."student_id")')
    if isinstance(db, PostgresqlDatabase):
        with db.atomic():
            db.execute_sql('ALTER TABLE "case" DISABLE TRIGGER "standing_stale_case"')
            db.execute_sql(fill)
            db.execute_sql('ALTER TABLE "case" ENABLE TRIGGER "standing_stale_case"')
        return
    held = db.execute_sql("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                          "AND name = 'standing_stale_case_update'").fetchone()
    with db.atomic():
        if held:
            db.execute_sql('DROP TRIGGER "standing_stale_case_update"')
        db.execute_sql(fill)
        if held:
            db.execute_sql(held[0])


def up(migrator, db):
    # Plain ALTER TABLE: the migrator's way on SQLite copies the table, and a
    # copy loses the table's triggers (migration 0181's among them).
    collate = ' COLLATE "C"' if isinstance(db, PostgresqlDatabase) else ''  # compared byte by byte, as 0007
    db.execute_sql(f'ALTER TABLE "case" ADD COLUMN "student_sort_key" VARCHAR(255){collate} NOT NULL DEFAULT \'\'')
    _fill(db)
    if isinstance(db, PostgresqlDatabase):
        _postgres(db)
    else:
        _sqlite(db)
    db.execute_sql('CREATE INDEX "case_status_student_sort_key_id" ON "case" ("status", "student_sort_key", "id")')


def down(migrator, db):
    db.execute_sql('DROP INDEX IF EXISTS "case_status_student_sort_key_id"')
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql('DROP TRIGGER IF EXISTS "case_student_sort_key" ON "case"')
        db.execute_sql('DROP TRIGGER IF EXISTS "student_sort_key_cases" ON "student"')
        db.execute_sql('DROP FUNCTION IF EXISTS case_student_sort_key()')
        db.execute_sql('DROP FUNCTION IF EXISTS student_sort_key_cases()')
    else:
        for name in ('case_sort_key_insert', 'case_sort_key_update', 'student_sort_key_cases'):
            db.execute_sql(f'DROP TRIGGER IF EXISTS "{name}"')
    db.execute_sql('ALTER TABLE "case" DROP COLUMN "student_sort_key"')
