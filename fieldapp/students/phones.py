"""Numbers that are wrong or disconnected.

An officer who reaches a stranger or a dead line marks the number; it is no
longer offered ("Call …") but stays on the record, with who marked it, when,
and from which contact. A number the student information system sends anew
(a different number) is offered again. Nothing is deleted.
"""
from peewee import JOIN

from fieldapp.db import Param, Prepared, database, is_postgres
from fieldapp.messages import Message
from fieldapp.models import Guardian, PhoneMark, StudentGuardian, User, utcnow

FIELDS = {"phone": "phone", "alt_phone": "alternate phone"}
STATUSES = {"wrong": "Wrong number", "disconnected": "Disconnected"}
NO_GUARDIAN = Message("Choose a number of one of this student's guardians.")


class PhoneMarkError(ValueError):
    """The mark cannot be made; errors maps field -> message."""

    def __init__(self, errors):
        super().__init__("; ".join(str(m) for m in errors.values()))
        self.errors = errors


def marks_of(guardians):
    """{(guardian id, field): PhoneMark} for numbers marked as they stand now
    (a mark on an older number no longer applies). guardians: Guardian rows
    as read (their numbers now)."""
    if not guardians:
        return {}
    current = {g.id: g for g in guardians}
    marks = {}
    for mark in (PhoneMark.select(PhoneMark, User).join(User, on=(PhoneMark.marked_by == User.id))
                 .where(PhoneMark.guardian.in_(list(current))).order_by(PhoneMark.id)):
        guardian = current.get(mark.guardian_id)
        if guardian is not None and getattr(guardian, mark.field) == mark.number:
            marks[(mark.guardian_id, mark.field)] = mark
    return marks


def guardians_with_marks(student):
    """([(Guardian, relationship)] as records.guardians_of gives them, primary
    first, and {(guardian id, field): PhoneMark} as marks_of gives them), in
    one statement built once: the student page asks for both on every view."""
    guardians, marks = {}, {}
    for link in _GUARDIANS_MARKS.rows(student=student.id):
        guardian = guardians.setdefault(link.guardian.id, (link.guardian, link.relationship))[0]
        mark = link.guardian.mark
        if mark is not None and getattr(guardian, mark.field) == mark.number:
            marks[(guardian.id, mark.field)] = mark  # the latest mark of a number wins, as in marks_of
    return list(guardians.values()), marks


def _guardians_marks():
    return (StudentGuardian.select(StudentGuardian, Guardian, PhoneMark, User).join(Guardian)
            .join(PhoneMark, JOIN.LEFT_OUTER, on=(PhoneMark.guardian == Guardian.id), attr="mark")
            .join(User, JOIN.LEFT_OUTER, on=(PhoneMark.marked_by == User.id))
            .where(StudentGuardian.student == Param("student"), StudentGuardian.current())
            .order_by(StudentGuardian.is_primary.desc(), Guardian.last_name, Guardian.id, PhoneMark.id))


_GUARDIANS_MARKS = Prepared(_guardians_marks)


def numbers_to_offer(guardian, marks):
    """[(field, number)] of this guardian's numbers still worth calling."""
    return [(field, getattr(guardian, field)) for field in FIELDS
            if getattr(guardian, field) and (guardian.id, field) not in marks]


def mark_number(user, guardian, field, status, contact=None):
    """Mark a guardian's phone or alt_phone as wrong or disconnected; returns
    the PhoneMark. Raises PhoneMarkError when there is no such number or it
    is marked already."""
    errors = {}
    if field not in FIELDS or not getattr(guardian, field, ""):
        errors["field"] = Message("There is no such number on record.")
    elif status not in STATUSES:
        errors["status"] = Message("Choose wrong number or disconnected.")
    if errors:
        raise PhoneMarkError(errors)
    with database.atomic():
        # Two people marking the same number at once: the second waits here for
        # the first to commit and then finds its mark (SQLite: BEGIN IMMEDIATE).
        query = Guardian.select().where(Guardian.id == guardian.id)
        held = (query.for_update("FOR NO KEY UPDATE") if is_postgres() else query).get()
        if (guardian.id, field) in marks_of([held]):
            raise PhoneMarkError({"field": Message("This number is marked already.")})
        return PhoneMark.create(guardian=guardian, field=field, number=getattr(guardian, field),
                                status=status, marked_by=user, marked_at=utcnow(),
                                contact_id=contact.id if contact else None)
