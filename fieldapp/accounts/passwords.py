"""Password hashing (argon2) and the rules a new password must meet."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from fieldapp.messages import Message

_hasher = PasswordHasher()

MIN_LENGTH = 12
MAX_LENGTH = 256
# zxcvbn's scale: 4 means about 10^10 guesses or more (out of reach of an
# online attacker, and slow even offline against argon2).
MIN_SCORE = 4


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


def weakness(plain, email="", name=""):
    """Why a password is too weak (a Message), or None if it is acceptable.

    Strength is judged by zxcvbn (dictionaries of common passwords, names,
    keyboard patterns, dates, l33t), told also the user's own email and name
    and the product's name, which make easy guesses."""
    if len(plain) < MIN_LENGTH:
        return Message("Use at least %(count)d characters.", count=MIN_LENGTH)
    if len(plain) > MAX_LENGTH:
        return Message("Use at most %(count)d characters.", count=MAX_LENGTH)
    local = email.split("@")[0].lower()
    if len(local) >= 4 and local in plain.lower():
        return Message("The password must not contain your email name.")
    hints = [word for word in (local, *email.split("@")[1:], *name.split(), "fieldapp",
                               "attendance", "truancy", "school") if word]
    if zxcvbn(plain[:100], user_inputs=hints)["score"] < MIN_SCORE:
        return Message("This password is easy to guess. Use a longer one: three or four "
                       "unrelated words make a strong password.")
    return None
