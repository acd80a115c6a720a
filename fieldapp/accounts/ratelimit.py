"""Rate-limit counters for the `limits` library, kept in the database.

Several app servers share one count, and nothing lives in a process. One
statement adds to a counter and reads it back (INSERT ... ON CONFLICT DO
UPDATE ... RETURNING, on SQLite and PostgreSQL alike), so parallel requests
can never both see the same count nor fail on a first insert. Set
RATELIMIT_STORAGE_URI=redis://host:6379 to keep the counters in Redis instead.
"""
import threading
import time

from limits import parse
from limits.storage import Storage
from peewee import DatabaseError

from fieldapp.db import database
from fieldapp.models import RateLimitCounter

_ADD = """
INSERT INTO rate_limit_counter (key, count, expires_at) VALUES (%(p)s, %(p)s, %(p)s)
ON CONFLICT (key) DO UPDATE SET
  count = CASE WHEN rate_limit_counter.expires_at <= %(p)s THEN excluded.count
               ELSE rate_limit_counter.count + excluded.count END,
  expires_at = CASE WHEN rate_limit_counter.expires_at <= %(p)s THEN excluded.expires_at
                    ELSE rate_limit_counter.expires_at END
RETURNING count, expires_at
"""


class DatabaseStorage(Storage):
    """`fieldapp-db://`: fixed-window counters in the rate_limit_counter table."""
    STORAGE_SCHEME = ["fieldapp-db"]

    def __init__(self, uri=None, wrap_exceptions=False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        # What this thread's last incr() of each key returned, until forget():
        # a request's rate-limit headers read its own count without asking again.
        self._counted = threading.local()

    @property
    def base_exceptions(self):
        return DatabaseError

    def incr(self, key, expiry, amount=1):
        now = time.time()
        sql = _ADD % {"p": database.param}
        if database.is_closed():
            with database.connection_context():
                row = database.execute_sql(sql, (key[:255], amount, now + expiry, now, now)).fetchone()
        else:  # a request's own connection: closing it here would cost the request a new one
            row = database.execute_sql(sql, (key[:255], amount, now + expiry, now, now)).fetchone()
        self._seen()[key[:255]] = (row[0], row[1])
        if database.in_transaction():  # kept for count_again until it commits
            added, count = self._added(), (key, expiry, amount)
            added.append(count)
            database.after_commit(lambda: count in added and added.remove(count))
        return row[0]

    def forget(self):
        """Drop the counts this thread's incr() kept: call when a request starts,
        so each request reads counts it did not add itself from the table."""
        self._counted.__dict__.pop("seen", None)
        self._counted.__dict__.pop("added", None)

    def count_again(self):
        """Add again what this thread's incr() added in a transaction since
        forget(), and was not committed: after that transaction was rolled back
        (a request that failed), so the request is still counted."""
        added, self._counted.added = self._added(), []
        for key, expiry, amount in added:
            self.incr(key, expiry, amount)

    def _added(self):
        if not hasattr(self._counted, "added"):
            self._counted.added = []
        return self._counted.added

    def _seen(self):
        if not hasattr(self._counted, "seen"):
            self._counted.seen = {}
        return self._counted.seen

    def _row(self, key):
        """(count, expires_at) of a key: as this request's incr() left it, else read."""
        seen = self._seen().get(key[:255])
        if seen is not None:
            return seen
        row = RateLimitCounter.get_or_none(RateLimitCounter.key == key[:255])
        return (row.count, row.expires_at) if row else None

    def get(self, key):
        row = self._row(key)
        return row[0] if row and row[1] > time.time() else 0

    def get_expiry(self, key):
        row = self._row(key)
        return row[1] if row and row[1] > time.time() else time.time()

    def check(self):
        try:
            database.execute_sql("SELECT 1")
            return True
        except DatabaseError:
            return False

    def reset(self):
        self.forget()
        return RateLimitCounter.delete().execute()

    def clear(self, key):
        self._seen().pop(key[:255], None)
        RateLimitCounter.delete().where(RateLimitCounter.key == key[:255]).execute()


class PrefixedLimiter:
    """A `limits` rate limiter whose every key starts with prefix, as
    Flask-Limiter's own keys do with RATELIMIT_KEY_PREFIX: installations that
    share one Redis (or test runs) never share a count. An empty prefix adds
    nothing. Same methods as limits.strategies.RateLimiter."""

    def __init__(self, limiter, prefix=""):
        self.limiter = limiter
        self.prefix = (prefix,) if prefix else ()

    def hit(self, item, *identifiers, cost=1):
        return self.limiter.hit(item, *self.prefix, *identifiers, cost=cost)

    def test(self, item, *identifiers, cost=1):
        return self.limiter.test(item, *self.prefix, *identifiers, cost=cost)

    def get_window_stats(self, item, *identifiers):
        return self.limiter.get_window_stats(item, *self.prefix, *identifiers)

    def clear(self, item, *identifiers):
        return self.limiter.clear(item, *self.prefix, *identifiers)


def per_minutes(count, minutes):
    """A limit of count per window of minutes, as a `limits` item."""
    return parse(f"{int(count)} per {int(minutes)} minutes")
