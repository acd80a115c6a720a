"""Indexes for the student look-up at district scale.

- student (last_name, first_name, id): a broad look-up ("ma") walks students
  in the order the results are shown and stops at the first page.
- student_search_term (student_id, term): whether one student has a word
  beginning with a query word, answered from the index alone.
"""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_index('student', ('last_name', 'first_name', 'id'), False),
        migrator.add_index('student_search_term', ('student_id', 'term'), False),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index('student_search_term', 'student_search_term_student_id_term'),
        migrator.drop_index('student', 'student_last_name_first_name_id'),
    )
