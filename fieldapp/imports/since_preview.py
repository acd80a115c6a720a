"""Whether records an import is applying were changed by another import
applied after its preview: applying a preview that old would overwrite the
later import's values without a word, so it is refused and the file is to
be previewed again."""
import json

from fieldapp.models import ImportChange, ImportRun


def _identities(table, row_id, action, before, after):
    """What a journal entry names, as comparable keys: a calendar by its school and year (an import
    replaces it under a new id), rows created by the thousand each by its id, any other row by its id."""
    if table == "school_calendar":
        said = json.loads(before or "{}")
        return {(table, said.get("school"), said.get("school_year"))}
    if action == "created" and after and table != "student_guardian":
        rows = json.loads(after).get("rows")
        if rows:
            return {(table, row) for row in rows}
    return {(table, row_id)}


def _changes(run_ids):
    fields = (ImportChange.run, ImportChange.table, ImportChange.row_id, ImportChange.action,
              ImportChange.before_json, ImportChange.after_json)
    return ImportChange.select(*fields).where(ImportChange.run.in_(run_ids)).tuples().iterator()


def changed_since_preview(run):
    """(how many of the records run's saved journal changes were changed by imports applied since its
    preview began, those imports) -- (0, []) when none. Read inside the applying transaction."""
    later = {r.id: r for r in ImportRun.select(ImportRun.id, ImportRun.filename).where(
        (ImportRun.applied_at > run.started_at) & ImportRun.undone_at.is_null() & (ImportRun.id != run.id))}
    if not later:
        return 0, []
    theirs = {}
    for run_id, table, row_id, action, before, after in _changes(list(later)):
        for key in _identities(table, row_id, action, before, after):
            theirs.setdefault(key, run_id)
    count, by = 0, set()
    for _, table, row_id, action, before, after in _changes([run.id]):
        if action == "created":  # a new record: no later import held it
            continue
        found = next((theirs[key] for key in _identities(table, row_id, action, before, after) if key in theirs),
                     None)
        if found is None and table == "attendance_event" and before:  # a mark a later import stored
            found = json.loads(before).get("import_run_id")
            found = found if found in later else None
        if found is not None:
            count += 1
            by.add(found)
    return count, [later[run_id] for run_id in sorted(by)]
