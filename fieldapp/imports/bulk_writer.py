"""Rows written by a thread of their own while the importing thread makes
the next batch (see Writer): on PostgreSQL one COPY stays open while batches
of the same table follow one another."""
import queue
import threading

from peewee import __exception_wrapper__

from fieldapp.db import database, is_postgres
from fieldapp.imports.bulk_copy import copy_sql, copyable, csv_text, write_rows


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
                    if is_postgres() and copyable(batch[1]):
                        after = self._copy_while_same(*batch)
                    else:
                        write_rows(self.cursor, *batch)
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
                self.cursor.copy_expert(copy_sql(model._meta.table_name, fields), stream, size=1 << 20)
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
        return csv_text(self.rows[self.at - self.PIECE:self.at])
