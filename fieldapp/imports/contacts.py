"""Addresses, phones and languages, which OneRoster does not carry.

    sourcedId,address,phone,altPhone,email,preferredLanguage
    stu-001,"12 Elm St, Riverside, CA 92501",(555) 201-3344,,,es
    gdn-001,"12 Elm St, Riverside, CA 92501",(555) 201-3344,(555) 201-9000,ana@example.org,Spanish

sourcedId names a student or a guardian (from OneRoster). An empty cell
leaves what is stored; a cell reading [clear] clears it (an address, phone,
alternate phone or email removed in the student information system). For a student, address, phone and preferredLanguage
(the home language) apply; altPhone and email are a guardian's only.
preferredLanguage is a code (en, es, vi, ...) or a name (Spanish); other
languages are stored as Other and counted in the report.
"""
import re

from fieldapp import codes
from fieldapp.contact_details import imported_phone
from fieldapp.imports.csvfile import CsvFile, cells_not_header, longer_than
from fieldapp.imports.repeats import FirstRows, cells_again, explain_duplicates, fingerprint
from fieldapp.imports.report import ImportRefused
from fieldapp.messages import Message, N_
from fieldapp.models import Guardian, Student

OPTIONAL = ("address", "phone", "altPhone", "email", "preferredLanguage")
LANGUAGE_NAMES = {name.lower(): code for code, name in codes.LANGUAGES.items()}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CLEAR = "[clear]"
CLEARABLE = {"address": "address", "phone": "phone", "altPhone": "alt_phone", "email": "email"}
# A cleared value as the preview names it, in the reader's language.
FIELD_WORDS = {"address": N_("address"), "phone": N_("phone"), "alt_phone": N_("alternate phone"),
               "email": N_("email")}


def language_code(raw):
    """'es', 'ES', 'es-MX' or 'Spanish' -> 'es'; unknown languages -> 'other'."""
    text = raw.strip().lower()
    if text in codes.LANGUAGES:
        return text
    if text[:2] in codes.LANGUAGES and len(text) in (2, 5) and text[2:3] in ("", "-", "_"):
        return text[:2]
    return LANGUAGE_NAMES.get(text, "other")


def _phone(raw, column):
    """The phone of a cell, checked and kept as a phone typed on a page is (contact_details)."""
    phone, why = imported_phone(raw, column)
    if why is not None:
        raise ValueError(why)
    return phone


# The longest value each column may hold: a longer one is a row problem, never
# cut short (a shortened email is someone else's address).
AT_MOST = N_("%(column)s (at most %(num)d characters)")  # a cell too long, among others of its row
LONGEST = {"address": 300, "phone": 40, "altPhone": 40, "email": 200, "preferredLanguage": 40}


def _fields(file, cells, report):
    """The non-empty, valid cells of a row as model fields (by column);
    ValueError names a cell that is too long or does not read."""
    values = {c: file.cell(cells, c) for c in OPTIONAL}
    long = [c for c in OPTIONAL if len(values[c]) > LONGEST[c]]
    if len(long) == 1:
        raise ValueError(longer_than(long, LONGEST[long[0]]))
    if long:
        raise ValueError(Message("longer than their columns hold: %(cells)s", cells=tuple(
            Message(AT_MOST, column=c, num=LONGEST[c]) for c in long)))
    out = {}
    for column, name in CLEARABLE.items():
        if values[column].lower() == CLEAR:
            out[name], values[column] = "", ""
    if values["address"]:
        out["address"] = " ".join(values["address"].split())
    wrong = []  # every cell that does not read, each named: fixing the first alone would refuse the row again
    for column, name in (("phone", "phone"), ("altPhone", "alt_phone")):
        if values[column]:
            try:
                out[name] = _phone(values[column], column)
            except ValueError as error:
                wrong.append(error.args[0])
    if values["email"]:
        if not EMAIL.match(values["email"]):
            wrong.append(Message("email '%(raw)s' is not an email address: give one like ana@example.org",
                                 raw=values["email"]))
        out["email"] = values["email"]
    if wrong:
        said = wrong[-1]
        for why in reversed(wrong[:-1]):
            said = Message("%(said)s; %(then)s", said=why, then=said)
        raise ValueError(said)
    if values["preferredLanguage"]:
        out["language"] = language_code(values["preferredLanguage"])
        if out["language"] == "other":
            report.add(f"languages stored as Other ({values['preferredLanguage'][:40]})")
    return out


