"""Inserting many rows fast, without the ORM building SQL value by value
(bulk_copy writes them; inside a bulk_writer.Writer, a thread of its own
does), ids given before the insert, rows found by sourcedId, many rows
updated at once. Runs in the caller's transaction."""
import threading
from sys import intern

from peewee import DateField

from fieldapp.db import database, is_postgres
from fieldapp.imports.bulk_copy import PAGE, iso_dates, write_rows
from fieldapp.imports.bulk_writer import Writer


def insert_rows(model, fields, rows):
    """Insert tuples of values for `fields` (model fields) into model's table
    (by the thread of a Writer, when this thread has one open)."""
    if not rows:
        return
    writer = Writer.open.get(threading.get_ident())
    if writer is not None:
        writer.insert(model, fields, rows)
        return
    write_rows(database.cursor(), model, fields, rows)


def new_ids(model, count):
    """Ids for `count` rows about to be inserted into model's table, as the
    database would give them: from its sequence on PostgreSQL; on SQLite,
    after the largest id (rowids; the caller's transaction holds the write
    lock from its start, so no other writer takes them in between)."""
    table = model._meta.table_name
    if not count:
        return []
    if is_postgres():
        # the sequence named once: pg_get_serial_sequence() in the list would look it up for every id
        (sequence,) = database.execute_sql(f"SELECT pg_get_serial_sequence('\"{table}\"', 'id')").fetchone()
        return [i for (i,) in database.execute_sql(
            "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", (sequence, count))]
    (last,) = database.execute_sql(f'SELECT COALESCE(MAX("id"), 0) FROM "{table}"').fetchone()
    return list(range(last + 1, last + 1 + count))


class NewIds:
    """new_ids() for batch after batch, a block of BLOCK ids read at a time:
    inside a Writer, reading ids waits for the rows handed over, so it is
    done once a block rather than once a batch. Ids of a block left unused
    are gaps in the sequence (PostgreSQL) or read again as the next block
    (SQLite: after the largest id stored)."""
    BLOCK = 50_000

    def __init__(self, model):
        self.model, self.block, self.used = model, [], 0

    def take(self, count):
        if self.used + count > len(self.block):
            self.block, self.used = new_ids(self.model, max(count, self.BLOCK)), 0
        self.used += count
        return self.block[self.used - count:self.used]


def ids_by_sourced_id(model, sids=None):
    """{sourced id: id} of model's rows, all of them or those whose sourced
    id is in `sids` (a list), read with bare SQL: the roster looks up
    hundreds of thousands."""
    table, mark = model._meta.table_name, database.param
    if sids is None:  # one string per sourced id: the roster's plan holds the same ones
        return {intern(sid): i for sid, i in database.execute_sql(f'SELECT "sourced_id", "id" FROM "{table}"')}
    found = {}
    for start in range(0, len(sids), 500):
        part = sids[start:start + 500]
        found.update(database.execute_sql(f'SELECT "sourced_id", "id" FROM "{table}" WHERE "sourced_id" IN '
                                          f'({", ".join([mark] * len(part))})', part).fetchall())
    return found


def update_rows(model, fields, rows):
    """Set `fields` of many rows: each row is (values..., id)."""
    if not rows:
        return
    table = model._meta.table_name
    cursor = database.cursor()
    if is_postgres():
        from psycopg2.extras import execute_batch
        sets = ", ".join(f'"{f.column_name}" = %s' for f in fields)
        execute_batch(cursor, f'UPDATE "{table}" SET {sets} WHERE "id" = %s', rows, page_size=PAGE)
        return
    dates = [i for i, f in enumerate(fields) if isinstance(f, DateField)]
    if dates:
        rows = [iso_dates(row, dates) for row in rows]
    sets = ", ".join(f'"{f.column_name}" = ?' for f in fields)
    cursor.executemany(f'UPDATE "{table}" SET {sets} WHERE "id" = ?', rows)
