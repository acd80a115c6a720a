"""One open case per student, kept by the database itself: two requests
opening a case at once (a double tap on a slow phone) both pass the
application's check, and only a unique index can refuse the second.

A database that already holds two open cases for one student cannot take the
index: the migration stops and names them, to be closed (or merged) first.

Models here are frozen copies, independent of fieldapp.models."""
from peewee import *


class DuplicateOpenCases(RuntimeError):
    """Some students have more than one open case."""


def up(migrator, db):
    doubled = db.execute_sql(
        'SELECT student_id, COUNT(*) FROM "case" WHERE status = %s GROUP BY student_id '
        'HAVING COUNT(*) > 1 ORDER BY student_id' % db.param, ("open",)).fetchall()
    if doubled:
        students = ", ".join(str(row[0]) for row in doubled[:20])
        raise DuplicateOpenCases(
            f"{len(doubled)} student(s) have more than one open case (student ids {students}"
            f"{'…' if len(doubled) > 20 else ''}): close all but one of each, then migrate again.")
    db.execute_sql('CREATE UNIQUE INDEX "case_one_open_per_student" ON "case" ("student_id") '
                   "WHERE status = 'open'")


def down(migrator, db):
    db.execute_sql('DROP INDEX "case_one_open_per_student"')
