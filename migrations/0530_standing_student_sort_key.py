"""Each stored standing carries its student's sort key (migration 0007), so a
list of the students of a band (and school) is paged in name order from an
index of the fresh standings alone. Without it PostgreSQL walked every
student in name order and read each one's standing until a page was full
(3,456 students for a page of one school's moderate band, 102 ms on the
bench district of 100,000 students), and SQLite read and sorted every
standing of the band with its whole row, for every page.

The database keeps the copy equal to the student's key, as migration 0263
does for cases, so no writer can forget it: a standing written with any
other key is set to the student's, and a student's new key is copied to
their standing. Nothing reads the copy but the order of lists.

The index holds the rows of a day under the day's rules by band, then the
name order; whether a row is stale and its school come after the student's
id, so a page of one school's band reads the band's entries in name order
and skips stale rows and other schools' without reading a row. `stale`
stands after the order on purpose: PostgreSQL reads "stale = false" as a
test of a boolean, not as a column held equal, and would not read the name
order of an index with `stale` before it (it sorted the whole band instead).
"""
from peewee import *

COPY = 'SELECT "sort_key" FROM "student" WHERE "id" = NEW."student_id"'
INDEX = ('CREATE INDEX IF NOT EXISTS "student_standing_fresh_band_sort_key" ON "student_standing" '
         '("as_of", "rules_key", "band", "student_sort_key", "student_id", "stale", "school_id")')


def _sqlite(db):
    db.execute_sql(f'CREATE TRIGGER "standing_sort_key_insert" AFTER INSERT ON "student_standing" '
                   f'WHEN NEW."student_sort_key" IS NOT ({COPY}) '
                   f'BEGIN UPDATE "student_standing" SET "student_sort_key" = ({COPY}) '
                   f'WHERE "student_id" = NEW."student_id"; END')
    db.execute_sql(f'CREATE TRIGGER "standing_sort_key_update" AFTER UPDATE OF "student_id", "student_sort_key" '
                   f'ON "student_standing" WHEN NEW."student_sort_key" IS NOT ({COPY}) '
                   f'BEGIN UPDATE "student_standing" SET "student_sort_key" = ({COPY}) '
                   f'WHERE "student_id" = NEW."student_id"; END')
    db.execute_sql('CREATE TRIGGER "student_sort_key_standing" AFTER UPDATE OF "sort_key" ON "student" '
                   'WHEN NEW."sort_key" IS NOT OLD."sort_key" BEGIN UPDATE "student_standing" SET '
                   '"student_sort_key" = NEW."sort_key" WHERE "student_id" = NEW."id"; END')


def _postgres(db):
    db.execute_sql(f'''
        CREATE OR REPLACE FUNCTION standing_student_sort_key() RETURNS trigger AS $$
        BEGIN
            NEW.student_sort_key := ({COPY});
            RETURN NEW;
        END $$ LANGUAGE plpgsql''')
    db.execute_sql('CREATE TRIGGER "standing_student_sort_key" BEFORE INSERT OR UPDATE OF "student_id", '
                   '"student_sort_key" ON "student_standing" FOR EACH ROW '
                   'EXECUTE FUNCTION standing_student_sort_key()')
    db.execute_sql('''
        CREATE OR REPLACE FUNCTION student_sort_key_standing() RETURNS trigger AS $$
        BEGIN
            UPDATE student_standing SET student_sort_key = NEW.sort_key WHERE student_id = NEW.id;
            RETURN NULL;
        END $$ LANGUAGE plpgsql''')
    db.execute_sql('CREATE TRIGGER "student_sort_key_standing" AFTER UPDATE OF "sort_key" ON "student" '
                   'FOR EACH ROW WHEN (NEW.sort_key IS DISTINCT FROM OLD.sort_key) '
                   'EXECUTE FUNCTION student_sort_key_standing()')


def _fill(db):
    """Copy every student's key to their standing, with the tally's triggers
    (migration 0260) held back: a copied key changes no count, and the tally
    would take every row out of its count and put it back."""
    fill = ('UPDATE "student_standing" SET "student_sort_key" = (SELECT "sort_key" FROM "student" '
            'WHERE "student"."id" = "student_standing"."student_id")')
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql('ALTER TABLE "student_standing" DISABLE TRIGGER "standing_tally"')
        db.execute_sql(fill)
        db.execute_sql('ALTER TABLE "student_standing" ENABLE TRIGGER "standing_tally"')
        return
    held = db.execute_sql("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                          "AND name = 'standing_tally_update'").fetchone()
    if held:
        db.execute_sql('DROP TRIGGER "standing_tally_update"')
    db.execute_sql(fill)
    if held:
        db.execute_sql(held[0])


def up(migrator, db):
    # Plain ALTER TABLE: the migrator's way on SQLite copies the table, and a
    # copy loses the table's triggers (migrations 0181 and 0260 among them).
    collate = ' COLLATE "C"' if isinstance(db, PostgresqlDatabase) else ''  # compared byte by byte, as 0007
    with db.atomic():
        db.execute_sql(f'ALTER TABLE "student_standing" ADD COLUMN "student_sort_key" VARCHAR(255){collate} '
                       f'NOT NULL DEFAULT \'\'')
        _fill(db)
        if isinstance(db, PostgresqlDatabase):
            _postgres(db)
        else:
            _sqlite(db)
        db.execute_sql(INDEX)


def down(migrator, db):
    db.execute_sql('DROP INDEX IF EXISTS "student_standing_fresh_band_sort_key"')
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql('DROP TRIGGER IF EXISTS "standing_student_sort_key" ON "student_standing"')
        db.execute_sql('DROP TRIGGER IF EXISTS "student_sort_key_standing" ON "student"')
        db.execute_sql('DROP FUNCTION IF EXISTS standing_student_sort_key()')
        db.execute_sql('DROP FUNCTION IF EXISTS student_sort_key_standing()')
    else:
        for name in ('standing_sort_key_insert', 'standing_sort_key_update', 'student_sort_key_standing'):
            db.execute_sql(f'DROP TRIGGER IF EXISTS "{name}"')
    db.execute_sql('ALTER TABLE "student_standing" DROP COLUMN "student_sort_key"')
