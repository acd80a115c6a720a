"""People's names as the machine compares them: without case or accents.

"María-José" and "maria-jose" are the same name to an officer typing it, and
"Ávila" sorts with the A's, not after "Zúñiga" as its bytes would.
"""
import unicodedata


def normalise(text):
    """Lower-case, accents removed: 'María-José' -> 'maria-jose'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold()


def sort_key(first_name, last_name):
    """What lists of students are sorted by: surname, then given name, so
    that byte order (SQLite, and the "C" collation on PostgreSQL) is the
    alphabetical order a reader expects."""
    return f"{normalise(last_name).strip()} {normalise(first_name).strip()}"[:255]
