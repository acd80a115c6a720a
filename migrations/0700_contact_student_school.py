"""Each contact carries its student's current school, so the contact log
narrowed to a school counts and pages the school's contacts from one index of
contacts: counting them through the school's students made PostgreSQL join
the school's 25,000 students to their 70,000 contacts on every view of the
log (96-120 ms p95 on the bench district, where a page of a list has 60 ms).

The database keeps the copy equal to the student's school, as migration 0264
keeps the case's: a new contact and a contact given another student take the
student's school, a contact written with any other school is set back, and a
student's new school (a transfer, a roster import or its undo, in one
statement or many) is copied to their contacts. The log's school filter
still means the student's school now, not where the contact was made.

The contact's triggers that mark a stored standing stale (migrations 0181,
0211 and 0691) stay as they are: a student whose school changes is marked
stale by the student's own trigger already, and the copy's fill below holds
them back.
"""
from peewee import *

COPY = 'SELECT "school_id" FROM "student" WHERE "id" = NEW."student_id"'
STALE_SQLITE = "standing_stale_contact_update"


def _sqlite(db):
    db.execute_sql(f'CREATE TRIGGER "contact_student_school_insert" AFTER INSERT ON "contact" '
                   f'BEGIN UPDATE "contact" SET "student_school_id" = ({COPY}) WHERE "id" = NEW."id"; END')
    db.execute_sql(f'CREATE TRIGGER "contact_student_school_update" AFTER UPDATE OF "student_id", '
                   f'"student_school_id" ON "contact" WHEN NEW."student_school_id" IS NOT ({COPY}) '
                   f'BEGIN UPDATE "contact" SET "student_school_id" = ({COPY}) WHERE "id" = NEW."id"; END')
    db.execute_sql('CREATE TRIGGER "student_school_contacts" AFTER UPDATE OF "school_id" ON "student" '
                   'WHEN NEW."school_id" IS NOT OLD."school_id" BEGIN UPDATE "contact" SET "student_school_id" = '
                   'NEW."school_id" WHERE "student_id" = NEW."id"; END')


def _postgres(db):
    db.execute_sql(f'''
        CREATE OR REPLACE FUNCTION contact_student_school() RETURNS trigger AS $$
        BEGIN
            NEW.student_school_id := ({COPY});
            RETURN NEW;
        END $$ LANGUAGE plpgsql''')
    db.execute_sql('CREATE TRIGGER "contact_student_school" BEFORE INSERT OR UPDATE OF "student_id", '
                   '"student_school_id" ON "contact" FOR EACH ROW EXECUTE FUNCTION contact_student_school()')
    db.execute_sql('''
        CREATE OR REPLACE FUNCTION student_school_contacts() RETURNS trigger AS $$
        BEGIN
            UPDATE "contact" SET student_school_id = NEW.school_id WHERE student_id = NEW.id;
            RETURN NULL;
        END $$ LANGUAGE plpgsql''')
    db.execute_sql('CREATE TRIGGER "student_school_contacts" AFTER UPDATE OF "school_id" ON "student" '
                   'FOR EACH ROW WHEN (NEW.school_id IS DISTINCT FROM OLD.school_id) '
                   'EXECUTE FUNCTION student_school_contacts()')


def _fill(db):
    """Copy every student's school to their contacts, with the contact's
    trigger that marks a standing stale held back (a copy changes no
    standing; see migration 0264)."""
    fill = ('UPDATE "contact" SET "student_school_id" = (SELECT "school_id" FROM "student" '
            'WHERE "student"."id" = "contact"."student_id")')
    if isinstance(db, PostgresqlDatabase):
        with db.atomic():
            db.execute_sql('ALTER TABLE "contact" DISABLE TRIGGER "standing_stale_contact"')
            db.execute_sql(fill)
            db.execute_sql('ALTER TABLE "contact" ENABLE TRIGGER "standing_stale_contact"')
        return
    held = db.execute_sql("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                          (STALE_SQLITE,)).fetchone()
    with db.atomic():
        if held:
            db.execute_sql(f'DROP TRIGGER "{STALE_SQLITE}"')
        db.execute_sql(fill)
        if held:
            db.execute_sql(held[0])


def up(migrator, db):
    # Plain ALTER TABLE: the migrator's way on SQLite copies the table and loses its triggers.
    db.execute_sql('ALTER TABLE "contact" ADD COLUMN "student_school_id" INTEGER NOT NULL DEFAULT 0')
    _fill(db)
    if isinstance(db, PostgresqlDatabase):
        _postgres(db)
    else:
        _sqlite(db)
    # a school's contacts counted, counted up to a page and paged newest first, from the index alone
    db.execute_sql('CREATE INDEX "contact_student_school_occurred_at" ON "contact" '
                   '("student_school_id", "occurred_at", "id")')


def down(migrator, db):
    db.execute_sql('DROP INDEX IF EXISTS "contact_student_school_occurred_at"')
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql('DROP TRIGGER IF EXISTS "contact_student_school" ON "contact"')
        db.execute_sql('DROP TRIGGER IF EXISTS "student_school_contacts" ON "student"')
        db.execute_sql('DROP FUNCTION IF EXISTS contact_student_school()')
        db.execute_sql('DROP FUNCTION IF EXISTS student_school_contacts()')
    else:
        for name in ('contact_student_school_insert', 'contact_student_school_update', 'student_school_contacts'):
            db.execute_sql(f'DROP TRIGGER IF EXISTS "{name}"')
    db.execute_sql('ALTER TABLE "contact" DROP COLUMN "student_school_id"')
