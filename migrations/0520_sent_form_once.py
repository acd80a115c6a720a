"""A write form is done once: each form carries a key, and the key with the
form's content is stored as it is sent (fieldapp.web.once). A double click or
a browser that sent the form twice got the second copy done again, or told
it failed when the first had worked.

Models here are frozen copies, independent of fieldapp.models."""
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class SentForm(Model):
        digest = CharField(primary_key=True, max_length=64)
        user = ForeignKeyField(User, on_delete='CASCADE', index=True)
        sent_at = DateTimeField()
        location = CharField(max_length=2000, null=True)
        messages = TextField(null=True)

        class Meta:
            database = db
            table_name = 'sent_form'

    db.create_tables([SentForm])


def down(migrator, db):
    db.execute_sql('DROP TABLE IF EXISTS "sent_form"')
