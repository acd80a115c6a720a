"""A district's first roster fills its tables from nothing: their indexes,
keys and checks are dropped first and built once, when the rows are in
(indexes_built_after)."""
import contextlib

from peewee import IntegrityError

from fieldapp.db import database, is_postgres


@contextlib.contextmanager
def indexes_built_after(*models):
    """Inside the caller's transaction: the secondary indexes of those models'
    tables that hold no row yet are dropped, then built again when the block
    ends. A district's first roster fills them from nothing, and an index
    built once from its rows costs a fraction of one kept up row by row
    (student has five). On PostgreSQL the primary key of such a table goes
    too, when no foreign key names it (1.5 million search words: 3.3 s kept
    up, 1.9 s built after): a row given twice is then refused when the block
    ends, as IntegrityError naming the key. So do the checks that each row
    names a stored row (its foreign keys, and the statement-level checks of
    migration 0360 that stand for some): each ran as each row or page came
    (a student's school: 1.6 s of 250,000; a search word's student: 1.5 s
    of 1.5 million), and once the table is full one join checks them all
    (checked_after). On an error the caller's
    transaction rolls back and takes the indexes back with it, so they are
    built again only on success. (On PostgreSQL, dropping an index locks its
    table until the transaction ends: the tables are empty, so nothing but
    this import uses them; dropping a student's foreign key locks the
    schools too, which nothing but a page listing schools reads while the
    students are locked.)"""
    dropped, keys, links, checks = [], [], [], []
    for model in models:
        table = model._meta.table_name
        if database.execute_sql(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone() is None:
            links += _foreign_keys(table)
            checks += _statement_checks(model)
            for name, definition in _secondary_indexes(table):
                database.execute_sql(f'DROP INDEX "{name}"')
                dropped.append(definition)
            key = _free_primary_key(table)
            if key is not None:
                database.execute_sql(f'ALTER TABLE "{table}" DROP CONSTRAINT "{key[0]}"')
                keys.append((table,) + key)
    for table, name, _ in links:
        database.execute_sql(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    for model, trigger in checks:
        database.execute_sql(f'ALTER TABLE "{model._meta.table_name}" DISABLE TRIGGER "{trigger}"')
    yield
    for table, name, definition in keys:
        _add_key(table, name, definition)
    for definition in dropped:
        database.execute_sql(definition)
    for table, name, definition in links:
        _add_key(table, name, definition)
    for model, trigger in checks:
        database.execute_sql(f'ALTER TABLE "{model._meta.table_name}" ENABLE TRIGGER "{trigger}"')
        checked_after(model)


def _foreign_keys(table):
    """(table, name, definition) of table's foreign keys on PostgreSQL; none on SQLite."""
    if not is_postgres():
        return []
    return [(table, name, definition) for name, definition in database.execute_sql(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
        "AND contype = 'f' ORDER BY conname", (f'"{table}"',)).fetchall()]


def _statement_checks(model):
    """[(model, trigger name)] of the trigger checking, once per statement,
    that each row model's table is given names a stored row (migration 0360:
    search words and guardian links on PostgreSQL), when the table has one."""
    if not is_postgres():
        return []
    table = model._meta.table_name
    trigger = f"{table}_names_stored_rows_insert"
    found = database.execute_sql("SELECT 1 FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname = %s",
                                 (f'"{table}"', trigger)).fetchone()
    return [(model, trigger)] if found else []


def checked_after(model):
    """Check, with one join per foreign key model declares, that every row of
    its table names a stored row (as its statement-level check does for the
    rows of one statement); IntegrityError (SQLSTATE 23503's words) naming the
    first row that does not."""
    table = model._meta.table_name
    for field in model._meta.refs:
        parent, column = field.rel_model._meta.table_name, field.column_name
        bad = database.execute_sql(
            f'SELECT n.* FROM "{table}" n WHERE NOT EXISTS (SELECT 1 FROM "{parent}" p '
            f'WHERE p."{field.rel_field.column_name}" = n."{column}") LIMIT 1').fetchone()
        if bad is not None:
            raise IntegrityError(f'insert or update on table "{table}": {column} names no row of "{parent}": {bad}')


def _free_primary_key(table):
    """(name, definition) of table's primary key on PostgreSQL, None when a
    foreign key names the table (the key cannot go while it does) or on SQLite."""
    if not is_postgres():
        return None  # SQLite keeps a table's rows in its key's order: it cannot be dropped
    return database.execute_sql(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
        "AND contype = 'p' AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' "
        "AND f.confrelid = %s::regclass)", (f'"{table}"', f'"{table}"')).fetchone()


def _add_key(table, name, definition):
    """Add back a primary or foreign key; rows given twice are refused with
    the key they share, as inserting the second would have been (a row naming
    none, as the foreign key refuses it)."""
    try:
        database.execute_sql(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
    except IntegrityError as error:  # "could not create unique index": DETAIL says which rows
        if not definition.startswith("PRIMARY KEY"):
            raise
        diag = getattr(getattr(error, "orig", None), "diag", None)
        detail = getattr(diag, "message_detail", None) or str(error)
        raise IntegrityError(f'duplicate key value violates unique constraint "{name}": {detail}') from error


def _secondary_indexes(table):
    """(name, CREATE INDEX statement) of table's indexes besides its primary key
    and those a constraint uses (a foreign key elsewhere may need one)."""
    if is_postgres():
        return database.execute_sql(
            "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass AND NOT x.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
            (f'"{table}"',)).fetchall()
    # an index SQLite makes for a key or UNIQUE column has no statement of its own (sql NULL)
    return database.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                                "AND sql IS NOT NULL", (table,)).fetchall()
