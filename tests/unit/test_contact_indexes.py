"""The contact and case tables keep no index that a wider one already holds
(migrations 0710, 0711): every contact stored, one by one or from a phone's
chunk, writes an entry in each index, and a chunk spread over many cases
wrote a page of the case's own index for each; a case row moved on by a
chunk and not updated in place writes one in each of the case's. The
queries that used the narrow ones still find their rows through an index."""
from fieldapp.db import database, is_postgres
from fieldapp.models import Contact
from tests import factories
from tests.migration_support import migration


def _indexes():
    return {i.name: tuple(i.columns) for i in database.get_indexes("contact")}


def _held_by_wider(table):
    """The table's plain indexes whose columns another index (not partial: a
    WHERE leaves rows out) starts with."""
    indexes = database.get_indexes(table)
    whole = [tuple(i.columns) for i in indexes if " WHERE " not in (i.sql or "").upper()]
    return sorted(i.name for i in indexes if not i.unique and sum(
        wider[:len(i.columns)] == tuple(i.columns) for wider in whole) > 1)


def test_no_contact_index_is_the_start_of_another(app):
    assert _held_by_wider("contact") == []
    for wider in (("case_id", "occurred_at"), ("author_id", "received_at"), ("amends_id",)):
        assert wider in _indexes().values()


def _plan(query):
    sql, params = query.sql()
    prefix = "EXPLAIN " if is_postgres() else "EXPLAIN QUERY PLAN "
    return " ".join(str(row[-1]) for row in database.execute_sql(prefix + sql, params).fetchall())


def test_a_cases_and_an_authors_contacts_are_found_by_index(app):
    school = factories.gen_school("North")
    officer = factories.gen_user("officer", [school])
    case = factories.gen_case(factories.gen_student(school), officer)
    factories.gen_contact(case, officer)
    if is_postgres():
        database.execute_sql("SET enable_seqscan = off")  # a table of one row: ask whether an index serves
    try:
        by_case = _plan(Contact.select().where(Contact.case == case.id).order_by(Contact.occurred_at))
        by_author = _plan(Contact.select().where(Contact.author == officer.id))
        amended = _plan(Contact.select().where(Contact.amends == 1))
    finally:
        if is_postgres():
            database.execute_sql("RESET enable_seqscan")
    assert "contact_case_id_occurred_at" in by_case
    assert "contact_author_id_received_at" in by_author
    assert "contact_amends_once" in amended


def test_the_migration_down_and_up_again(app):
    step = migration("0710_contact_indexes_held_by_others.py")
    with database.atomic():
        step.down(None, database)
        assert {"contact_case_id", "contact_author_id", "contact_amends_id"} <= _indexes().keys()
        step.up(None, database)
    assert not {"contact_case_id", "contact_author_id", "contact_amends_id"} & _indexes().keys()


def test_no_case_index_is_the_start_of_another(app):
    assert _held_by_wider("case") == []


def test_case_pages_keep_room_for_updates_in_place(app):
    if is_postgres():
        options = database.execute_sql("SELECT reloptions FROM pg_class WHERE relname = 'case'").fetchone()[0]
        assert "fillfactor=40" in options
    step = migration("0711_case_rows_updated_in_place.py")
    with database.atomic():
        step.down(None, database)
        assert {"case_status", "case_officer_id", "case_officer_id_status"} <= {
            i.name for i in database.get_indexes("case")}
        step.up(None, database)
    assert not {"case_status", "case_officer_id", "case_officer_id_status"} & {
        i.name for i in database.get_indexes("case")}
