"""A form answered in place (cases assigned from the queue with some left and
why, a hand-over with cases it could not move) keeps the page it answered
(sent_form.page), so the same form sent again gets that same page: the
repeat got the success message alone, without the list of cases left.

Models here are frozen copies, independent of fieldapp.models."""
from peewee import TextField


def up(migrator, db):
    migrator.migrate(migrator.add_column("sent_form", "page", TextField(null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("sent_form", "page"))
