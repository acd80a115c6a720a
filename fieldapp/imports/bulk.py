"""Inserting many rows fast: the driver's executemany on SQLite and COPY on
PostgreSQL (execute_values, a page of rows per statement, where a column's
values cannot go through CSV), without the ORM building SQL value by value.
Runs in the caller's transaction."""
import contextlib
import csv
import datetime
import io
import queue
import threading
from sys import intern

from peewee import (
    AutoField, BigIntegerField, BooleanField, CharField, DateField, DateTimeField, FloatField, ForeignKeyField,
    IntegerField, IntegrityError, TextField, __exception_wrapper__,
)

from fieldapp.db import database, is_postgres

PAGE = 1000


def insert_rows(model, fields, rows):
    """Insert tuples of values for `fields` (model fields) into model's table
    (by the thread of a Writer, when this thread has one open)."""
    if not rows:
        return
    writer = Writer.open.get(threading.get_ident())
    if writer is not None:
        writer.insert(model, fields, rows)
        return
    _insert(database.cursor(), model, fields, rows)


def _insert(cursor, model, fields, rows):
    """Write rows on cursor; the driver's refusal is raised as peewee's own
    (IntegrityError...), as any statement of the ORM raises it."""
    with __exception_wrapper__:
        _write(cursor, model, fields, rows)


