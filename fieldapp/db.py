"""The database proxy and how a URL becomes a connection.

SQLite is the embedded default (WAL, foreign keys, busy timeout); PostgreSQL is
chosen with a postgresql:// URL. Models bind to `database`, a proxy that
create_app initialises, so nothing connects at import time.
"""
import contextlib
import os
import threading
import uuid

from peewee import DatabaseProxy, InterfaceError, Node, OperationalError, PostgresqlDatabase
from playhouse.db_url import parse
from playhouse.pool import PooledPostgresqlDatabase, PooledSqliteDatabase

database = DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "normal",
    "cache_size": -32000,
}


# Each request takes a connection and gives it back at teardown. A new
# PostgreSQL connection costs more than a whole look-up, so connections are
# kept open and reused; a connection older than stale_timeout seconds is
# closed and replaced.
POOL = {"max_connections": 32, "stale_timeout": 300, "timeout": 10}
# A SQLite connection is not replaced with age: it holds no server's state
# or network link to go stale, only its page cache (cache_size, 32 MB) and
# its parsed schema, and every five minutes the request that opened its
# replacement read both again: a district worklist page reads the index of
# every student's standing to count its sections.
SQLITE_POOL = {**POOL, "stale_timeout": None}


class WritingSqliteDatabase(PooledSqliteDatabase):
    """SQLite whose transactions take the write lock when they begin (BEGIN
    IMMEDIATE). A deferred transaction that reads, then writes, fails at once
    with "database is locked" when another connection wrote in between (WAL
    cannot move its snapshot forward); one that asks for the lock first waits
    its turn under busy_timeout. Every transaction here is there to write, so
    nothing is lost by asking first."""

    def begin(self, lock_type=None):
        return super().begin(lock_type or "IMMEDIATE")


class KeptPostgresqlDatabase(PooledPostgresqlDatabase):
    """PostgreSQL on kept connections. Before handing out a kept connection
    the pool asks the server SELECT 1, to find one the server closed
    meanwhile (a restart, an idle connection ended): a round trip of its own
    on every request. A request that begins its transaction at once
    (begin_held) lets its BEGIN ask instead; any other lets its first read
    ask (connect_for_request)."""

    _begin_asks = threading.local()

    def _is_closed(self, conn):
        asks = getattr(self._begin_asks, "on", None)
        if asks and not conn.closed and self._adapter.txn_status(conn) == self._adapter.txn_idle:
            # what the driver knows without asking; the BEGIN, or the first read, asks the server
            self._begin_asks.unchecked = conn if asks == "first read" else None
            return False
        return super()._is_closed(conn)

    @contextlib.contextmanager
    def checked_by_begin(self, asks="begin"):
        self._begin_asks.on = asks
        try:
            yield
        finally:
            self._begin_asks.on = None

    def execute_sql(self, sql, params=None):
        """A statement; the first on a kept connection handed out unchecked
        (checked_by_begin("first read")) is its check: when the server had
        closed it, that read fails before anything ran, and is run again on
        a connection the pool checks as it always does."""
        conn = self._state.conn
        if conn is None or getattr(self._begin_asks, "unchecked", None) is not conn:
            return super().execute_sql(sql, params)
        if not sql.lstrip().upper().startswith("SELECT"):
            self._check_first()  # a write is never sent twice
            return super().execute_sql(sql, params)
        self._begin_asks.unchecked = None
        try:
            return super().execute_sql(sql, params)
        except (OperationalError, InterfaceError):
            if not conn.closed or self.in_transaction():
                raise
        self._reconnect()
        return super().execute_sql(sql, params)

    def begin(self, *args, **kwargs):
        self._check_first()
        return super().begin(*args, **kwargs)

    def _check_first(self):
        """Check an unchecked kept connection as the pool would have (SELECT 1)."""
        conn = self._state.conn
        if conn is not None and getattr(self._begin_asks, "unchecked", None) is conn:
            self._begin_asks.unchecked = None
            if super()._is_closed(conn):
                self._reconnect()

    def _reconnect(self):
        self.close()  # a closed connection is not given back to the pool
        self.connect()


# How long a write waits for SQLite's one writer before it fails, unless the
# settings say (DATABASE_BUSY_SECONDS). An import's apply holds the writer
# for its whole transaction: 5 s made an officer's contact or a front
# office's referral fail with "database is locked" while an import of a few
# seconds was written.
BUSY_SECONDS = 25  # below an app server's request time-out (gunicorn: 30 s)


