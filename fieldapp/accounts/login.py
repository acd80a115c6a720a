"""Checking a log-in, slowing down guessing.

Failures are counted per email typed, in the database (so every app server
sees them), whether or not an account exists, so the answer never tells which.
"""
import datetime

from fieldapp.accounts.passwords import DUMMY_HASH, verify_password
from fieldapp.messages import Message, plural_message
from fieldapp.models import LoginThrottle, User, utcnow

BAD_LOGIN = Message("Email or password is incorrect.")


class LoginRefused(Exception):
    """The log-in failed; the message (a Message) is safe to show."""

    @property
    def message(self):
        return self.args[0]


def normalise_email(email):
    return (email or "").strip().lower()


def authenticate(email, password, max_failures=5, lock_minutes=15, now=None):
    """Return the active User for these credentials or raise LoginRefused."""
    now = now or utcnow()
    email = normalise_email(email)
    if any(ord(c) < 32 or ord(c) == 127 for c in email):
        # No account has such an address, and PostgreSQL refuses NUL in a
        # query: answer like any wrong guess without asking the database.
        raise LoginRefused(BAD_LOGIN)
    throttle = LoginThrottle.get_or_none(LoginThrottle.email == email)
    if throttle and throttle.locked_until and throttle.locked_until > now:
        minutes = int((throttle.locked_until - now).total_seconds() // 60) + 1
        raise LoginRefused(plural_message(
            "Too many failed attempts. Try again in %(minutes)d minute.",
            "Too many failed attempts. Try again in %(minutes)d minutes.", minutes, minutes=minutes))
    user = User.get_or_none(User.email == email)
    ok = verify_password(user.password_hash if user else DUMMY_HASH, password or "")
    if ok and user.active:
        if throttle:
            throttle.delete_instance()
        return user
    _count_failure(email, throttle, max_failures, lock_minutes, now)
    raise LoginRefused(BAD_LOGIN)


def _count_failure(email, throttle, max_failures, lock_minutes, now):
    if throttle is None:
        throttle = LoginThrottle.create(email=email[:255], failures=0)
    throttle.failures += 1
    if throttle.failures >= max_failures:
        throttle.locked_until = now + datetime.timedelta(minutes=lock_minutes)
        throttle.failures = 0
    throttle.save()
