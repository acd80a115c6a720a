"""What a list says of a filter it did not recognise, next to the filter:
the value as typed (shortened, control characters shown as such) and what
to do. A list leaves such a filter out and says so; an export refuses."""
from fieldapp.messages import Message

LONGEST_SHOWN = 40  # characters of a typed value repeated back


def shown(value):
    """value as it can be repeated back on a page: printable, and short."""
    text = "".join(c if c.isprintable() else "\N{REPLACEMENT CHARACTER}" for c in str(value))
    return text if len(text) <= LONGEST_SHOWN else text[:LONGEST_SHOWN - 1] + "\N{HORIZONTAL ELLIPSIS}"


def not_a_choice(value):
    """A value that is none of a filter's choices."""
    return Message("“%(value)s” is not one of the choices. Choose from the list.", value=shown(value))


def no_such(kind, value):
    """A number that names no record of kind ("school", "officer", "student")."""
    if kind == "school":
        return Message("No school has the number “%(value)s”. Choose from the list.", value=shown(value))
    if kind == "officer":
        return Message("No officer has the number “%(value)s”. Choose from the list.", value=shown(value))
    return Message("No student has the number “%(value)s”. Choose from the list.", value=shown(value))


def not_a_date(value):
    """Text that is not a date written YYYY-MM-DD."""
    return Message("“%(value)s” is not a date. Use a date like 2026-09-30.", value=shown(value))
