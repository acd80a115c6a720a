"""URL converters: an id in a path is a number the database can hold, or the page is not found."""
from werkzeug.routing import IntegerConverter

from fieldapp.numbers import MAX_ID


class RecordIdConverter(IntegerConverter):
    """`<int:...>` for ids: ASCII digits only, 0 to 2^63 - 1, else 404.

    Werkzeug's own accepts any Unicode digit and any size; SQLite cannot
    compare a column with an integer of 2^63 or more and fails instead."""

    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


def register(app):
    """Replace the `int` converter; call before any blueprint is registered."""
    app.url_map.converters["int"] = RecordIdConverter
