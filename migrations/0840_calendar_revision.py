"""A count per school year that goes up whenever any of that year's school
calendars or calendar days is added, changed or removed (both engines, by
trigger, so no writer can forget).

A stored standing's rules_key read the year's calendars as their count and
highest id; an import that edits a calendar in place (a snow day added, a
day off taken back), or replaces one under a reused id, changed neither, and
lists kept counting the old days while the student page counted the new.
fieldapp.rules.stored.rules_key now reads this count as well.
"""
from peewee import *

DAY_YEAR = '(SELECT school_year FROM school_calendar WHERE id = {row}.calendar_id)'


def _bump_sqlite(year):
    return (f'INSERT OR IGNORE INTO calendar_revision (school_year, revision) SELECT {year}, 0 '
            f'WHERE {year} IS NOT NULL; '
            f'UPDATE calendar_revision SET revision = revision + 1 WHERE school_year = {year};')


def _sqlite(db):
    for table, year in (('school_calendar', '{row}.school_year'), ('calendar_day', DAY_YEAR)):
        for when, rows in (('INSERT', ('NEW',)), ('UPDATE', ('OLD', 'NEW')), ('DELETE', ('OLD',))):
            body = ' '.join(_bump_sqlite(year.format(row=row)) for row in rows)
            db.execute_sql(f'CREATE TRIGGER "calendar_revision_{table}_{when.lower()}" AFTER {when} '
                           f'ON "{table}" BEGIN {body} END')


def _postgres(db):
    db.execute_sql('''
        CREATE OR REPLACE FUNCTION calendar_revision_bump(year text) RETURNS void AS $$
        BEGIN
            IF year IS NOT NULL THEN
                INSERT INTO calendar_revision (school_year, revision) VALUES (year, 1)
                ON CONFLICT (school_year) DO UPDATE SET revision = calendar_revision.revision + 1;
            END IF;
        END $$ LANGUAGE plpgsql''')
    db.execute_sql('''
        CREATE OR REPLACE FUNCTION calendar_revision_calendar() RETURNS trigger AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN PERFORM calendar_revision_bump(OLD.school_year); END IF;
            IF TG_OP <> 'DELETE' THEN PERFORM calendar_revision_bump(NEW.school_year); END IF;
            RETURN NULL;
        END $$ LANGUAGE plpgsql''')
    db.execute_sql('''
        CREATE OR REPLACE FUNCTION calendar_revision_day() RETURNS trigger AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                PERFORM calendar_revision_bump((SELECT school_year FROM school_calendar WHERE id = OLD.calendar_id));
            END IF;
            IF TG_OP <> 'DELETE' THEN
                PERFORM calendar_revision_bump((SELECT school_year FROM school_calendar WHERE id = NEW.calendar_id));
            END IF;
            RETURN NULL;
        END $$ LANGUAGE plpgsql''')
    db.execute_sql('CREATE TRIGGER "calendar_revision_school_calendar" AFTER INSERT OR UPDATE OR DELETE '
                   'ON "school_calendar" FOR EACH ROW EXECUTE FUNCTION calendar_revision_calendar()')
    db.execute_sql('CREATE TRIGGER "calendar_revision_calendar_day" AFTER INSERT OR UPDATE OR DELETE '
                   'ON "calendar_day" FOR EACH ROW EXECUTE FUNCTION calendar_revision_day()')


def up(migrator, db):
    db.execute_sql('CREATE TABLE IF NOT EXISTS "calendar_revision" ('
                   '"school_year" VARCHAR(255) NOT NULL PRIMARY KEY, "revision" INTEGER NOT NULL)')
    if isinstance(db, PostgresqlDatabase):
        _postgres(db)
    else:
        _sqlite(db)


def down(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql('DROP TRIGGER IF EXISTS "calendar_revision_school_calendar" ON "school_calendar"')
        db.execute_sql('DROP TRIGGER IF EXISTS "calendar_revision_calendar_day" ON "calendar_day"')
        for name in ('calendar_revision_calendar()', 'calendar_revision_day()', 'calendar_revision_bump(text)'):
            db.execute_sql(f'DROP FUNCTION IF EXISTS {name}')
    else:
        for table in ('school_calendar', 'calendar_day'):
            for when in ('insert', 'update', 'delete'):
                db.execute_sql(f'DROP TRIGGER IF EXISTS "calendar_revision_{table}_{when}"')
    db.execute_sql('DROP TABLE IF EXISTS "calendar_revision"')
