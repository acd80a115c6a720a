"""What a piece of code asks the database, and the plan SQLite takes for it,
for tests that a query is served by the index meant for it."""
from fieldapp.db import database, is_postgres


def recorded(run, table):
    """(what run() returned, [(sql, params)] of the statements it ran that read table)."""
    statements = []
    hook = lambda event: statements.append((event.sql, event.params))  # noqa: E731
    database.obj.query_hooks.append(hook)
    try:
        found = run()
    finally:
        database.obj.query_hooks.remove(hook)
    return found, [(sql, params) for sql, params in statements if f'FROM "{table}"' in sql]


def sqlite_plan(sql, params):
    """SQLite's EXPLAIN QUERY PLAN of a statement, its steps joined by ' | ';
    None on PostgreSQL, whose plan follows its statistics."""
    if is_postgres():
        return None
    return " | ".join(row[3] for row in database.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall())
