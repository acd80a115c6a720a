"""A school's address and phone from a OneRoster export.

OneRoster 1.1's orgs.csv has no address or phone; districts whose systems
have them send them as extension columns (`metadata.address`,
`metadata.phone`), which the standard allows. Where a row carries them they
are stored; an empty cell keeps what an administrator typed.
"""
from fieldapp.contact_details import imported_phone
from fieldapp.models import School

COLUMNS = ("metadata.address", "metadata.phone")


def details_of(row):
    """{"address": ..., "phone": ...} of an orgs.csv row, only what it carries; its phone as a
    phone typed on the schools page is kept (see phone_problem)."""
    phone = row.get("metadata.phone", "").strip()
    found = {"address": row.get("metadata.address", "").strip(), "phone": phone and imported_phone(phone, "")[0]}
    return {key: value for key, value in found.items() if value}


def phone_problem(row):
    """Why an orgs.csv row's metadata.phone is not a phone the schools page would take, or None."""
    phone = row.get("metadata.phone", "").strip()
    return imported_phone(phone, "metadata.phone")[1] if phone else None


def apply_school_details(plan, report):
    """Store the addresses and phones the export carries (sourced id -> details)."""
    for sid, details in plan.school_details.items():
        school = School.get_or_none(School.sourced_id == sid)
        if school is None or not details:
            continue
        changed = {key: value[:300] for key, value in details.items() if getattr(school, key) != value[:300]}
        if changed:
            School.update(**changed).where(School.id == school.id).execute()
            report.add("school addresses and phones updated")
