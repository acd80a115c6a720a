"""Sessions kept on the server, so they can be ended.

The browser's cookie carries a random token; the database keeps its SHA-256,
who it belongs to, when it began and when it was last used. A session ends
on logout, after an idle time (longer for an officer's phone than for a desk),
after an absolute lifetime, when its user logs out their other sessions, and
at once for every session of a user who is deactivated or whose password is
reset. Any app server can check any session: nothing lives in a process.
"""
import datetime
import hashlib
import secrets
from collections import namedtuple

from peewee import fn

from fieldapp.accounts.audit import clean
from fieldapp.db import Param, Prepared, is_postgres
from fieldapp.models import User, UserSchool, UserSession, utcnow
from fieldapp.timefmt import read_zones, zones_column

# last_seen_at is written at most this often: idle time is exact to a minute
# and a busy session costs one write a minute, not one per request.
TOUCH_EVERY = datetime.timedelta(seconds=60)

SessionLimits = namedtuple("SessionLimits", "idle_desk idle_officer absolute")


def limits_from(config):
    """SessionLimits (timedeltas) from the app's settings."""
    return SessionLimits(
        idle_desk=datetime.timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
        idle_officer=datetime.timedelta(minutes=config["SESSION_IDLE_MINUTES_OFFICER"]),
        absolute=datetime.timedelta(hours=config["SESSION_MAX_HOURS"]))


def idle_limit(user, limits):
    """How long this user's session may sit unused: officers carry phones in the field."""
    return limits.idle_officer if user.role == "officer" else limits.idle_desk


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def start(user, ip="", agent="", now=None, mfa_done=False):
    """Open a session for user; return the token for the cookie (never stored)."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    UserSession.create(token_hash=token_hash(token), user=user, created_at=now, last_seen_at=now,
                       ip=clean(ip, 64), user_agent=clean(agent, 255), mfa_done=mfa_done)
    return token


def find(token):
    """The live UserSession for a cookie's token (with its user, who knows
    their schools: User.school_ids() asks no more), or None."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    record = _LIVE_SESSION.first(token_hash=token_hash(token))
    if record is not None:
        record.user._school_ids = [int(school) for school in (record.school_list or "").split(",") if school]
        read_zones(record.zone_list)
    return record


def _live_session():
    # The user's schools as one text ("3,7"), so that the session stays one row.
    schools = (fn.STRING_AGG(UserSchool.school.cast("text"), ",") if is_postgres()
               else fn.GROUP_CONCAT(UserSchool.school))
    return (UserSession.select(UserSession, User, UserSchool.select(schools).where(UserSchool.user == User.id)
                               .alias("school_list"), zones_column().alias("zone_list"))
            .join(User).where(UserSession.token_hash == Param("token_hash"), UserSession.ended_at.is_null())
            .limit(1))


# Asked on every request: the session, its user and the user's schools (most
# pages check what the user may see) and every school's zone (every page
# shows or counts a day in one) in one round trip.
_LIVE_SESSION = Prepared(_live_session)


def check(token, limits, now=None):
    """(session, None) while the token's session may go on, else (None, why):
    why is "idle", "expired" (absolute lifetime) or "ended" (logged out,
    revoked, deactivated, unknown). Touches last_seen_at at most once a minute."""
    now = now or utcnow()
    record = find(token)
    if record is None or not record.user.active:
        return None, "ended"
    if now - record.created_at > limits.absolute:
        _end_one(record, "expired", now)
        return None, "expired"
    if now - record.last_seen_at > idle_limit(record.user, limits):
        _end_one(record, "idle", now)
        return None, "idle"
    if now - record.last_seen_at > TOUCH_EVERY:
        UserSession.update(last_seen_at=now).where(
            UserSession.token_hash == record.token_hash).execute()
    return record, None


def _end_one(record, why, now):
    UserSession.update(ended_at=now, ended_why=why).where(
        UserSession.token_hash == record.token_hash, UserSession.ended_at.is_null()).execute()


def end(token, why="logout", now=None):
    """End the session of this token (logout); no error if it already ended."""
    if isinstance(token, str) and token:
        UserSession.update(ended_at=now or utcnow(), ended_why=why).where(
            UserSession.token_hash == token_hash(token), UserSession.ended_at.is_null()).execute()


def end_all(user, why, keep_token=None, now=None):
    """End every live session of user (except the one of keep_token); return how many."""
    query = UserSession.update(ended_at=now or utcnow(), ended_why=why).where(
        UserSession.user == user, UserSession.ended_at.is_null())
    if keep_token:
        query = query.where(UserSession.token_hash != token_hash(keep_token))
    return query.execute()


def live_sessions(user, limits, now=None):
    """The user's sessions that have not ended or timed out, most recent first."""
    now = now or utcnow()
    rows = (UserSession.select().where(UserSession.user == user, UserSession.ended_at.is_null(),
                                       UserSession.created_at > now - limits.absolute)
            .order_by(UserSession.last_seen_at.desc()))
    idle = idle_limit(user, limits)
    return [row for row in rows if now - row.last_seen_at <= idle]


def mark_mfa_done(token):
    """The second factor was given in this session."""
    UserSession.update(mfa_done=True).where(UserSession.token_hash == token_hash(token)).execute()
