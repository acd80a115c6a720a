"""A letter a case owes is made once: one row per case, letter kind and cycle
(the day its step was triggered, or "stage"), kept unique by the database.
Two tabs, two supervisors or two workers printing the same letters at once
each passed the application's check that the letter was still owed, and each
made and logged it; only a unique index refuses the second.

Models here are frozen copies, independent of fieldapp.models."""
from peewee import *


def up(migrator, db):
    def existing(name):
        class Meta:
            database = db
            table_name = name
        return type(name.title().replace('_', ''), (Model,), {'Meta': Meta})

    User, Case, Letter = existing('user'), existing('case'), existing('letter')

    class OwedLetter(Model):
        case = ForeignKeyField(Case, index=False)
        kind = CharField()
        cycle = CharField(max_length=16)
        letter = ForeignKeyField(Letter, null=True)
        made_by = ForeignKeyField(User)
        made_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'owed_letter'
            indexes = ((('case', 'kind', 'cycle'), True),)

    db.create_tables([OwedLetter])


def down(migrator, db):
    db.execute_sql('DROP TABLE IF EXISTS "owed_letter"')
