"""A contact keeps its author's role at the time they made it
(contact.author_role). Whether a contact is casework that carries the law's
steps (a notification, a report) or only a record of contact depends on the
author's role (fieldapp.policy.does_casework), and the law looks at who made
the contact when it was made: a front-office clerk's call stays a record
when the clerk later becomes an officer, and an officer's home visit stays
casework when they move to the front office. The standings read the role
stored with the contact, so changing an account's role changes no stored
standing.

Contacts already stored take their author's role now, the best that is
known of it; no standing changes by that.

Models here are frozen copies, independent of fieldapp.models."""
from peewee import CharField


def up(migrator, db):
    migrator.migrate(migrator.add_column("contact", "author_role", CharField(default="")))
    backfill(db)


def backfill(db):
    """Each contact stored without a role takes its author's role now."""
    db.execute_sql('UPDATE "contact" SET author_role = (SELECT u.role FROM "user" u WHERE u.id = "contact".author_id) '
                   "WHERE author_role = ''")


def down(migrator, db):
    migrator.migrate(migrator.drop_column("contact", "author_role"))
