"""Open cases by officer, with their students: the dashboard counts each
officer's students with a legal step overdue or due this week by walking
this index in officer order and looking up each student's stored standing
(about ten thousand look-ups), instead of reading the fresh standings of the
whole district (a hundred thousand) and looking up a case for each
(EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on PostgreSQL)."""
from peewee import *


def up(migrator, db):
    db.execute_sql('CREATE INDEX IF NOT EXISTS "case_status_officer_id_student_id" ON "case" '
                   '("status", "officer_id", "student_id")')


def down(migrator, db):
    db.execute_sql('DROP INDEX IF EXISTS "case_status_officer_id_student_id"')
