"""A school's address and phone from a OneRoster export.

OneRoster 1.1's orgs.csv has no address or phone; districts whose systems
have them send them as extension columns (`metadata.address`,
`metadata.phone`), which the standard allows. Where a row carries them they
are stored; an empty cell keeps what an administrator typed, and so does a
cell the schools page would refuse (a phone that is no phone, an address
longer than it keeps): it is noted and left out, and the school imported
without it (imports.roster), so its students are never refused for it.
"""
from fieldapp.contact_details import imported_phone
from fieldapp.models import School

COLUMNS = ("metadata.address", "metadata.phone")


ADDRESS_LIMIT = 300  # the longest address the schools page keeps


def details_of(row):
    """({"address": ..., "phone": ...}, left out) of an orgs.csv row: the details it carries that the
    schools page would take (its phone kept as a phone typed there is), and [(column, raw, why)] of
    those it would not, why being "phone" (not a phone) or "long" (longer than ADDRESS_LIMIT). A
    detail left out keeps what is stored: the school is imported without it, never refused for it."""
    found, left_out = {}, []
    address = (row.get("metadata.address") or "").strip()
    if len(address) > ADDRESS_LIMIT:
        left_out.append(("metadata.address", address, "long"))
    elif address:
        found["address"] = address
    raw = (row.get("metadata.phone") or "").strip()
    if raw:
        phone, why = imported_phone(raw, "metadata.phone")
        if why is None:
            found["phone"] = phone
        else:
            left_out.append(("metadata.phone", raw, "phone"))
    return found, left_out


def apply_school_details(plan, report):
    """Store the addresses and phones the export carries (sourced id -> details)."""
    for sid, details in plan.school_details.items():
        school = School.get_or_none(School.sourced_id == sid)
        if school is None or not details:
            continue
        changed = {key: value for key, value in details.items() if getattr(school, key) != value}
        if changed:
            School.update(**changed).where(School.id == school.id).execute()
            report.add("school addresses and phones updated")
