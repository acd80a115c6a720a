"""Password hashing (argon2) and the rules a new password must meet."""
import re

from argon2 import PasswordHasher, extract_parameters
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from fieldapp.messages import Message

_hasher = PasswordHasher()

MIN_LENGTH = 12
MAX_LENGTH = 256
# zxcvbn's scale: 4 means about 10^10 guesses or more (out of reach of an
# online attacker, and slow even offline against argon2).
MIN_SCORE = 4
# The words of this product and trade, tried early by anyone guessing here.
PRODUCT_WORDS = ("fieldapp", "field", "attendance", "truancy", "truant", "school", "officer",
                 "district", "demo")


def hash_password(plain):
    return _hasher.hash(plain)


def verify_password(stored_hash, plain):
    try:
        return _hasher.verify(stored_hash, plain)
    except (VerificationError, InvalidHashError):
        return False


# A hash to verify against when the account does not exist, so both paths
# take the same time: made once with the hasher's parameters, and made again
# here only if the hasher's parameters change. Hashing it at import cost every
# process a hash and its 64 MiB at start, each `flask` command included.
_MADE_ONCE = "$argon2id$v=19$m=65536,t=3,p=4$9iZj/vEqqyao7T9gcRrLfg$b7/3+IkyotIFa18iSv3WTV2oGdWifoEcVkSBw+nQa6s"
_SAME = ("type", "time_cost", "memory_cost", "parallelism", "hash_len", "salt_len")
DUMMY_HASH = _MADE_ONCE if all(getattr(extract_parameters(_MADE_ONCE), name) == getattr(_hasher, name)
                               for name in _SAME) else _hasher.hash("not-a-real-password-for-timing")


def _words(*texts):
    """The lower-case words of texts, split at anything not a letter or digit,
    each also run together with the next ("riverside high" -> riversidehigh)."""
    words = []
    for text in texts:
        parts = [part for part in re.split(r"[\W_]+", (text or "").lower()) if part]
        words += parts
        words += ["".join(parts[i:i + 2]) for i in range(len(parts) - 1)]
        if len(parts) > 2:
            words.append("".join(parts))
    return words


def weakness(plain, email="", name="", context=()):
    """Why a password is too weak (a Message), or None if it is acceptable.

    Strength is judged by zxcvbn (dictionaries of common passwords, names,
    keyboard patterns, dates, l33t), told also the words an attacker would try
    first (NIST SP 800-63B 5.1.1.2, "context-specific words"): the user's own
    email (its name and each part of its domain) and name, context (the names
    of their schools and district, their role), and the product's words.
    plain: str; returns a fieldapp.messages.Message or None."""
    if len(plain) < MIN_LENGTH:
        return Message("Use at least %(count)d characters.", count=MIN_LENGTH)
    if len(plain) > MAX_LENGTH:
        return Message("Use at most %(count)d characters.", count=MAX_LENGTH)
    local = email.split("@")[0].lower()
    if len(local) >= 4 and local in plain.lower():
        return Message("The password must not contain your email name.")
    hints = [local, *_words(email, name, *context), *PRODUCT_WORDS]
    if zxcvbn(plain[:100], user_inputs=[word for word in hints if word])["score"] < MIN_SCORE:
        return Message("This password is easy to guess. Use a longer one: three or four "
                       "unrelated words make a strong password.")
    return None
