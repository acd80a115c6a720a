"""What a roster's row changes in a stored record, and how each change is
written and journalled (imports.roster_apply)."""
from peewee import AutoField

from fieldapp.imports.bulk import ids_by_sourced_id, insert_rows

BATCH = 500
# A OneRoster row carries the whole record: an empty cell of these clears the stored value.
CLEARABLE = {"phone", "email", "middle_name", "grade"}


def default(field):
    """The value field takes when a row leaves it out."""
    return field.default() if callable(field.default) else field.default


def _insert(model, rows):
    """Insert dicts of field values; fields left out get the model's defaults."""
    if not rows:
        return
    fields = [f for f in model._meta.sorted_fields if not isinstance(f, AutoField)]
    defaults = {f.name: default(f) for f in fields}
    insert_rows(model, fields, [tuple(row.get(f.name, defaults[f.name]) for f in fields) for row in rows])


def other_fields(model, fields):
    """The model's fields besides `fields` and its id: those a bulk insert fills with defaults."""
    named = {f.name for f in fields}
    return [f for f in model._meta.sorted_fields if not isinstance(f, AutoField) and f.name not in named]


def ids(model):
    """{sourced id: id} of model's stored rows."""
    return ids_by_sourced_id(model)


def changes(old, new):
    """The fields of new that differ from old. An empty name never blanks a
    stored one; an empty phone, email, middle name or grade clears it; a
    detail left out (None: see roster_left_out.LeftOut) keeps it."""
    return {k: v for k, v in new.items()
            if v != old[k] and v is not None and (v or isinstance(v, bool) or k in CLEARABLE)}


def without(fields, kept):
    """fields (name -> value) but those named in kept: a file without their
    column leaves what is stored as it is."""
    return {k: v for k, v in fields.items() if k not in kept} if kept else fields


def count_cleared(report, changed, who):
    """Count a phone or email an empty cell clears (the preview says so with
    who lost what, as the contacts file's does), beside the update itself."""
    cleared = [k for k in ("phone", "email") if changed.get(k) == ""]
    if cleared:
        report.add("values cleared", len(cleared))
        report.example("values cleared", f"{who}: {', '.join(cleared)}")


def update(model, row_id, old, changed, journal):
    """Write changed to the row row_id of model, journalling it with the old values (to undo)."""
    model.update(**changed).where(model.id == row_id).execute()
    journal.updated(model._meta.table_name, row_id, {k: old[k] for k in changed}, changed)
