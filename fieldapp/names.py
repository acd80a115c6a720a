"""People's names as the machine compares them: without case, accents or the
letters a US keyboard cannot type.

"María-José" and "maria-jose" are the same name to an officer typing it,
"Đặng" is "dang" on a phone's keyboard, and "Ávila" sorts with the A's, not
after "Zúñiga" as its bytes would.
"""
import unicodedata

from anyascii import anyascii


def _keyboard_letter(char):
    """A Latin letter (or an apostrophe-like mark) as a US keyboard types it:
    'Đ' -> 'D', 'ß' -> 'ss', 'ʼ' -> "'". Other scripts are kept as written:
    a Chinese or Arabic name is searched in its own script."""
    if char.isascii():
        return char
    name = unicodedata.name(char, "")
    if name.startswith("LATIN") or "APOSTROPHE" in name or "QUOTATION" in name:
        return anyascii(char)
    return char


def normalise(text):
    """Lower-case, accents removed, Latin letters folded to ASCII:
    'María-José' -> 'maria-jose', 'Đặng' -> 'dang', 'O’Brien' -> "o'brien"."""
    if text.isascii() if text else True:  # most names: nothing to decompose or fold
        return (text or "").lower()
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(_keyboard_letter(c) for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold()


def sort_key(first_name, last_name):
    """What lists of students are sorted by: surname, then given name, so
    that byte order (SQLite, and the "C" collation on PostgreSQL) is the
    alphabetical order a reader expects."""
    return f"{normalise(last_name).strip()} {normalise(first_name).strip()}"[:255]