def open_database(url, busy_seconds=None):
    """Build (but do not connect) a database object for a DATABASE_URL.
    busy_seconds: how long a write waits for another's to end before it
    fails (BUSY_SECONDS when None): SQLite's busy_timeout, PostgreSQL's
    lock_timeout."""
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///"):]
        if path != ":memory:":
            folder = os.path.dirname(os.path.abspath(path))
            os.makedirs(folder, exist_ok=True)
        # A pooled connection is handed to one thread at a time, but not
        # always the thread that opened it.
        pragmas = {**SQLITE_PRAGMAS, "busy_timeout": int((busy_seconds or BUSY_SECONDS) * 1000)}
        return WritingSqliteDatabase(path, pragmas=pragmas, check_same_thread=False, **SQLITE_POOL)
    if url.startswith(("postgresql://", "postgres://")):
        params = parse(url)
        name = params.pop("database")
        # The app's statements are short (a page, a look-up) and stop at a
        # LIMIT; PostgreSQL's JIT judges them by the cost of reading a whole
        # table and compiled the look-up's walk of the name index on every
        # keystroke: about 9 ms of a 13 ms answer on the bench district.
        # An ?options= in DATABASE_URL replaces this.
        # A write waiting on rows another transaction holds (a long import's)
        # gives up after the same wait as on SQLite and answers "busy"
        # (fieldapp.web.database_busy) before an app server's time-out ends
        # the request without a word.
        wait_ms = int((busy_seconds or BUSY_SECONDS) * 1000)
        params.setdefault("options", f"-c jit=off -c lock_timeout={wait_ms}")
        return KeptPostgresqlDatabase(name, **params, **POOL)
    raise ValueError("DATABASE_URL must start with sqlite:/// or postgresql://")


def bind(url, busy_seconds=None):
    """Point the proxy at the database named by url and return it."""
    db = open_database(url, busy_seconds)
    database.initialize(db)
    return db


def is_postgres():
    return isinstance(database.obj, PostgresqlDatabase)


def streamed(query, size=1000):
    """The rows of a query as tuples, `size` at a time, without holding the
    whole result in this process: SQLite's cursor steps through it; on
    PostgreSQL a server-side cursor (WITH HOLD, as the connection commits
    each statement) hands it over a chunk at a time. Yields lists of tuples."""
    sql, params = query.sql()
    if is_postgres():
        cursor = database.connection().cursor(name=f"streamed_{uuid.uuid4().hex}", withhold=True)
        cursor.itersize = size
    else:
        cursor = database.cursor()
    try:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(size):
            yield chunk
    finally:
        cursor.close()


def held_transaction():
    """A transaction a request holds from before its view runs to its end
    (web.ratelimits), marked so: commit_held() commits it part way, and work
    that would be a transaction of its own runs in it (in_held_transaction)."""
    transaction = database.transaction()
    transaction.held = True
    return transaction


def begin_held():
    """Connect (or keep the connection open) and begin a request's held
    transaction; return it. On PostgreSQL the BEGIN is the pool's check of a
    kept connection: one the server closed fails it before anything was done
    on it, and is dropped, and the transaction begun on a connection the
    pool checks as it always does."""
    checked_by_begin = getattr(database.obj, "checked_by_begin", None)
    with checked_by_begin() if checked_by_begin else contextlib.nullcontext():
        database.connect(reuse_if_open=True)
    transaction = held_transaction()
    try:
        transaction.__enter__()
    except (OperationalError, InterfaceError):
        if checked_by_begin is None or not database.connection().closed:
            raise
        database.close()  # a closed connection is not given back to the pool
        database.connect()
        transaction = held_transaction()
        transaction.__enter__()
    return transaction


def in_held_transaction():
    """True directly inside a request's held transaction (not in a savepoint of it)."""
    return database.transaction_depth() == 1 and getattr(database.top_transaction(), "held", False)


def commit_held():
    """Commit what the request's held transaction holds so far and go on in a
    new one, as a batch of many chunks does between chunks so that it holds its
    locks a chunk at a time. Anywhere else it does nothing."""
    if in_held_transaction():
        database.top_transaction().commit()


def connect_for_request():
    """Connect (or keep the connection open) for a request that runs its
    statements one by one. On PostgreSQL a kept connection is handed out
    without the pool's SELECT 1, a round trip of its own on every page: the
    request's first read checks it instead (KeptPostgresqlDatabase.execute_sql)."""
    checked_by_begin = getattr(database.obj, "checked_by_begin", None)
    with checked_by_begin("first read") if checked_by_begin else contextlib.nullcontext():
        database.connect(reuse_if_open=True)


def migrations_folder():
    return os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "migrations")


def migrate():
    """Apply every pending numbered migration; return the names applied."""
    from playhouse.migrations import Runner

    runner = Runner(database.obj, directory=migrations_folder())
    return runner.up()


# -- hot queries, built once -----------------------------------------------------------

class Param(Node):
    """Where a Prepared query takes a value at each run, by name; with an
    index, the value at that index of the list named (a row of an INSERT of
    many, a case of a CASE). converter: what makes the value a database value
    where the place gives none (a row of an INSERT); elsewhere the column
    compared with gives its own."""

    def __init__(self, name, converter=None, index=None):
        super().__init__()
        self.name, self.converter, self.index = name, converter, index

    def __sql__(self, ctx):
        # The placeholder goes where a value would; the converter the value
        # would get there (the column's db_value) is kept for each run's value.
        converter = self.converter or ctx.state.converter
        slot = _Slot(self.name, converter) if self.index is None else _Item(self.name, self.index, converter)
        return ctx.value(slot, converter=False)


