"""District data in: OneRoster rosters, contacts, attendance and calendars.

Each import checks every row first and applies all or nothing (or, when
asked, the good rows only), inside one transaction; every import, refused or
applied, is kept in the import history. No Flask here.
"""
from fieldapp.imports import history
from fieldapp.imports.attendance import import_attendance
from fieldapp.imports.calendar import import_calendar
from fieldapp.imports.contacts import import_contacts
from fieldapp.imports.oneroster import import_oneroster
from fieldapp.models import utcnow
from fieldapp.timefmt import local_today

KINDS = {
    "oneroster": "OneRoster 1.1 rosters (.zip)",
    "contacts": "Contacts: addresses, phones, languages (.csv)",
    "attendance": "Attendance (.csv)",
    "calendar": "School calendar (.csv)",
}


def run(kind, source, filename, settings, user=None, via="cli", skip_bad_rows=False, today=None):
    """Import `source` (a path or binary stream) of `kind`, keep it in the
    history, and after attendance open cases at the first threshold when the
    settings say so. Returns (ImportRun, Report)."""
    started, today = utcnow(), today or local_today()
    if kind == "oneroster":
        report = import_oneroster(source, filename, skip_bad_rows)
    elif kind == "contacts":
        report = import_contacts(source, filename, skip_bad_rows)
    elif kind == "calendar":
        report = import_calendar(source, filename, skip_bad_rows)
    elif kind == "attendance":
        report = import_attendance(source, filename, skip_bad_rows, today, settings.school_day_minutes)
        if report.applied and settings.auto_open:
            from fieldapp.rules.autoopen import open_cases_at_first_threshold
            report.add("cases opened", open_cases_at_first_threshold(
                settings, today, report.student_ids, user))
    else:
        raise ValueError(f"unknown import kind {kind!r}")
    return history.record(report, user, via, started), report
