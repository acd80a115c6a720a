"""Checking a log-in, slowing down guessing.

Only failures count. An attempt takes its place in the counts before the
password is checked, with the `limits` library's fixed windows (counters in
the database or Redis, so every app server sees them, and added to in one
atomic statement), so parallel guesses never get more checks than the limit;
a right password gives its place back. In one window at most
LOGIN_MAX_FAILURES passwords are checked for one email from one address, at
most LOGIN_MAX_FAILURES_ACCOUNT failures for one email from anywhere (then the
account is locked until the window ends or an administrator unlocks it), and
an address stops being heard after LOGIN_MAX_FAILURES_ADDRESS failures, whatever
emails it tries. An officer who logs in a hundred times a day is never
counted. Counts are kept for emails with no account too, so the answer never
tells which emails exist.
"""
import math
import time
from collections import namedtuple

from fieldapp.accounts.passwords import DUMMY_HASH, verify_password
from fieldapp.accounts.ratelimit import per_minutes
from fieldapp.messages import Message, plural_message
from fieldapp.models import User

BAD_LOGIN = Message("Email or password is incorrect.")

Throttle = namedtuple("Throttle", "per_account_address per_account per_address minutes")


def throttle_from(config):
    """The log-in Throttle from the app's settings."""
    return Throttle(config["LOGIN_MAX_FAILURES"], config["LOGIN_MAX_FAILURES_ACCOUNT"],
                    config["LOGIN_MAX_FAILURES_ADDRESS"], config["LOGIN_LOCK_MINUTES"])


class LoginRefused(Exception):
    """The log-in failed; `message` (a Message) is safe to show. `user` is the
    account the email names (None when there is none), for the audit trail;
    `locked` says "account" or "address" when this attempt locked it;
    `throttled` is True when it was refused before any password was checked."""

    def __init__(self, message, user=None, locked=None, throttled=False):
        super().__init__(message)
        self.user, self.locked, self.throttled = user, locked, throttled

    @property
    def message(self):
        return self.args[0]


def normalise_email(email):
    return (email or "").strip().lower()


def _items(throttle):
    return (per_minutes(throttle.per_account_address, throttle.minutes),
            per_minutes(throttle.per_account, throttle.minutes),
            per_minutes(throttle.per_address, throttle.minutes))


def wait_message(limiter, item, *keys):
    """How long until the window of item for keys ends, as a Message."""
    reset = limiter.get_window_stats(item, *keys).reset_time
    minutes = max(1, math.ceil((reset - time.time()) / 60))
    return plural_message(
        "Too many failed attempts. Try again in %(minutes)d minute.",
        "Too many failed attempts. Try again in %(minutes)d minutes.", minutes, minutes=minutes)


def authenticate(email, password, address, limiter, throttle):
    """Return the active User for these credentials or raise LoginRefused.

    limiter is a `limits` rate limiter (its storage shared by every app
    server); address is the client's IP address as the app sees it."""
    email = normalise_email(email)[:254]
    if any(ord(c) < 32 or ord(c) == 127 for c in email):
        # No account has such an address, and PostgreSQL refuses NUL in a
        # query: answer like any wrong guess without asking the database.
        raise LoginRefused(BAD_LOGIN)
    pair, account, by_address = _items(throttle)
    if not limiter.test(by_address, "login-address", address):
        raise LoginRefused(wait_message(limiter, by_address, "login-address", address),
                           throttled=True)
    if not limiter.hit(pair, "login", email, address):
        raise LoginRefused(wait_message(limiter, pair, "login", email, address), throttled=True)
    user = User.get_or_none(User.email == email)
    if not limiter.hit(account, "login-account", email):
        raise LoginRefused(wait_message(limiter, account, "login-account", email), user,
                           throttled=True)
    ok = verify_password(user.password_hash if user else DUMMY_HASH, password or "")
    if ok and user.active:
        limiter.clear(pair, "login", email, address)
        give_back(limiter, account, "login-account", email)
        return user
    limiter.hit(by_address, "login-address", address)
    locked = ("account" if not limiter.test(account, "login-account", email) else
              "address" if not limiter.test(pair, "login", email, address) else None)
    raise LoginRefused(BAD_LOGIN, user, locked)


def give_back(limiter, item, *keys):
    """Take back the place an attempt took in item's count for keys before its
    check, because the check passed: only failures count. (Should its window
    have ended meanwhile, the next window starts one lower: one attempt more,
    at most.)"""
    limiter.hit(item, *keys, cost=-1)


def is_locked(email, limiter, throttle):
    """True while the email may not log in from anywhere (too many attempts)."""
    return not limiter.test(_items(throttle)[1], "login-account", normalise_email(email))


def unlock(email, addresses, limiter, throttle):
    """Let email log in again at once: clear its own count and its count from
    each of addresses (those its recent failures came from)."""
    pair, account, _ = _items(throttle)
    email = normalise_email(email)
    limiter.clear(account, "login-account", email)
    for address in addresses:
        limiter.clear(pair, "login", email, address)
