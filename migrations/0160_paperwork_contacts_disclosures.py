"""Paperwork a family can act on and a board can trust.

- school: address and phone, printed on every letter (OneRoster orgs where the
  export carries them, else typed by an administrator);
- user: a phone, printed on letters beside the officer's name;
- access_log: the document a disclosure gave out and to whom (the database
  defaults the recipient to '' so lines written by INSERT ... SELECT need not name one);
- document_record: who a document was made for, and its language;
- signature: the language the signer was shown the plan in;
- case: a stage the law defines (first notice, board referral) set with no
  letter of that step on file says so. Cases already standing there without
  one are marked.
"""
from peewee import *


def up(migrator, db):
    class DocumentRecord(Model):
        class Meta:
            database = db
            table_name = 'document_record'

    migrator.migrate(
        migrator.add_column('school', 'address', TextField(default='')),
        migrator.add_column('school', 'phone', CharField(default='')),
        migrator.add_column('user', 'phone', CharField(default='')),
        migrator.add_column('access_log', 'document_id',
                            ForeignKeyField(DocumentRecord, null=True, field=DocumentRecord.id)),
        migrator.add_column('access_log', 'recipient',
                            CharField(default='', constraints=[SQL("DEFAULT ''")])),
        migrator.add_column('document_record', 'recipient', CharField(default='')),
        migrator.add_column('document_record', 'language', CharField(default='en')),
        migrator.add_column('signature', 'language', CharField(default='')),
        migrator.add_column('case', 'stage_without_record', BooleanField(default=False)),
    )
    for stage, kind in (('first_notice', 'first_notice'), ('referral', 'referral_notice')):
        db.execute_sql(
            'UPDATE "case" SET "stage_without_record" = %s WHERE "stage" = %s AND NOT EXISTS '
            '(SELECT 1 FROM "letter" WHERE "letter"."case_id" = "case"."id" AND "letter"."kind" = %s)'
            .replace('%s', db.param), (True, stage, kind))
