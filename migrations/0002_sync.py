"""Sync: conflicts kept for a supervisor, and what each phone last reported.

Models here are frozen copies, independent of fieldapp.models, so this
migration keeps meaning what it meant when it was written."""
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Contact(Model):
        class Meta:
            database = db
            table_name = 'contact'

    class SyncConflict(Model):
        contact_uuid = UUIDField(index=True)
        contact = ForeignKeyField(Contact)
        sender = ForeignKeyField(User)
        payload = TextField()
        payload_hash = CharField()
        errors = TextField(default='')
        device_id = CharField(default='')
        received_at = DateTimeField(index=True)
        resolved_at = DateTimeField(null=True, index=True)
        resolved_by = ForeignKeyField(User, null=True)
        resolution = CharField(default='')
        resolution_note = TextField(default='')
        added_contact = ForeignKeyField(Contact, null=True)
        class Meta:
            database = db
            table_name = 'sync_conflict'
            indexes = ((('contact_uuid', 'payload_hash'), True),)
    db.create_tables([SyncConflict])

    class DeviceReport(Model):
        device_id = CharField(unique=True)
        user = ForeignKeyField(User)
        pending = IntegerField(default=0)
        oldest_pending_at = DateTimeField(null=True, index=True)
        last_sync_at = DateTimeField()
        user_agent = CharField(default='')
        class Meta:
            database = db
            table_name = 'device_report'
    db.create_tables([DeviceReport])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('device_report'))
    migrator.migrate(migrator.drop_table('sync_conflict'))
