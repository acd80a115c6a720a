"""Each case carries its student's current school (a case follows its
student, fieldapp.policy), so the dashboard's open cases per school and the
case list's school filters read the cases alone: joining every open case to
its student made PostgreSQL read all 100,000 students on every view.

The database keeps the copy equal to the student's school, as migration 0263
keeps the sort key: a new case and a case given another student take the
student's school, a case written with any other school is set back, and a
student's new school is copied to their cases. It is not the case's own
`school` (where a closed case was worked), which nothing here changes.
"""
from peewee import *

COPY = 'SELECT "school_id" FROM "student" WHERE "id" = NEW."student_id"'


def _sqlite(db):
    db.execute_sql(f'CREATE TRIGGER "case_student_school_insert" AFTER INSERT ON "case" '
                   f'BEGIN UPDATE "case" SET "student_school_id" = ({COPY}) WHERE "id" = NEW."id"; END')
    db.execute_sql(f'CREATE TRIGGER "case_student_school_update" AFTER UPDATE OF "student_id", '
                   f'"student_school_id" ON "case" WHEN NEW."student_school_id" IS NOT ({COPY}) '
                   f'BEGIN UPDATE "case" SET "student_school_id" = ({COPY}) WHERE "id" = NEW."id"; END')
    db.execute_sql('CREATE TRIGGER "student_school_cases" AFTER UPDATE OF "school_id" ON "student" '
                   'WHEN NEW."school_id" IS NOT OLD."school_id" BEGIN UPDATE "case" SET "student_school_id" = '
                   'NEW."school_id" WHERE "student_id" = NEW."id"; END')


def _postgres(db):
    db.execute_sql(f'''
        CREATE OR REPLACE FUNCTION case_student_school() RETURNS trigger AS $$
        BEGIN
            NEW.student_school_id := ({COPY});
            RETURN NEW;
        END $$ LANGUAGE plpgsql''')
    db.execute_sql('CREATE TRIGGER "case_student_school" BEFORE INSERT OR UPDATE OF "student_id", '
                   '"student_school_id" ON "case" FOR EACH ROW EXECUTE FUNCTION case_student_school()')
    db.execute_sql('''
        CREATE OR REPLACE FUNCTION student_school_cases() RETURNS trigger AS $$
        BEGIN
            UPDATE "case" SET student_school_id = NEW.school_id WHERE student_id = NEW.id;
            RETURN NULL;
        END $$ LANGUAGE plpgsql''')
    db.execute_sql('CREATE TRIGGER "student_school_cases" AFTER UPDATE OF "school_id" ON "student" '
                   'FOR EACH ROW WHEN (NEW.school_id IS DISTINCT FROM OLD.school_id) '
                   'EXECUTE FUNCTION student_school_cases()')


def _fill(db):
    """Copy every student's school to their cases, with migration 0181's
    trigger held back (a copy changes no standing; see migration 0263)."""
    fill = ('UPDATE "case" SET "student_school_id" = (SELECT "school_id" FROM "student" '
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
    # Plain ALTER TABLE: the migrator's way on SQLite copies the table and loses its triggers.
    db.execute_sql('ALTER TABLE "case" ADD COLUMN "student_school_id" INTEGER NOT NULL DEFAULT 0')
    _fill(db)
    if isinstance(db, PostgresqlDatabase):
        _postgres(db)
    else:
        _sqlite(db)
    # open cases per school, unassigned and overdue, from the index alone
    db.execute_sql('CREATE INDEX "case_status_student_school_id" ON "case" '
                   '("status", "student_school_id", "officer_id", "next_follow_up")')


def down(migrator, db):
    db.execute_sql('DROP INDEX IF EXISTS "case_status_student_school_id"')
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql('DROP TRIGGER IF EXISTS "case_student_school" ON "case"')
        db.execute_sql('DROP TRIGGER IF EXISTS "student_school_cases" ON "student"')
        db.execute_sql('DROP FUNCTION IF EXISTS case_student_school()')
        db.execute_sql('DROP FUNCTION IF EXISTS student_school_cases()')
    else:
        for name in ('case_student_school_insert', 'case_student_school_update', 'student_school_cases'):
            db.execute_sql(f'DROP TRIGGER IF EXISTS "{name}"')
    db.execute_sql('ALTER TABLE "case" DROP COLUMN "student_school_id"')