class Params(Node):
    """The `count` values of the list `name`, in parentheses: an IN list of a
    query built for each length (PreparedBySize)."""

    def __init__(self, name, count):
        super().__init__()
        self.name, self.count = name, count

    def __sql__(self, ctx):
        converter = ctx.state.converter
        ctx.literal("(")
        for index in range(self.count):
            if index:
                ctx.literal(", ")
            ctx.value(_Item(self.name, index, converter), converter=False)
        return ctx.literal(")")


class _Slot:
    def __init__(self, name, converter):
        self.name, self.converter = name, converter

    def value(self, values):
        value = values[self.name]
        return self.converter(value) if self.converter else value


class _Item(_Slot):
    def __init__(self, name, index, converter):
        super().__init__(name, converter)
        self.index = index

    def value(self, values):
        value = values[self.name][self.index]
        return self.converter(value) if self.converter else value


# What a cursor wrapper holds of its own run, not of its query: never shared.
_PER_RUN = ("cursor", "count", "index", "initialized", "populated", "row_cache")


class Prepared:
    """A query run on every request, whose SQL Peewee builds once per kind of
    database and then runs with each call's values.

    Building the SQL of a select of whole models (each column named, quoted
    and aliased) costs more than SQLite takes to run it: the session check,
    a user's schools and the schools' zones, asked on every page, were a
    tenth of a student page. build() returns the Peewee query, with Param(name)
    where a value goes (not inside IN lists: their length varies); rows come
    back as the query itself would give them (models with their joins, tuples)."""

    def __init__(self, build):
        self._build = build
        self._made = {}  # database class -> (query, sql, params with slots)
        self._shapes = {}  # the same key -> what reading its rows needs (see _wrapped)

    def _made_for(self, db):
        made = self._made.get(type(db))
        if made is None:
            query = self._build()
            sql, params = db.get_sql_context().sql(query).query()
            made = self._made[type(db)] = (query, sql, params)
        return made

    def rows(self, **values):
        """The rows of the query run with these values (name -> value), as a list."""
        db = database.obj
        query, sql, params = self._made_for(db)
        params = [p.value(values) if isinstance(p, _Slot) else p for p in params]
        return list(self._wrapped(type(db), query, db.execute_sql(sql, params)))

    def _wrapped(self, key, query, cursor):
        """The query's cursor wrapper over cursor, told how to read its rows.

        Peewee works out how to read a query's rows (which column is which
        field, its converter, which model of a join it fills) from the
        cursor's columns each time a query runs; for a Prepared query they are
        the same every time, so that is worked out on the first run and
        given to the wrapper of each later one: the session's check on every
        request, and each of the statements of a phone's sync, worked it out
        again on every run."""
        wrapper = query._get_cursor_wrapper(cursor)
        shape = self._shapes.get(key)
        if shape is None:
            if cursor.description is None:  # no rows to read
                return wrapper
            wrapper.initialize()
            shape = self._shapes[key] = {name: value for name, value in wrapper.__dict__.items()
                                         if name not in _PER_RUN}
        wrapper.__dict__.update(shape)
        wrapper.initialized = True
        return wrapper

    def first(self, **values):
        """The first row, or None."""
        found = self.rows(**values)
        return found[0] if found else None

    def run(self, **values):
        """Run a statement that gives back no rows (an INSERT, an UPDATE); how many rows it wrote."""
        db = database.obj
        _, sql, params = self._made_for(db)
        return db.execute_sql(sql, [p.value(values) if isinstance(p, _Slot) else p for p in params]).rowcount


class PreparedBySize(Prepared):
    """A Prepared query whose shape follows a number: an IN list of n values
    (Params), an INSERT of n rows. build(n) returns the query for n; its SQL
    is built once for each n met, up to `keep` of them at a time.

    A phone's sync runs such queries on every request, over the entries and
    cases of its chunk: building their SQL each time cost more than running
    them, and was most of what a request of a few entries costs."""

    def __init__(self, build, keep=32):
        super().__init__(build)
        self._keep = keep

    def _made_for(self, db, size):
        key = (type(db), size)
        made = self._made.get(key)
        if made is None:
            query = self._build(size)
            sql, params = db.get_sql_context().sql(query).query()
            made = (query, sql, params)
            if len(self._made) >= self._keep:
                self._made, self._shapes = {}, {}  # rare: a phone's chunks come in a few sizes
            self._made[key] = made
        return made

    def cursor(self, size, **values):
        """Run the query built for size with these values; its cursor wrapper."""
        db = database.obj
        query, sql, params = self._made_for(db, size)
        params = [p.value(values) if isinstance(p, _Slot) else p for p in params]
        return self._wrapped((type(db), size), query, db.execute_sql(sql, params))

    def rows(self, size, **values):
        return list(self.cursor(size, **values))

    def run(self, size, **values):
        """Run the statement built for size, which gives back no rows; how many rows it wrote."""
        db = database.obj
        _, sql, params = self._made_for(db, size)
        return db.execute_sql(sql, [p.value(values) if isinstance(p, _Slot) else p for p in params]).rowcount

    def first(self, size, **values):
        found = self.rows(size, **values)
        return found[0] if found else None
