"""Click parameter types shared by the flask commands."""
import click

from fieldapp.db import database
from fieldapp.numbers import record_id


def find_school(given):
    """(the School a person named by its sourced id, its code or its id, or
    None; why not, or '') — the sourced id first, then a code exactly one
    school has, then the id."""
    from fieldapp.models import School
    text = str(given).replace("\x00", "").strip()  # PostgreSQL refuses NUL in a query
    if not text:
        return None, "No school named (give its id, sourced id or code)."
    school = School.get_or_none(School.sourced_id == text[:255])
    if school is not None:
        return school, ""
    coded = list(School.select().where(School.identifier == text[:255]).limit(2))
    if len(coded) > 1:
        return None, f"Two or more schools have the code '{text}'; give the school's id or sourced id."
    if coded:
        return coded[0], ""
    if record_id(text) is not None:  # PostgreSQL refuses "sch-1" as an id
        school = School.get_or_none(School.id == record_id(text))
        if school is not None:
            return school, ""
    return None, f"No school has the id, sourced id or code '{text}'."


class SchoolParam(click.ParamType):
    """A school named on the command line by its id, sourced id or code
    (OneRoster identifier, Ed-Fi schoolId): the School."""
    name = "school"

    def convert(self, value, param, ctx):
        from fieldapp.models import School
        if isinstance(value, School):
            return value
        opened = database.is_closed()
        if opened:
            database.connect()
        try:
            school, why = find_school(value)
        finally:
            if opened:
                database.close()
        if school is None:
            self.fail(why, param, ctx)
        return school


SCHOOL = SchoolParam()
