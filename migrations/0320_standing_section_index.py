"""The worklist's sections read from an index: student_standing (as_of,
rules_key, stale, section, school_id, next_due_on, student_id).

A page of the worklist asks, per section, for the fresh rows of its schools
in due-day order. The only index of fresh rows (student_standing_fresh_figures,
migration 0210) has the band before the section, so each section walked
every fresh row of the day and read each whole row it kept before sorting:
about a hundred thousand index entries per section on the bench district,
the most of the page's 300 to 700 ms. With this index a section's rows of
a school are one range, and what the sort needs is in the index (EXPLAIN
QUERY PLAN on SQLite; EXPLAIN ANALYZE on PostgreSQL)."""
from peewee import *


def up(migrator, db):
    db.execute_sql('CREATE INDEX IF NOT EXISTS "student_standing_fresh_sections" ON "student_standing" '
                   '("as_of", "rules_key", "stale", "section", "school_id", "next_due_on", "student_id")')


def down(migrator, db):
    db.execute_sql('DROP INDEX IF EXISTS "student_standing_fresh_sections"')
