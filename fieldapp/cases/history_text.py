"""A line of a case's history in words: field labels and readable values
(stage and closure labels, officers' and schools' names), never the stored
codes. The student's page shows it in the reader's language; the case report
(English, for boards and courts) uses the same words."""
from fieldapp import codes
from fieldapp.messages import Message, N_

NOBODY = N_("nobody")


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
        return Message("referred by %(name)s: %(reason)s", name=after, reason=codes.label("reason", before))
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
