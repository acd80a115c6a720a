"""Open cases in the order of the escalation ladder, then by name: the case
list sorted by stage pages from this index. The order is an expression (the
place of the case's stage in codes.STAGES, fieldapp.cases.caselist.ladder_order),
so no index served it, and every page sorted all the district's open cases
(28 ms the first page, 53 ms the hundredth on the bench district's 10,600 open
cases on SQLite; EXPLAIN QUERY PLAN showed a temporary B-tree for the ORDER BY).
The expression here is the one ladder_order writes: the database uses the
index only for the same expression, so a change of the ladder needs a new one."""
from peewee import *

LADDER = ("""CASE "stage" WHEN 'monitoring' THEN 0 WHEN 'first_notice' THEN 1 WHEN 'conference' THEN 2 """
          """WHEN 'plan' THEN 3 WHEN 'referral' THEN 4 WHEN 'court' THEN 5 ELSE 6 END""")


def up(migrator, db):
    # "stage" last: PostgreSQL reads a page from the index alone only when the
    # index holds the column the expression is made of, and otherwise
    # sorted the open cases again for a page past the first few.
    db.execute_sql(f'CREATE INDEX IF NOT EXISTS "case_status_ladder_student_sort_key_id" ON "case" '
                   f'("status", ({LADDER}), "student_sort_key", "id", "stage")')


def down(migrator, db):
    db.execute_sql('DROP INDEX IF EXISTS "case_status_ladder_student_sort_key_id"')
