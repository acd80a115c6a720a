"""A second factor: time-based one-time passwords (RFC 6238, the six digits
of an authenticator app, with pyotp) and one-use recovery codes for a lost
phone. Required for the roles in MFA_REQUIRED_ROLES; optional for others."""
import base64
import hashlib
import hmac
import secrets

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


def _totp_ok(secret, code, now=None):
    code = _code(code)
    if not (code.isdigit() and len(code) == 6):
        return False
    # One step either way: a phone's clock a little off still works.
    return pyotp.TOTP(secret).verify(code, for_time=now, valid_window=1)


def _hash(code):
    return hashlib.sha256(_code(code).encode()).hexdigest()


def enrol(user, secret, code, ip=""):
    """Turn the second factor on with the secret the user's app scanned, after
    checking one code from it. Returns (recovery codes to show once, errors)."""
    if not _totp_ok(secret, code):
        return [], {"code": Message("That code does not match. Type the six digits your app shows now.")}
    codes = [f"{secrets.token_hex(2)}-{secrets.token_hex(2)}" for _ in range(RECOVERY_CODES)]
    with database.atomic():
        user.totp_secret, user.totp_enabled_at = secret, utcnow()
        user.save(only=[User.totp_secret, User.totp_enabled_at])
        RecoveryCode.delete().where(RecoveryCode.user == user).execute()
        RecoveryCode.insert_many([{"user": user, "code_hash": _hash(c)} for c in codes]).execute()
    audit.record(user, "mfa.enrol", user, ip)
    return codes, {}


def verify(user, code, ip="", now=None):
    """True if code is the app's current code or an unused recovery code
    (which is then spent)."""
    if is_enrolled(user) and _totp_ok(user.totp_secret, code, now):
        return True
    spent = (RecoveryCode.update(used_at=utcnow())
             .where(RecoveryCode.user == user, RecoveryCode.code_hash == _hash(code),
                    RecoveryCode.used_at.is_null()).execute())
    if spent:
        audit.record(user, "mfa.recovery_code", user, ip)
    return bool(spent)


def recovery_codes_left(user):
    return RecoveryCode.select().where(RecoveryCode.user == user,
                                       RecoveryCode.used_at.is_null()).count()


def remove(actor, user, ip=""):
    """Turn the second factor off (the user, or an administrator for a lost phone)."""
    with database.atomic():
        user.totp_secret, user.totp_enabled_at = "", None
        user.save(only=[User.totp_secret, User.totp_enabled_at])
        RecoveryCode.delete().where(RecoveryCode.user == user).execute()
    audit.record(actor, "mfa.remove", user, ip)

