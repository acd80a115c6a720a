"""Which school a file's row names.

OneRoster keys a school by its sourcedId, which can be anything (the Ed-Fi
Alliance's OneRoster mapping uses a hash); Ed-Fi keys it by its schoolId,
the school's code (255901001), which OneRoster carries as the org's
`identifier`. A row may name a school either way: a key names a school when
it is that school's sourcedId or its code and no other school's. A code
several schools hold, or a sourcedId that is another school's code, names
none: the row is a problem saying which schools the key could mean.
"""
from fieldapp.messages import Message, plural_message
from fieldapp.models import School


def school_keys():
    """({sourcedId or code: school id}, {key naming more than one school: the Message saying which})."""
    rows = list(School.select(School.id, School.sourced_id, School.identifier, School.name).tuples())
    keys = {sourced_id: school_id for school_id, sourced_id, _, _ in rows}
    names = {school_id: name for school_id, _, _, name in rows}
    by_code = {}
    for school_id, _, code, _ in rows:
        if code:
            by_code.setdefault(code, []).append(school_id)
    shared = {}
    for code, ids in by_code.items():
        if code in keys and keys[code] not in ids:  # one school's sourcedId, another's code
            shared[code] = Message(
                "'%(key)s' is the sourcedId of %(school)s and the code of %(other)s: it cannot say which; "
                "give each school a sourcedId no other school has as its code (orgs.csv)", key=code,
                school=names[keys.pop(code)], other=", ".join(sorted(names[i] for i in ids)))
        elif code not in keys and len(ids) == 1:
            keys[code] = ids[0]
        elif code not in keys:
            shared[code] = plural_message(
                "'%(key)s' is the code of %(num)d school; name the school by its sourcedId",
                "'%(key)s' is the code of %(num)d schools (%(schools)s); name the school by its sourcedId",
                len(ids), key=code, num=len(ids), schools=", ".join(sorted(names[i] for i in ids)))
    return keys, shared


def unknown_school(key, shared, column="schoolId"):
    """Why a row's school key names no single school (shared: as school_keys gives it)."""
    if not key:
        return Message("%(column)s is empty: give the school's sourcedId or its code (the identifier in orgs.csv, "
                       "Ed-Fi's schoolId)", column=column)
    if key in shared:
        return Message("%(column)s %(why)s", column=column, why=shared[key])
    return Message("unknown school '%(key)s' (neither a school's sourcedId nor its identifier)", key=key)
