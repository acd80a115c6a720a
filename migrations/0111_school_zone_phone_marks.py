"""Each school keeps its IANA time zone (empty: the installation's default,
FIELDAPP_TIME_ZONE); numbers marked wrong or disconnected are kept, with who
marked them and from which contact.

Models here are frozen copies, independent of fieldapp.models."""
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Guardian(Model):
        class Meta:
            database = db
            table_name = 'guardian'

    class Contact(Model):
        class Meta:
            database = db
            table_name = 'contact'

    migrator.migrate(migrator.add_column('school', 'time_zone', CharField(default='')))

    class PhoneMark(Model):
        guardian = ForeignKeyField(Guardian, on_delete='CASCADE', index=True)
        field = CharField()
        number = CharField()
        status = CharField()
        marked_by = ForeignKeyField(User)
        marked_at = DateTimeField()
        contact = ForeignKeyField(Contact, null=True)
        class Meta:
            database = db
            table_name = 'phone_mark'
    db.create_tables([PhoneMark])
