"""Inserting many rows fast: the driver's executemany on SQLite and
execute_values on PostgreSQL (a page of rows per statement), without the
ORM building SQL value by value. Runs in the caller's transaction."""
import datetime
from sys import intern

from peewee import DateField

from fieldapp.db import database, is_postgres

PAGE = 1000


def insert_rows(model, fields, rows):
    """Insert tuples of values for `fields` (model fields) into model's table."""
    if not rows:
        return
    table = model._meta.table_name
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    cursor = database.cursor()
    if is_postgres():
        from psycopg2.extras import execute_values
        execute_values(cursor, f'INSERT INTO "{table}" ({columns}) VALUES %s', rows, page_size=PAGE)
        return
    dates = [i for i, f in enumerate(fields) if isinstance(f, DateField)]
    if dates:  # stored as ISO text, the way the ORM stores them
        rows = [_iso(row, dates) for row in rows]
    marks = ", ".join("?" * len(fields))
    cursor.executemany(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', rows)


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


def _iso(row, dates):
    row = list(row)
    for i in dates:
        if isinstance(row[i], datetime.date):
            row[i] = row[i].isoformat()
    return row


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
        rows = [_iso(row, dates) for row in rows]
    sets = ", ".join(f'"{f.column_name}" = ?' for f in fields)
    cursor.executemany(f'UPDATE "{table}" SET {sets} WHERE "id" = ?', rows)
