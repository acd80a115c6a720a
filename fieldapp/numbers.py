"""Whole numbers sent by a client: one parser for query strings, form fields,
paths and JSON, so the logic only ever meets a typed value.

`str.isdigit()` is true for "²", "①" and "٣", and `int()` refuses the first
two and any string past 4,300 digits; SQLite refuses integers of 2^63 and
more. Everything here accepts only ASCII digits, of a bounded length, inside
a range the database can hold.
"""
MAX_ID = 2**63 - 1  # the largest integer SQLite (and a PostgreSQL bigint) stores
_LONGEST = 32  # digits read at most; leading zeros beyond this are not a number anyone types


def whole_number(value, low=0, high=MAX_ID):
    """The int `value` writes, or None.

    value: a str of ASCII digits (spaces around are ignored) or an int; bools,
    floats, other types, signs, Unicode digits, empty text, more than 32 digits
    and numbers outside [low, high] all give None. Never raises.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        if not text or len(text) > _LONGEST or not (text.isascii() and text.isdigit()):
            return None
        number = int(text)
    else:
        return None
    return number if low <= number <= high else None


def record_id(value):
    """A database id (1 to 2^63 - 1) from a client, or None; see whole_number."""
    return whole_number(value, 1, MAX_ID)


def decimal_number(value, low, high):
    """The float `value` writes, or None: for settings such as hours or a
    percentage.

    value: a str of ASCII digits with at most one "." (spaces around are
    ignored), or a finite int or float; signs, exponents, "nan", "inf",
    Unicode digits, more than 32 characters, bools, other types and numbers
    outside [low, high] all give None. Never raises.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value) if value == value and abs(value) != float("inf") else None
    elif isinstance(value, str):
        text = value.strip()
        whole, _, fraction = text.partition(".")
        digits = whole + fraction
        if not digits or len(text) > _LONGEST or not (digits.isascii() and digits.isdigit()):
            return None
        number = float(text)
    else:
        return None
    return number if number is not None and low <= number <= high else None