def _read(file, report):
    students = {s.sourced_id: s for s in Student.select()}
    guardians = {g.sourced_id: g for g in Guardian.select()}
    first, changes = FirstRows(report, file.name).first, []
    for line, cells in file.rows(report):
        report.rows_read += 1
        sid = file.cell(cells, "sourcedId")
        record = students.get(sid) or guardians.get(sid)
        if len(cells) != file.width:
            report.problem(file.name, line, cells_not_header(len(cells), file.width))
        elif record is None:
            report.problem(file.name, line, Message("unknown sourcedId '%(sid)s'", sid=sid) if sid else
                           Message("no sourcedId"))
        elif isinstance(record, Student) and not record.active:
            report.problem(file.name, line, Message(
                "student '%(sid)s' is deactivated (no longer in the roster, or the import that added them was "
                "undone): contact details are kept for active students only", sid=sid))
        elif first(sid, line, fingerprint(cells)):
            try:
                changes.append((record, _fields(file, cells, report)))
            except ValueError as error:
                report.problem(file.name, line, error.args[0])
    report.note_repeated()
    return changes


def _apply(record, fields, report, journal):
    if isinstance(record, Student):
        fields.pop("alt_phone", None), fields.pop("email", None)
        if "language" in fields:
            fields["home_language"] = fields.pop("language")
    elif "language" in fields:
        fields["preferred_language"] = fields.pop("language")
    changed = {k: v for k, v in fields.items() if getattr(record, k) != v}
    if changed:
        model = type(record)
        model.update(**changed).where(model.id == record.id).execute()
        journal.updated(model._meta.table_name, record.id, {k: getattr(record, k) for k in changed}, changed)
        what = "students updated" if isinstance(record, Student) else "guardians updated"
        report.add(what)
        report.example(what, f"{record.full_name} ({record.sourced_id})")
        cleared = [k for k, v in changed.items() if v == ""]
        if cleared:
            report.add("values cleared", len(cleared))
            report.example("values cleared", Message("%(name)s: %(fields)s", name=record.full_name,
                                                     fields=tuple(Message(FIELD_WORDS[k]) for k in cleared)))


def check(binary, filename, report, context):
    """Read and check a contacts file; returns [(record, fields)]."""
    # An address exported from a student information system may run over two
    # lines ("12 Elm St" / "Apt 4"); it is stored on one.
    file = CsvFile(binary, filename, required=("sourcedId",), optional=OPTIONAL,
                   max_rows=context.limits.max_rows, multiline=("address",))
    if not any(file.has(c) for c in OPTIONAL):
        raise ImportRefused(Message("%(file)s has none of the columns %(columns)s.", file=filename,
                                    columns=", ".join(OPTIONAL)))
    report.note_ignored_columns(file)
    changes = _read(file, report)
    # a repeated sourcedId with other values names the columns that differ, as a roster's does
    explain_duplicates(report, lambda name, lines: cells_again(file, lines))
    return changes


def apply(changes, report, journal, context):
    for record, fields in changes:
        _apply(record, dict(fields), report, journal)


def import_contacts(binary, filename, skip_bad_rows=False):
    """Check and apply a contacts file at once, without the history; returns its Report."""
    from fieldapp.imports.steps import apply_now
    return apply_now("contacts", binary, filename, skip_bad_rows)
