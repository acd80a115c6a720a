"""A line of a case's history in words: field labels and readable values
(stage and closure labels, officers' and schools' names), never the stored
codes. The student's page shows it in the reader's language; the case report
(English, for boards and courts) uses the same words.

What the app itself says in a line's note (why an account change sent the
case to the queue, a transfer, an import undone, a stage recorded without
its letter) is stored as a code and its values (CaseEvent.note_code and
note_values, made by said()), never as an English sentence, and said by
said_by_app() in the reader's language, after the note a person typed
(which is shown as typed, never looked up in a catalog)."""
import datetime
import json

from fieldapp import codes
from fieldapp.messages import Message, N_

NOBODY = N_("nobody")

# CaseEvent.note_code -> what it says; its values are note_values'.
NOTES = {
    "account_deactivated": N_("Account deactivated: the case waits in the unassigned queue."),
    "school_removed": N_("The officer no longer serves this school: the case waits in the unassigned queue."),
    "without_record": N_("recorded without a letter on file"),
    "transferred": N_("Transferred from %(school)s on %(day)s."),
    "import_undone_closed": N_("Import #%(run)s (%(file)s) was undone; it had opened this case automatically."),
    "import_undone_moved_back": N_("Import #%(run)s (%(file)s) was undone; the case moved back with the "
                                   "student."),
    "opened_automatically": N_("Opened automatically: %(step)s (%(statute)s) became due on %(day)s; "
                               "%(version)s."),
    "closed_outstanding": N_("Closed with the law's steps outstanding, confirmed: %(steps)s"),
}
DATES = ("day",)  # values of these names are dates, stored as ISO text


def said(code, **values):
    """The CaseEvent fields of a note the app says itself, code a key of
    NOTES: CaseEvent.create(..., **said("transferred", school=name, day=date)).
    values: text, numbers, dates (named in DATES), and for
    "closed_outstanding" steps=[(label, statute or None, due date or None)]
    as fieldapp.cases.legal_stage.outstanding_items gives them."""
    if code not in NOTES:
        raise KeyError(code)
    return {"note_code": code, "note_values": json.dumps(values, default=_stored) if values else ""}


def _stored(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a value of a history note")


def said_by_app(event):
    """The Message of what the app said in a CaseEvent's note, or None."""
    code = getattr(event, "note_code", "")
    if not code or code not in NOTES:
        return None
    values = json.loads(event.note_values or "{}")
    for name in DATES:
        if values.get(name):
            values[name] = datetime.date.fromisoformat(values[name])
    if "steps" in values:
        values["steps"] = tuple(_step(*step) for step in values["steps"])
    return Message(NOTES[code], **values)


def _step(label, statute, due_on):
    """An outstanding step of a case closed anyway, as the close form lists it."""
    if statute:
        return Message("%(step)s (%(statute)s): overdue since %(day)s", step=label, statute=statute,
                       day=datetime.date.fromisoformat(due_on) if due_on else None)
    return Message("Status: %(status)s", status=label)


def note_text(event):
    """A CaseEvent's note in English (the case report): what a person typed,
    then what the app said (said_by_app), in brackets after a typed note."""
    typed, app = event.note or "", said_by_app(event)
    if app is None:
        return typed
    return f"{typed} ({app})" if typed else str(app)


def _labels(kind, values):
    return tuple(codes.label(kind, value) for value in values)


def event_text(event):
    """What a CaseEvent changed, as a Message: 'stage: Monitoring → First
    notice', 'closed: Attendance improved', 'assigned to Bea Second (was
    Ann First)', 'circumstances changed: added Homelessness'."""
    kind, before, after = event.kind, event.from_value or "", event.to_value or ""
    if kind == "opened":
        return Message("opened at %(stage)s", stage=codes.label("stage", after))
    if kind == "stage":
        return Message("stage: %(before)s → %(after)s", before=codes.label("stage", before),
                       after=codes.label("stage", after))
    if kind == "closed":
        return Message("closed: %(reason)s", reason=codes.label("closure", after))
    if kind == "assigned":
        if before and after:
            return Message("assigned to %(name)s (was %(before)s)", name=after, before=before)
        if after:
            return Message("assigned to %(name)s", name=after)
        return Message("left unassigned (was %(before)s)", before=before or NOBODY)
    if kind == "circumstances":
        return _circumstances(before.split(","), after.split(","))
    if kind == "referral":
        # the line names who referred (the event is theirs), as any line names its author
        return Message("referred to the attendance officer: %(reason)s", reason=codes.label("reason", before))
    if kind == "transferred":
        return Message("moved with the student from %(old)s to %(new)s", old=before, new=after)
    return Message(kind)


def _circumstances(was, now):
    added = _labels("flag", [flag for flag in now if flag and flag not in was])
    removed = _labels("flag", [flag for flag in was if flag and flag not in now])
    if added and removed:
        return Message("circumstances changed: added %(added)s; removed %(removed)s", added=added,
                       removed=removed)
    if added:
        return Message("circumstances changed: added %(added)s", added=added)
    return Message("circumstances changed: removed %(removed)s", removed=removed or (NOBODY,))
