"""An officer's open cases in follow-up order, walked from one index: the
caseload is paged, and a page is read without sorting thousands of cases."""
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_index('case', ('officer_id', 'status', 'next_follow_up'), False))


def down(migrator, db):
    migrator.migrate(migrator.drop_index('case', 'case_officer_id_status_next_follow_up'))
