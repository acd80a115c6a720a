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


def not_serving(officer, schools):
    """An officer (their name) who works none of schools (names) and has
    nothing there: the list, narrowed to those schools, has no row of theirs."""
    if len(schools) == 1:
        return Message("%(officer)s does not serve %(school)s. Choose from the list.",
                       officer=officer, school=schools[0])
    return Message("%(officer)s serves none of these schools: %(schools)s. Choose from the list.",
                   officer=officer, schools=", ".join(schools))


def not_your_school(school):
    """A school (its name) outside the user's schools."""
    return Message("%(school)s is not one of your schools. Choose from the list.", school=school)


def not_a_date(value):
    """Text that is not a date written YYYY-MM-DD."""
    return Message("“%(value)s” is not a date. Use a date like 2026-09-30.", value=shown(value))


def leave_out_backwards_days(filters, errors):
    """A "From" day after the "To" day: both are said and both left out, as
    the list says it leaves them out (keeping "From" alone listed from a day
    the user never asked to start at, often nothing)."""
    if filters.get("date_from") and filters.get("date_to") and filters["date_from"] > filters["date_to"]:
        errors["date_from"] = Message("The start date is after the end date.")
        errors["date_to"] = Message("The end date is before the start date.")
        del filters["date_from"], filters["date_to"]


def bad_cursor(value):
    """A paging cursor ("after") that names no place in the list."""
    return Message("“%(value)s” is not a place in this list; it is shown from its start.", value=shown(value))
