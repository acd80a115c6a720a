"""Stored standings read by school: the worklist's sections of some schools in
due order, and the count of a school's fresh rows."""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_index('student_standing', ('school_id', 'section', 'next_due_on'), False),
        migrator.add_index('student_standing', ('as_of', 'rules_key', 'stale'), False),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index('student_standing', 'student_standing_as_of_rules_key_stale'),
        migrator.drop_index('student_standing', 'student_standing_school_id_section_next_due_on'),
    )
