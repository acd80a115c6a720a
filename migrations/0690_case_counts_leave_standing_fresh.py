"""A case's contact count, last contact and next follow-up no longer mark its
student's stored standing stale when they alone are written.

They are derived from the case's contacts (fieldapp.cases.contacts), and the
standing reads none of them (fieldapp.rules.standing reads a case's status,
flags and year): the contacts that move them on mark the standing stale by
their own trigger (migration 0181). Yet every UPDATE of a case fired the
case's trigger, which looked the student's standing up twice to find it
already stale: a phone's chunk of 50 entries moves up to 50 cases on, so
1,000 entries sent 50 at a time ran it 1,000 times where one batch runs it
once per case. The case's trigger now fires on an UPDATE that writes any of
its other columns, named here; tests/unit/test_stored_standing.py checks that
they are every column of the table but these three, so a column added later
must be named here again.
"""
from peewee import PostgresqlDatabase

DERIVED = ("contact_count", "last_contact_at", "next_follow_up")


def _watched(db):
    """Every column of the case table but the derived ones, in table order."""
    return [c.name for c in db.get_columns("case") if c.name not in DERIVED]


def _of(columns):
    """' OF "a", "b"' for an UPDATE trigger on these columns; '' for one on any."""
    return (" OF " + ", ".join(f'"{name}"' for name in columns)) if columns else ""


def _sqlite_update_trigger(db, columns):
    db.execute_sql('DROP TRIGGER IF EXISTS "standing_stale_case_update"')
    watched = _of(columns)
    db.execute_sql(f'CREATE TRIGGER "standing_stale_case_update" AFTER UPDATE{watched} ON "case" BEGIN '
                   'UPDATE student_standing SET stale = 1 WHERE student_id = OLD.student_id AND stale = 0; '
                   'UPDATE student_standing SET stale = 1 WHERE student_id = NEW.student_id AND stale = 0; END')


def _postgres_trigger(db, columns):
    db.execute_sql('DROP TRIGGER IF EXISTS "standing_stale_case" ON "case"')
    watched = _of(columns)
    db.execute_sql(f'CREATE TRIGGER "standing_stale_case" AFTER INSERT OR DELETE OR UPDATE{watched} '
                   'ON "case" FOR EACH ROW EXECUTE FUNCTION standing_stale()')


def up(migrator, db):
    columns = _watched(db)
    if isinstance(db, PostgresqlDatabase):
        _postgres_trigger(db, columns)
    else:
        _sqlite_update_trigger(db, columns)


def down(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        _postgres_trigger(db, [])
    else:
        _sqlite_update_trigger(db, [])
