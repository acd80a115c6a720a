"""Indexes the supervisor's desk reads by (EXPLAIN on SQLite and PostgreSQL,
bench/bench_desk.py on 100,000 students):

- student_standing (as_of, rules_key, stale, band, school_id, section,
  next_due_on, student_id): the fresh rows of a day counted by band and
  school, with their legal steps overdue and due this week, from the index
  alone; the students of one band (and school); the students of officers'
  cases with a step. It starts with the columns of the index it replaces,
  which every reader of fresh rows used.
- contact (occurred_at, reasons): the contacts of this school year by their
  reasons, and of the last weeks by day, read from the index alone.
- student (active, school_id): how many active students the district, or a
  school, has, to say how many have no fresh standing yet.
"""
from peewee import *


def up(migrator, db):
    db.execute_sql('DROP INDEX IF EXISTS "student_standing_as_of_rules_key_stale"')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "student_standing_fresh_figures" ON "student_standing" '
                   '("as_of", "rules_key", "stale", "band", "school_id", "section", "next_due_on", "student_id")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "contact_occurred_at_reasons" ON "contact" ("occurred_at", "reasons")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "student_active_school_id" ON "student" ("active", "school_id")')


def down(migrator, db):
    db.execute_sql('DROP INDEX IF EXISTS "student_active_school_id"')
    db.execute_sql('DROP INDEX IF EXISTS "contact_occurred_at_reasons"')
    db.execute_sql('DROP INDEX IF EXISTS "student_standing_fresh_figures"')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "student_standing_as_of_rules_key_stale" ON "student_standing" '
                   '("as_of", "rules_key", "stale")')
