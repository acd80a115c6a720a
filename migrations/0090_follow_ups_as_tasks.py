"""Follow-ups become tasks: a case's follow-up stays until it is done or replaced on
purpose, instead of being whatever the newest contact said (a blank included).

Each open case's follow-up is taken from the newest contact that planned one (a
contact with no date no longer erases it), so follow-ups that were blanked by a
quick call or a letter come back; one already past its date shows as overdue.

Models here are frozen copies, independent of fieldapp.models."""
import datetime

from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Case(Model):
        status = CharField()
        next_follow_up = DateField(null=True)
        class Meta:
            database = db
            table_name = 'case'

    class Contact(Model):
        case = ForeignKeyField(Case)
        follow_up_on = DateField(null=True)
        occurred_at = DateTimeField()
        amends = ForeignKeyField('self', null=True)
        class Meta:
            database = db
            table_name = 'contact'

    class FollowUp(Model):
        case = ForeignKeyField(Case, index=True)
        due_on = DateField(index=True)
        planned_by = ForeignKeyField(Contact, null=True, unique=True)
        created_at = DateTimeField()
        status = CharField(default='open', index=True)
        closed_at = DateTimeField(null=True)
        closed_by = ForeignKeyField(User, null=True)
        class Meta:
            database = db
            table_name = 'follow_up'
    db.create_tables([FollowUp])

    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    amended = Contact.select(Contact.amends).where(Contact.amends.is_null(False))
    planned = (Contact.select(Contact.case, Contact.id, Contact.follow_up_on, Contact.occurred_at)
               .join(Case).where((Case.status == 'open') & Contact.follow_up_on.is_null(False)
                                 & ~(Contact.id.in_(amended)))
               .order_by(Contact.case, Contact.occurred_at.desc(), Contact.id.desc()).tuples())
    latest = {}
    for case_id, contact_id, due_on, _ in planned:
        latest.setdefault(case_id, (contact_id, due_on))
    rows = [{'case': case_id, 'due_on': due_on, 'planned_by': contact_id, 'created_at': now,
             'status': 'open'} for case_id, (contact_id, due_on) in latest.items()]
    with db.atomic():
        for start in range(0, len(rows), 500):
            FollowUp.insert_many(rows[start:start + 500]).execute()
        for case_id, (_, due_on) in latest.items():
            Case.update(next_follow_up=due_on).where(Case.id == case_id).execute()


def down(migrator, db):
    migrator.migrate(migrator.drop_table('follow_up'))
