"""Requests that are one transaction from their start: the session's check
(and its touch, or its end), the rate limit's count and the view's writes
commit together, once, before the answer is sent.

A phone syncs a chunk of its outbox many times a minute; a commit of its own
for the count (on PostgreSQL a flush of the log to disk) and statements run
one by one outside a transaction were a fixed cost of every chunk.

When the view fails, the whole is rolled back and the request's rate-limit
count added again, so a request that fails is counted, as when the count
committed on its own.
"""
import contextlib
import functools

from flask import current_app, g
from peewee import DatabaseError

from fieldapp.db import begin_held


def one_transaction(view):
    """Mark a view to run in one transaction from the start of its request."""
    @functools.wraps(view)
    def run(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except BaseException:
            _roll_back()
            raise
    run.one_transaction = True
    return run


def init(app):
    @app.after_request
    def _commit(response):
        # Before the answer leaves: a commit that fails answers 500, never a receipt.
        transaction = g.pop("held_transaction", None)
        if transaction is not None:
            try:
                transaction.__exit__(None, None, None)  # commits, or rolls back and raises
            except BaseException:
                _count_again()
                raise
        return response

    @app.teardown_request
    def _end(exc):  # runs before the connection is given back (registered after it)
        if "held_transaction" in g:
            _roll_back()


def begin_if_wanted(app, endpoint):
    """Connect and begin the request's transaction when its view asks for one
    (one_transaction); True if it did. Otherwise the request connects as any does."""
    view = app.view_functions.get(endpoint)
    if not getattr(view, "one_transaction", False):
        return False
    # kept for the request's end only once begun: a BEGIN that failed (the
    # database busy) left nothing to commit or roll back
    g.held_transaction = begin_held()
    return True


def _roll_back():
    transaction = g.pop("held_transaction", None)
    if transaction is not None:
        failure = RuntimeError("the request failed")
        transaction.__exit__(RuntimeError, failure, None)  # rolls back
        _count_again()


def _count_again():
    from fieldapp.web.ratelimits import EXTENSION
    count_again = getattr(current_app.extensions[EXTENSION].storage, "count_again", None)
    if count_again is not None:  # counters in Redis were never undone
        with contextlib.suppress(DatabaseError):  # the request's own failure is the one to report
            count_again()
