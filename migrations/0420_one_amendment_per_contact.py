"""A contact is corrected once: at most one contact amends any contact, kept
by a unique index, so corrections form one chain per contact. Two people
correcting the same contact at the same moment each passed the application's
"already corrected" check, and the contact got two competing corrections,
both counted on the case; only the database can refuse the second.

A database that already holds such a pair keeps both contacts, nothing
deleted: each later correction (by order of receipt) is chained after the
one before it, so it amends that correction instead of the original (the
later one stands, as the timeline already showed it last), and the counts
of the cases touched are derived again.

Models here are frozen copies, independent of fieldapp.models."""


def _rechain(db):
    """Chain later duplicate corrections after the earlier ones; the case ids touched."""
    p = db.param
    rows = db.execute_sql(
        'SELECT id, amends_id, case_id FROM "contact" WHERE amends_id IN ('
        'SELECT amends_id FROM "contact" WHERE amends_id IS NOT NULL '
        'GROUP BY amends_id HAVING COUNT(*) > 1) ORDER BY amends_id, id').fetchall()
    previous, cases = {}, set()
    for contact_id, amends_id, case_id in rows:
        if amends_id in previous:
            # Follow the chain to its end: the earlier correction may itself be corrected.
            tail = previous[amends_id]
            while True:
                after = db.execute_sql(f'SELECT id FROM "contact" WHERE amends_id = {p} AND id <> {p}',
                                       (tail, contact_id)).fetchone()
                if after is None:
                    break
                tail = after[0]
            db.execute_sql(f'UPDATE "contact" SET amends_id = {p} WHERE id = {p}', (tail, contact_id))
            cases.add(case_id)
        previous[amends_id] = contact_id
    return sorted(c for c in cases if c is not None)


def _recount(db, case_ids):
    p = db.param
    for case_id in case_ids:
        db.execute_sql(
            f'UPDATE "case" SET contact_count = (SELECT COUNT(*) FROM "contact" c WHERE c.case_id = {p} '
            f'AND NOT EXISTS (SELECT 1 FROM "contact" a WHERE a.amends_id = c.id)), '
            f'last_contact_at = (SELECT MAX(c.occurred_at) FROM "contact" c WHERE c.case_id = {p} '
            f'AND NOT EXISTS (SELECT 1 FROM "contact" a WHERE a.amends_id = c.id)) WHERE id = {p}',
            (case_id, case_id, case_id))


def up(migrator, db):
    _recount(db, _rechain(db))  # the runner holds the migration in one transaction
    db.execute_sql('CREATE UNIQUE INDEX "contact_amends_once" ON "contact" ("amends_id")')


def down(migrator, db):
    db.execute_sql('DROP INDEX "contact_amends_once"')
