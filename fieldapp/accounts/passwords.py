"""Password hashing (argon2) and the rules a new password must meet."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()

MIN_LENGTH = 12
COMMON = {
    "password1234", "passwordpassword", "123456789012", "qwertyuiopas",
    "letmeinletmein", "welcome12345", "fieldapp1234", "iloveyou1234",
    "administrator", "changemechangeme", "schoolschool", "attendance123",
}


def hash_password(plain):
    return _hasher.hash(plain)


def verify_password(stored_hash, plain):
    try:
        return _hasher.verify(stored_hash, plain)
    except (VerificationError, InvalidHashError):
        return False


# A hash to verify against when the account does not exist, so both paths
# take the same time.
DUMMY_HASH = _hasher.hash("not-a-real-password-for-timing")


def weakness(plain, email=""):
    """Why a password is too weak, or None if it is acceptable."""
    if len(plain) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(plain) > 256:
        return "Use at most 256 characters."
    lowered = plain.lower()
    if lowered in COMMON or len(set(lowered)) < 5:
        return "This password is too common or repetitive; choose another."
    local = email.split("@")[0].lower()
    if len(local) >= 4 and local in lowered:
        return "The password must not contain your email name."
    return None
