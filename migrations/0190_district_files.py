"""District files as districts produce them.

- school.identifier: the school's code (OneRoster orgs.csv `identifier`,
  Ed-Fi's schoolId, e.g. 255901001); attendance and calendar rows name a
  school by its sourcedId or by this code.
- import_run.date_order: the order of day and month the administrator said a
  file's slash dates use ('' not said, 'month-first', 'day-first'), so a
  preview applied later reads the file the same way.
- import_run.notes_json: what an import read but did not use (ignored
  columns, orgs that are not schools, identifiers shared by several
  students) and what it derived (a calendar's year and school days), shown
  in the preview and kept in the history.
"""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column('school', 'identifier', CharField(default='')),
        migrator.add_column('import_run', 'date_order', CharField(default='')),
        migrator.add_column('import_run', 'notes_json', TextField(default='[]')),
        migrator.add_index('school', ('identifier',), False),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index('school', 'school_identifier'),
        migrator.drop_column('import_run', 'notes_json'),
        migrator.drop_column('import_run', 'date_order'),
        migrator.drop_column('school', 'identifier'),
    )
