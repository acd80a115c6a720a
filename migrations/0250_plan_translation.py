"""Plans in the family's language, and what each signer was shown.

- plan: the plan's text in the family's language, typed by bilingual staff or
  an interpreter (who, and in what role), and the version it was last checked
  against: a translation of an older version is not shown as current;
- signature: the exact text the signer was shown (and its SHA-256), and who
  read it aloud in the signer's language when it was not written in it.
"""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column('plan', 'translation_language', CharField(default='')),
        migrator.add_column('plan', 'barriers_translated', TextField(default='')),
        migrator.add_column('plan', 'goals_translated', TextField(default='')),
        migrator.add_column('plan', 'school_supports_translated', TextField(default='')),
        migrator.add_column('plan', 'family_commitments_translated', TextField(default='')),
        migrator.add_column('plan', 'student_commitments_translated', TextField(default='')),
        migrator.add_column('plan', 'translated_by', CharField(default='')),
        migrator.add_column('plan', 'translator', CharField(default='')),
        migrator.add_column('plan', 'translated_version', IntegerField(default=0)),
        migrator.add_column('signature', 'text_shown', TextField(default='')),
        migrator.add_column('signature', 'text_sha256', CharField(default='')),
        migrator.add_column('signature', 'interpreter', CharField(default='')),
    )
