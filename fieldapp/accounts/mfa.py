"""A second factor: time-based one-time passwords (RFC 6238, the six digits
of an authenticator app, with pyotp) and one-use recovery codes for a lost
phone. Required for the roles in MFA_REQUIRED_ROLES; optional for others."""
import base64
import datetime
import hashlib
import hmac
import secrets
import time

import pyotp
import segno

from fieldapp.accounts import audit
from fieldapp.db import database
from fieldapp.messages import Message
from fieldapp.models import AuditEvent, RecoveryCode, User, utcnow

ISSUER = "fieldapp"
RECOVERY_CODES = 10


def required_roles(setting):
    """The roles that must use a second factor, from the comma-separated setting."""
    return {role.strip() for role in (setting or "").split(",") if role.strip()}


def is_required(user, setting):
    return user.role in required_roles(setting)


def is_enrolled(user):
    return bool(user.totp_secret and user.totp_enabled_at)


def pending_secret(user, server_key):
    """The secret offered while the second step is being set up: derived from
    the server's key, the user and their password and removals, so a page
    view writes nothing, the cookie carries nothing, and a phone enrolled
    before a removal never works again."""
    removals = AuditEvent.select().where(AuditEvent.action == "mfa.remove",
                                         AuditEvent.object_id == str(user.id)).count()
    material = f"totp-setup:{user.id}:{user.password_hash}:{removals}".encode()
    digest = hmac.new(server_key.encode(), material, hashlib.sha256).digest()
    return base64.b32encode(digest[:20]).decode()


def provisioning_uri(user, secret):
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri):
    """The QR code of uri as an inline SVG (no script, no image request)."""
    return segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff")


def _code(text):
    return "".join((text or "").split()).replace("-", "").lower()[:32]


def _matching_step(secret, code, now=None):
    """The RFC 6238 time-step (Unix seconds // 30) whose code is `code`, looking
    one step either way so a phone's clock a little off still works; None when
    no step matches. now: a datetime or Unix seconds (default: the clock)."""
    code = _code(code)
    if not (code.isascii() and code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if now is None else now
    if isinstance(now, datetime.datetime):
        now = now.timestamp()
    for offset in (0, -1, 1):
        moment = int(now) + offset * totp.interval
        if hmac.compare_digest(totp.at(moment), code):
            return moment // totp.interval
    return None


def _claim_step(user, step):
    """Mark step as the user's last accepted one, in one statement, if it is
    later than any accepted before: True when this call won it. A code (or a
    code of an earlier step) is accepted once, even by two requests at once."""
    claimed = (User.update(totp_last_step=step)
               .where(User.id == user.id,
                      User.totp_last_step.is_null() | (User.totp_last_step < step))
               .execute())
    if claimed:
        user.totp_last_step = step
    return bool(claimed)


def _hash(code):
    return hashlib.sha256(_code(code).encode()).hexdigest()


def enrol(user, secret, code, ip=""):
    """Turn the second factor on with the secret the user's app scanned, after
    checking one code from it. Returns (recovery codes to show once, errors)."""
    step = _matching_step(secret, code)
    if step is None:
        return [], {"code": Message("That code does not match. Type the six digits your app shows now.")}
    codes = [f"{secrets.token_hex(2)}-{secrets.token_hex(2)}" for _ in range(RECOVERY_CODES)]
    with database.atomic():
        user.totp_secret, user.totp_enabled_at, user.totp_last_step = secret, utcnow(), step
        user.save(only=[User.totp_secret, User.totp_enabled_at, User.totp_last_step])
        RecoveryCode.delete().where(RecoveryCode.user == user).execute()
        RecoveryCode.insert_many([{"user": user, "code_hash": _hash(c)} for c in codes]).execute()
    audit.record(user, "mfa.enrol", user, ip)
    return codes, {}


def check_code(user, code, ip="", now=None):
    """"ok" if code is the app's current code, not accepted before, or an
    unused recovery code (which is then spent); "reused" for a time-based code
    already accepted; "wrong" otherwise.

    A time-based code is spent once accepted (RFC 6238 section 5.2): the same
    code, or one of an earlier time-step, is refused afterwards, also when two
    requests bring it at once. now: datetime or Unix seconds, for tests."""
    if is_enrolled(user):
        step = _matching_step(user.totp_secret, code, now)
        if step is not None:
            if _claim_step(user, step):
                return "ok"
            audit.record(user, "mfa.code_reused", user, ip)
            return "reused"
    spent = (RecoveryCode.update(used_at=utcnow())
             .where(RecoveryCode.user == user, RecoveryCode.code_hash == _hash(code),
                    RecoveryCode.used_at.is_null()).execute())
    if spent:
        audit.record(user, "mfa.recovery_code", user, ip)
        return "ok"
    return "wrong"


def verify(user, code, ip="", now=None):
    """True when check_code accepts code (see there)."""
    return check_code(user, code, ip, now) == "ok"


def recovery_codes_left(user):
    return RecoveryCode.select().where(RecoveryCode.user == user,
                                       RecoveryCode.used_at.is_null()).count()


def remove(actor, user, ip=""):
    """Turn the second factor off (the user, or an administrator for a lost phone)."""
    with database.atomic():
        user.totp_secret, user.totp_enabled_at, user.totp_last_step = "", None, None
        user.save(only=[User.totp_secret, User.totp_enabled_at, User.totp_last_step])
        RecoveryCode.delete().where(RecoveryCode.user == user).execute()
    audit.record(actor, "mfa.remove", user, ip)

