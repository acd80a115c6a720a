"""Follow-ups as tasks: a contact that gives a follow-up date plans one; it stays open
until an officer marks it done or a later contact plans another on purpose. A contact
with no date (a quick call, a letter) leaves the planned follow-up as it is.

Case.next_follow_up is kept equal to the due date of the case's open follow-up.
"""
from fieldapp.db import database
from fieldapp.messages import Message
from fieldapp.models import Case, Contact, FollowUp, utcnow


class FollowUpError(ValueError):
    """The follow-up cannot be marked done as asked; errors maps field -> message."""

    def __init__(self, errors):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def align(case, current):
    """Bring the case's follow-up in line with its contacts; return the open one or None.

    current: the case's effective contacts, newest first, as (id, occurred_at,
    follow_up_on) tuples. The newest contact with a date plans the follow-up,
    unless a contact that happened later already planned one (done or not); an
    open follow-up whose contact was corrected away is closed as replaced.
    """
    effective = {contact_id for contact_id, _, _ in current}
    planning = next(((cid, at, due) for cid, at, due in current if due), None)
    task = FollowUp.get_or_none((FollowUp.case == case) & (FollowUp.status == "open"))
    if task is not None and task.planned_by_id not in effective:
        _close(task, "replaced")
        task = None
    if planning is None or (task is not None and task.planned_by_id == planning[0]):
        return task
    if _planned_later(case, planning[1]):
        return task
    if task is not None:
        _close(task, "replaced")
    return FollowUp.create(case=case, due_on=planning[2], planned_by=planning[0])


def _planned_later(case, occurred_at):
    """True when a follow-up of the case was planned by a contact, still current (not
    corrected by an amendment), that happened at or after occurred_at: so an older
    contact, sent late from a phone, replaces nothing."""
    amended = Contact.select(Contact.amends).where(
        (Contact.case == case) & Contact.amends.is_null(False))
    return (FollowUp.select().join(Contact, on=(FollowUp.planned_by == Contact.id))
            .where((FollowUp.case == case) & (Contact.occurred_at >= occurred_at)
                   & ~(Contact.id.in_(amended))).exists())


def _close(task, status, user=None):
    task.status, task.closed_at, task.closed_by = status, utcnow(), user
    task.save(only=[FollowUp.status, FollowUp.closed_at, FollowUp.closed_by])


def mark_done(user, case, due_on):
    """Mark the case's open follow-up done (the one due on `due_on`, an ISO date string,
    so a second tap or a stale page never closes a newer one). Raises FollowUpError."""
    task = FollowUp.get_or_none((FollowUp.case == case) & (FollowUp.status == "open"))
    if task is None or task.due_on.isoformat() != str(due_on or "").strip():
        raise FollowUpError({"follow_up": NO_LONGER_OPEN})
    with database.atomic():
        # Closed only while still open, decided in the UPDATE itself: two taps, two
        # people, or a contact replacing it at that moment, and only one of them counts.
        closed_at = utcnow()
        done = (FollowUp.update(status="done", closed_at=closed_at, closed_by=user)
                .where((FollowUp.id == task.id) & (FollowUp.status == "open")).execute())
        if not done:
            raise FollowUpError({"follow_up": NO_LONGER_OPEN})
        Case.update(next_follow_up=None).where(Case.id == case.id).execute()
    task.status, task.closed_at, task.closed_by = "done", closed_at, user
    case.next_follow_up = None
    return task


NO_LONGER_OPEN = Message("This follow-up is no longer open: it was done or replaced meanwhile.")


def open_follow_ups(cases):
    """{case id: its open FollowUp} for a list of cases, in one query."""
    ids = [c.id for c in cases]
    if not ids:
        return {}
    return {f.case_id: f for f in FollowUp.select().where(
        (FollowUp.case.in_(ids)) & (FollowUp.status == "open"))}


def due_state(due_on, today):
    """How a follow-up date stands on `today` (both dates, in the school's zone):
    "overdue" (a day in the past), "today", "later", or "" when none is set."""
    if due_on is None:
        return ""
    return "overdue" if due_on < today else "today" if due_on == today else "later"
