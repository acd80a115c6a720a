"""Stored standings are computed again under the notification rule: a call
logged without a case, or by staff whose role does no casework, is a record
of contact and no longer takes a legal notification or report, and one
contact takes one step only (fieldapp.rules.ladder.Evidence). Rows stored
before counted such calls as done steps, so every row is marked stale; the
next reader or the refresh job recomputes it (fieldapp.rules.stored).

The stale flag's triggers keep the tally of fresh rows (migration 0260)."""


def up(migrator, db):
    db.execute_sql(f'UPDATE "student_standing" SET "stale" = {db.param} WHERE NOT "stale"', (True,))


def down(migrator, db):
    pass  # stale rows are recomputed; there is nothing to undo
