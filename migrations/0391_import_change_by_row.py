"""An import's changes to one row, found by the row: a student's page says
why the student is inactive (the import that marked them so) without
reading every change every import made."""
from peewee import *


def up(migrator, db):
    db.execute_sql('CREATE INDEX IF NOT EXISTS "import_change_table_row_id" ON "import_change" ("table", "row_id", "id")')


def down(migrator, db):
    db.execute_sql('DROP INDEX IF EXISTS "import_change_table_row_id"')
