"""Every enrolment span of a student is kept, not only the latest.

A student who moves from one of the district's schools to another has two
spans (one row per school); days enrolled and missed add up across them.
The one-row-per-student unique index becomes a plain index.
"""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.drop_index('enrollment', 'enrollment_student_id'),
        migrator.add_index('enrollment', ('student_id', 'school_id'), False),
    )


def down(migrator, db):
    # Keep the latest span per student before the unique index returns.
    db.execute_sql('DELETE FROM "enrollment" WHERE "id" NOT IN '
                   '(SELECT MAX("id") FROM "enrollment" GROUP BY "student_id")')
    migrator.migrate(
        migrator.drop_index('enrollment', 'enrollment_student_id_school_id'),
        migrator.add_index('enrollment', ('student_id',), True),
    )
