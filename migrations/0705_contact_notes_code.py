"""What the app itself writes in a contact's notes is kept as a code and its
values (contact.notes_code, notes_values: JSON), said in the reader's
language (fieldapp.cases.contact_notes.NOTES), as a case's history notes
are (migration 0510); contact.notes keeps only what a person typed. The app
wrote an English sentence into the notes of the contact that logs each
letter it makes ("Truancy notification (ca-first-notice v2, Spanish) to
Rosa Díaz."); Spanish pages and files showed it in English.

Contacts are never edited in place: the sentences already stored stay as
they are, and are recognised where they are shown
(fieldapp.cases.contact_notes.said_in_notes).

On SQLite the columns are added by ALTER TABLE itself: the migrator makes
a column that may not be empty by rebuilding the table, and the contact's
triggers that mark a standing stale would go with the old table (see
migration 0691). PostgreSQL keeps a table's triggers when a column is added.

Models here are frozen copies, independent of fieldapp.models."""
from peewee import CharField, PostgresqlDatabase, TextField


def up(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        migrator.migrate(migrator.add_column("contact", "notes_code", CharField(default="")),
                         migrator.add_column("contact", "notes_values", TextField(default="")))
        return
    db.execute_sql("ALTER TABLE \"contact\" ADD COLUMN \"notes_code\" VARCHAR(255) NOT NULL DEFAULT ''")
    db.execute_sql("ALTER TABLE \"contact\" ADD COLUMN \"notes_values\" TEXT NOT NULL DEFAULT ''")


def down(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        migrator.migrate(migrator.drop_column("contact", "notes_values"),
                         migrator.drop_column("contact", "notes_code"))
        return
    db.execute_sql('ALTER TABLE "contact" DROP COLUMN "notes_values"')
    db.execute_sql('ALTER TABLE "contact" DROP COLUMN "notes_code"')
