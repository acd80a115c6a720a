"""Writing rows as the driver takes them fastest, in the caller's transaction:
executemany on SQLite, COPY on PostgreSQL (execute_values, a page of rows per
statement, where a column's values cannot go through CSV); the text COPY
reads (csv_text) is made here for the bulk Writer too."""
import csv
import datetime
import io

from peewee import (
    AutoField, BigIntegerField, BooleanField, CharField, DateField, DateTimeField, FloatField, ForeignKeyField,
    IntegerField, TextField, __exception_wrapper__,
)

from fieldapp.db import is_postgres

PAGE = 1000


def write_rows(cursor, model, fields, rows):
    """Write rows on cursor; the driver's refusal is raised as peewee's own
    (IntegrityError...), as any statement of the ORM raises it."""
    with __exception_wrapper__:
        _write(cursor, model, fields, rows)


def _write(cursor, model, fields, rows):
    table = model._meta.table_name
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    if is_postgres():
        if copyable(fields):
            _copy(cursor, table, columns, fields, rows)
            return
        from psycopg2.extras import execute_values
        execute_values(cursor, f'INSERT INTO "{table}" ({columns}) VALUES %s', rows, page_size=PAGE)
        return
    dates = [i for i, f in enumerate(fields) if isinstance(f, DateField)]
    if dates:  # stored as ISO text, the way the ORM stores them
        rows = [iso_dates(row, dates) for row in rows]
    marks = ", ".join("?" * len(fields))
    cursor.executemany(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', rows)


# Columns whose values CSV carries as the driver would: text, numbers, yes/no, dates and times.
# (Exact types: a subclass may convert its values, which neither COPY nor execute_values does.)
_CSV_FIELDS = {CharField, TextField, IntegerField, BigIntegerField, AutoField, FloatField, BooleanField,
               DateField, DateTimeField}
COPY_PAGE = 50000


def copyable(fields):
    """Can COPY's CSV carry these columns' values unchanged? A NULL is an
    empty unquoted cell, so a column that may hold NULL must be one whose
    empty text is no value (a date, a time, a number), never text."""
    def plain(f):
        return type(f) in _CSV_FIELDS or (type(f) is ForeignKeyField and type(f.rel_field) in _CSV_FIELDS)
    return all(plain(f) and not (f.null and type(f) in (CharField, TextField)) for f in fields)


def _copy(cursor, table, columns, fields, rows):
    """Load rows with COPY FROM STDIN (CSV): PostgreSQL parses no INSERT
    statement and the driver quotes no value one by one."""
    sql = copy_sql(table, fields)
    for start in range(0, len(rows), COPY_PAGE):
        cursor.copy_expert(sql, io.StringIO(csv_text(rows[start:start + COPY_PAGE])), size=1 << 20)


def copy_sql(table, fields):
    """COPY FROM STDIN of fields' columns as csv_text writes them: None, written ""
    as an empty string is, is NULL through FORCE_NULL, given only for
    columns that are not text."""
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    nullable = ", ".join(f'"{f.column_name}"' for f in fields if f.null)
    options = f", FORCE_NULL ({nullable})" if nullable else ""
    return f'COPY "{table}" ({columns}) FROM STDIN WITH (FORMAT csv{options})'


def csv_text(rows):
    """rows as COPY's CSV: text always quoted (an empty string stays one)."""
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def iso_dates(row, dates):
    row = list(row)
    for i in dates:
        if isinstance(row[i], datetime.date):
            row[i] = row[i].isoformat()
    return row
