"""Which school a file's row names.

OneRoster keys a school by its sourcedId, which can be anything (the Ed-Fi
Alliance's OneRoster mapping uses a hash); Ed-Fi keys it by its schoolId,
the school's code (255901001), which OneRoster carries as the org's
`identifier`. A row may name a school either way: a sourcedId is taken
first; a code names a school when exactly one school has it.
"""
from fieldapp.messages import Message, plural_message
from fieldapp.models import School


def school_keys():
    """({sourcedId or code: school id}, {code held by several schools: their ids})."""
    rows = list(School.select(School.id, School.sourced_id, School.identifier).tuples())
    keys = {sourced_id: school_id for school_id, sourced_id, _ in rows}
    by_code = {}
    for school_id, _, code in rows:
        if code:
            by_code.setdefault(code, []).append(school_id)
    shared = {}
    for code, ids in by_code.items():
        if code in keys:
            continue  # a sourcedId of a school is never read as another's code
        if len(ids) == 1:
            keys[code] = ids[0]
        else:
            shared[code] = ids
    return keys, shared


def unknown_school(key, shared, column="schoolId"):
    """Why a row's school key names no single school."""
    if not key:
        return Message("%(column)s is empty: give the school's sourcedId or its code (the identifier in orgs.csv, "
                       "Ed-Fi's schoolId)", column=column)
    if key in shared:
        return plural_message("%(column)s '%(key)s' is the code of %(num)d school; name the school by its sourcedId",
                              "%(column)s '%(key)s' is the code of %(num)d schools; name the school by its sourcedId",
                              len(shared[key]), column=column, key=key, num=len(shared[key]))
    return Message("unknown school '%(key)s' (neither a school's sourcedId nor its identifier)", key=key)
