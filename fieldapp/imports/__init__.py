"""District data in: OneRoster rosters, contacts, attendance and calendars.

Each import is checked row by row and previewed (counts of what would change,
with examples) before anything is written; it is applied on confirmation,
all or nothing (or, when asked, the good rows only), in one transaction,
journalling every row it changes so that it can be undone. Every import,
previewed, refused, applied or undone, is kept in the import history. No
Flask here: steps.preview/apply and undo.undo are callable from a page, the
command line or a background job.
"""
from fieldapp.imports.steps import (  # noqa: F401
    ConfirmationNeeded, Limits, NotWaiting, apply, apply_stored, cancel, limits_from_config, preview,
)
from fieldapp.imports.undo import undo  # noqa: F401
from fieldapp.messages import N_

KINDS = {
    "oneroster": N_("OneRoster 1.1 rosters (.zip)"),
    "contacts": N_("Contacts: addresses, phones, languages (.csv)"),
    "attendance": N_("Attendance (.csv)"),
    "calendar": N_("School calendar (.csv)"),
}


def run(kind, source, filename, settings, user=None, via="cli", skip_bad_rows=False, today=None,
        confirmation="", limits=None, date_order=""):
    """Preview then apply `source` (a path or binary stream) of `kind` in one
    go, keeping it in the history; a roster that needs a typed confirmation
    is left as a preview unless `confirmation` says it; date_order says how
    the file's slash dates read (imports.dates). Returns (ImportRun, Report)."""
    if kind not in KINDS:
        raise ValueError(f"unknown import kind {kind!r}")
    pending = preview(kind, source, filename, settings, user, via, skip_bad_rows, today, limits,
                      date_order=date_order)
    if pending.run.outcome != "previewed":
        return pending.run, pending.report
    try:
        return apply(pending, confirmation, user)
    except ConfirmationNeeded:
        return pending.run, pending.report