def _write(cursor, model, fields, rows):
    table = model._meta.table_name
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    if is_postgres():
        if _copyable(fields):
            _copy(cursor, table, columns, fields, rows)
            return
        from psycopg2.extras import execute_values
        execute_values(cursor, f'INSERT INTO "{table}" ({columns}) VALUES %s', rows, page_size=PAGE)
        return
    dates = [i for i, f in enumerate(fields) if isinstance(f, DateField)]
    if dates:  # stored as ISO text, the way the ORM stores them
        rows = [_iso(row, dates) for row in rows]
    marks = ", ".join("?" * len(fields))
    cursor.executemany(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', rows)


class Writer:
    """Rows inserted by a thread of its own while the caller makes the next
    batch: with Writer(): each insert_rows of this thread is handed over and
    written in the order given, on this thread's connection and transaction.
    The database does its part meanwhile: SQLite keeps its tables and indexes
    up, PostgreSQL parses and stores a COPY, while this thread reads the plan
    and makes words and ids. Any other statement of this thread first waits
    for the rows handed over (it may read them, and SQLite takes one
    statement at a time). At most WAITING batches wait, so memory stays
    bounded; the block ends when every row is written, and an error writing
    them is raised here. Nothing else of this thread may use the connection
    behind the database's back (database.connection()) inside the block."""
    WAITING = 1
    open = {}  # thread id -> its open Writer
    guarded = None  # the database whose statements wait, while any Writer is open
    lock = threading.Lock()

    def __enter__(self):
        self.owner = threading.get_ident()
        if self.owner in Writer.open:
            raise RuntimeError("a Writer is already open on this thread")
        self.cursor = database.cursor()
        self.batches, self.error = queue.Queue(self.WAITING), None
        self.thread = threading.Thread(target=self._write, name="bulk-writer", daemon=True)
        self.thread.start()
        with Writer.lock:
            if not Writer.open:  # this thread's other statements wait their turn (another's, for its own)
                Writer.guarded = database.obj
                for name in ("execute_sql", "cursor"):
                    setattr(Writer.guarded, name, _after_writes(getattr(Writer.guarded, name)))
            Writer.open[self.owner] = self
        return self

    def insert(self, model, fields, rows):
        if self.error is not None:
            raise self.error
        self.batches.put((model, fields, rows))

    def _write(self):
        batch = self.batches.get()
        while batch is not _END:
            after = None
            try:
                if batch is not _WRITTEN and self.error is None:  # after an error, the rest is dropped
                    if is_postgres() and _copyable(batch[1]):
                        after = self._copy_while_same(*batch)
                    else:
                        _insert(self.cursor, *batch)
            except Exception as error:  # noqa: BLE001 (raised again in the caller's thread)
                self.error = error
            finally:
                self.batches.task_done()
            batch = self.batches.get() if after is None else after
        self.batches.task_done()

    def _copy_while_same(self, model, fields, rows):
        """One COPY of rows and of the batches after them into the same
        columns, read as they come: PostgreSQL stores one while the caller
        makes the next and this thread writes it out as CSV. The COPY ends at
        a batch of another table, or when the caller waits (wait()); that
        batch (or _WRITTEN, or _END) is returned, not yet written (None if
        the COPY failed before)."""
        stream = _Batches(self.batches, (model, [f.name for f in fields]), rows)
        try:
            with __exception_wrapper__:
                self.cursor.copy_expert(_copy_sql(model._meta.table_name, fields), stream, size=1 << 20)
        except Exception as error:  # noqa: BLE001 (raised again in the caller's thread)
            self.error = error
        for _ in range(stream.taken):
            self.batches.task_done()
        return stream.after

    def wait(self):
        """Return once every row handed over is written (raise its error, if any)."""
        self.batches.put(_WRITTEN)  # a COPY waiting for more rows ends here
        self.batches.join()
        if self.error is not None:
            raise self.error

    def __exit__(self, kind, value, traceback):
        if kind is not None and self.error is None:
            self.error = value  # the caller failed: what is still waiting is not written
        self.batches.put(_END)
        self.thread.join()
        with Writer.lock:
            del Writer.open[self.owner]
            if not Writer.open:
                for name in ("execute_sql", "cursor"):
                    delattr(Writer.guarded, name)
                Writer.guarded = None
        if kind is None and self.error is not None:
            raise self.error


def _after_writes(method):
    """method, run once the rows its thread's Writer was handed are written."""
    def waiting(*args, **kwargs):
        writer = Writer.open.get(threading.get_ident())
        if writer is not None:
            writer.wait()
        return method(*args, **kwargs)
    return waiting


# Columns whose values CSV carries as the driver would: text, numbers, yes/no, dates and times.
# (Exact types: a subclass may convert its values, which neither COPY nor execute_values does.)
_CSV_FIELDS = {CharField, TextField, IntegerField, BigIntegerField, AutoField, FloatField, BooleanField,
               DateField, DateTimeField}
COPY_PAGE = 50000


def _copyable(fields):
    """Can COPY's CSV carry these columns' values unchanged? A NULL is an
    empty unquoted cell, so a column that may hold NULL must be one whose
    empty text is no value (a date, a time, a number), never text."""
    def plain(f):
        return type(f) in _CSV_FIELDS or (type(f) is ForeignKeyField and type(f.rel_field) in _CSV_FIELDS)
    return all(plain(f) and not (f.null and type(f) in (CharField, TextField)) for f in fields)


def _copy(cursor, table, columns, fields, rows):
    """Load rows with COPY FROM STDIN (CSV): PostgreSQL parses no INSERT
    statement and the driver quotes no value one by one."""
    sql = _copy_sql(table, fields)
    for start in range(0, len(rows), COPY_PAGE):
        cursor.copy_expert(sql, io.StringIO(_csv(rows[start:start + COPY_PAGE])), size=1 << 20)


def _copy_sql(table, fields):
    """COPY FROM STDIN of fields' columns as _csv writes them: None, written ""
    as an empty string is, is NULL through FORCE_NULL, given only for
    columns that are not text."""
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    nullable = ", ".join(f'"{f.column_name}"' for f in fields if f.null)
    options = f", FORCE_NULL ({nullable})" if nullable else ""
    return f'COPY "{table}" ({columns}) FROM STDIN WITH (FORMAT csv{options})'


def _csv(rows):
    """rows as COPY's CSV: text always quoted (an empty string stays one)."""
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


# Handed to a Writer by wait(): what is handed over before it is to be written now; by its end: no more.
_WRITTEN, _END = object(), object()


class _Batches:
    """A file COPY reads (read()): rows, then the batches of the same table
    and columns (key) that come after them on the queue, as CSV, a PIECE of
    rows at a time (PostgreSQL stores one while the next is written out).
    Reading stops at anything else (kept as `after`); taken counts the
    batches read from the queue."""
    PIECE = 2000

    def __init__(self, batches, key, rows):
        self.batches, self.key, self.rows, self.at = batches, key, rows, 0
        self.taken, self.after = 0, None

    def read(self, size=-1):
        while self.at >= len(self.rows):
            if self.after is not None:
                return ""
            batch = self.batches.get()
            if batch is _END or batch is _WRITTEN or (batch[0], [f.name for f in batch[1]]) != self.key:
                self.after = batch
                return ""
            self.taken += 1
            self.rows, self.at = batch[2], 0
        self.at += self.PIECE
        return _csv(self.rows[self.at - self.PIECE:self.at])


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
