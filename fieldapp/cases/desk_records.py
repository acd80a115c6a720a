"""The front office's records for a student: excuse notes naming the days of
absence they cover, and referrals to the attendance officer with their status.

An excuse note is the school's record that an excuse was received; the
attendance marks themselves stay as the student information system sends
them (a mark changes there, and comes back with the next import).
"""
import datetime

from peewee import JOIN

from fieldapp import codes
from fieldapp.cases import assignment
from fieldapp.cases.text import clean_text, pick_one
from fieldapp.db import Param, Params, Prepared, PreparedBySize, database, is_postgres
from fieldapp.messages import Message, N_
from fieldapp.models import Case, CaseEvent, ExcuseNote, ExcuseNoteDay, Referral, School, Student, User, utcnow
from fieldapp.rules.calendar import calendar_for
from fieldapp.rules.yearview import present_days
from fieldapp.timefmt import school_year_start, school_zone, to_local, today_for_school

MOST_DAYS = 30  # school days one note may cover
AHEAD = 30  # calendar days ahead a note may name (a planned absence)


class DeskError(ValueError):
    """The record cannot be made as asked; errors maps field -> message."""

    def __init__(self, errors):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def _day(value, errors, field, label):
    value = (value or "").strip()
    if not value:
        errors[field] = Message("%(label)s is required.", label=Message(label))
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        errors[field] = Message("Use a date like 2026-09-30.")
        return None


def covered_days(student, first, last, errors, today=None):
    """The school days from first to last (both included) at the student's
    school, checked: in this school year, not past AHEAD days from today, at
    most MOST_DAYS school days. Records what to fix in errors."""
    today = today or today_for_school(student.school_id)
    if first is None or last is None:
        return []
    if last < first:
        errors["last_day"] = Message("The last day is before the first day.")
    elif first < school_year_start(today) or last > today + datetime.timedelta(days=AHEAD):
        errors["first_day"] = Message("Name days of this school year, up to %(days)s days ahead.", days=AHEAD)
    else:
        days = calendar_for(student.school_id, first).days_between(first, last)
        if not days:
            errors["first_day"] = Message("There is no school on these days.")
        elif len(days) > MOST_DAYS:
            errors["last_day"] = Message("One note covers at most %(days)s school days.", days=MOST_DAYS)
        else:
            return days
    return []


def record_excuse_note(user, student, form, settings, today=None):
    """Record an excuse note from a form: first_day, last_day, received_how
    (codes.EXCUSE_CHANNELS), from_whom, reason (codes.REASONS), note; days
    the student attended (as their attendance calendar shows them, under
    settings: rules.settings) are said first, and kept once confirmed.
    Returns the ExcuseNote. Raises DeskError."""
    errors = {}
    first = _day(form.get("first_day"), errors, "first_day", N_("First day"))
    # an empty last day is the first day: a bad first day is said beside the first day alone
    last = _day(form.get("last_day"), errors, "last_day", N_("Last day")) if (form.get("last_day") or "").strip() \
        else first
    days = covered_days(student, first, last, errors, today) if not errors else []
    how = pick_one(form.get("received_how"), codes.EXCUSE_CHANNELS, errors, "received_how", N_("How it came"))
    reason = pick_one(form.get("reason"), codes.REASONS, errors, "reason", N_("Reason"))
    from_whom = clean_text(form.get("from_whom"), 200, errors, "from_whom", N_("From whom"))
    note = clean_text(form.get("note"), 2000, errors, "note", N_("Note"))
    if not errors:
        # Said beside the dates, all at once; the note is saved once the desk has ticked each.
        # Each is said again while another waits for its tick, its own tick kept: one at a time,
        # the second's answer came without the first's tick, and the first was asked again.
        warnings = _excuse_note_warnings(settings, student, days, today)
        if any(form.get(name) != "yes" for name in warnings):
            errors.update(warnings)
    if errors:
        raise DeskError(errors)
    with database.atomic():
        excuse = ExcuseNote.create(student=student, school=student.school_id, received_how=how,
                                   from_whom=from_whom, reason=reason, note=note, recorded_by=user)
        ExcuseNoteDay.insert_many([(excuse.id, student.id, day) for day in days],
                                  fields=[ExcuseNoteDay.excuse_note, ExcuseNoteDay.student,
                                          ExcuseNoteDay.date]).execute()
    return excuse


def _excuse_note_warnings(settings, student, days, today=None):
    """{tick's name: Message} of what the desk confirms before a note for
    days (dates) is kept: days the student attended (present_ok), and a
    note already covering some of them (again_ok); {} when neither."""
    warnings = {}
    present = present_days(settings, student, today or today_for_school(student.school_id), days)
    if present:
        warnings["present_ok"] = Message(
            "The student was marked present on %(days)s. Tick the box to record the note anyway.",
            days=tuple(sorted(present)))  # dates: said as the reader's language says them
    earlier = covering_note(student, days)
    if earlier is not None:  # a parent's and a doctor's note for the same days are both kept
        warnings["again_ok"] = Message("A note already covers %(days)s (recorded %(day)s by %(name)s). "
                                       "Tick the box to record this one too.",
                                       days=already_noted(student, days),
                                       day=to_local(earlier.recorded_at, school_zone(student.school_id)).date(),
                                       name=earlier.recorded_by.name)
    return warnings


def already_noted(student, days):
    """The dates among days (dates) that an excuse note of student already covers, in order."""
    if not days:
        return ()
    return tuple(sorted({day for (day,) in ExcuseNoteDay.select(ExcuseNoteDay.date).where(
        (ExcuseNoteDay.student == student.id) & ExcuseNoteDay.date.in_(list(days))).tuples()}))


def covering_note(student, days):
    """The latest ExcuseNote (with .recorded_by) of student that covers any of
    days (dates), or None."""
    if not days:
        return None
    return (ExcuseNote.select(ExcuseNote, User).join(User, on=(ExcuseNote.recorded_by == User.id))
            .where(ExcuseNote.id.in_(ExcuseNoteDay.select(ExcuseNoteDay.excuse_note).where(
                (ExcuseNoteDay.student == student.id) & ExcuseNoteDay.date.in_(list(days)))))
            .order_by(ExcuseNote.recorded_at.desc()).first())


def excuse_notes_of(student):
    """[(ExcuseNote, [dates])] of a student, newest first, in one statement
    (a row per day a note covers)."""
    notes, days = {}, {}
    for row in _EXCUSE_NOTES.rows(student=student.id):
        notes.setdefault(row.id, row)
        found = days.setdefault(row.id, [])
        if row.day is not None:
            day = row.day.date
            found.append(day if isinstance(day, datetime.date) else datetime.date.fromisoformat(str(day)[:10]))
    return [(note, days[note_id]) for note_id, note in notes.items()]


# On every student page.
_EXCUSE_NOTES = Prepared(lambda: ExcuseNote.select(ExcuseNote, User, ExcuseNoteDay.date)
                         .join(User, on=(ExcuseNote.recorded_by == User.id))
                         .switch(ExcuseNote)
                         .join(ExcuseNoteDay, JOIN.LEFT_OUTER, on=(ExcuseNoteDay.excuse_note == ExcuseNote.id),
                               attr="day")
                         .where(ExcuseNote.student == Param("student"))
                         .order_by(ExcuseNote.recorded_at.desc(), ExcuseNote.id.desc(), ExcuseNoteDay.date))


def refer(user, student, form):
    """Refer a student to the attendance officer: reason (codes.REASONS) and
    note. The referral goes to the school's officer (the least loaded when it
    has several), or to the unassigned queue when it has none. Raises DeskError."""
    errors = {}
    reason = pick_one(form.get("reason"), codes.REASONS, errors, "reason", N_("Reason"))
    note = clean_text(form.get("note"), 2000, errors, "note", N_("What the officer should know"),
                      required=True)
    with database.atomic():
        # Two people at the desk referring the same student at once: the second
        # waits here for the first to commit, then finds its referral.
        _hold_student(student)
        if Case.select().where((Case.student == student) & (Case.status == "open")).exists():
            errors["reason"] = Message("This student already has an open case; the officer sees it.")
        elif Referral.select().where((Referral.student == student) & (Referral.status == "waiting")).exists():
            errors["reason"] = Message("This student is already waiting for the officer.")
        if errors:
            raise DeskError(errors)
        return Referral.create(student=student, school=student.school_id, reason=reason, note=note,
                               officer=assignment.default_officer(user, student), referred_by=user)


def _hold_student(student):
    """Hold the student's row until the transaction ends, so a check of their
    referrals and the write after it are one step. PostgreSQL: FOR NO KEY
    UPDATE, which leaves rows that refer to the student free to be written;
    SQLite's write transactions take the database's lock as they begin
    (fieldapp.db.WritingSqliteDatabase), which does the same."""
    if is_postgres():
        list(Student.select(Student.id).where(Student.id == student.id).for_update("FOR NO KEY UPDATE").tuples())


SUPERVISORS_SHOWN = 3


def supervisors_to_ask():
    """The active supervisors (at most SUPERVISORS_SHOWN, by name): whom a
    case no officer holds yet, or a referral in the unassigned queue, waits on."""
    return list(User.select().where((User.role == "supervisor") & (User.active == True))  # noqa: E712
                .order_by(User.name, User.id).limit(SUPERVISORS_SHOWN))


def waiting_referral(student):
    """The student's waiting referral (with .referred_by), or None."""
    return (Referral.select(Referral, User).join(User, on=(Referral.referred_by == User.id))
            .where((Referral.student == student) & (Referral.status == "waiting")).first())


def accept_waiting(user, case):
    """A case opened for a student answers their waiting referral; the case's
    history says it came from it (a CaseEvent "referral" by who referred:
    from_value the reason code, to_value their name, note the referral's
    note), dated when the case was opened."""
    waiting = list(Referral.select(Referral, User).join(User, on=(Referral.referred_by == User.id))
                   .where((Referral.student == case.student_id) & (Referral.status == "waiting")))
    if not waiting:
        return
    (Referral.update(status="accepted", case=case, answered_by=user, answered_at=utcnow())
     .where(Referral.id.in_([r.id for r in waiting]) & (Referral.status == "waiting")).execute())
    for referral in waiting:
        CaseEvent.create(case=case, kind="referral", from_value=referral.reason,
                         to_value=referral.referred_by.name, note=referral.note, by=referral.referred_by)


def no_longer_waiting(referral):
    """What a form answering referral meets when it was answered already:
    {"kind": "referral_answered", "at": answered_at (UTC), "by": the User
    who answered (None if unknown), "status": codes.REFERRAL_STATUSES code,
    "answer": why, as they wrote it}; None while it waits."""
    if referral.status == "waiting":
        return None
    by = User.get_or_none(User.id == referral.answered_by_id) if referral.answered_by_id else None
    return {"kind": "referral_answered", "at": referral.answered_at, "by": by, "status": referral.status,
            "answer": referral.answer}


def decline(user, referral, form):
    """Decline a waiting referral, saying why (the front office reads it)."""
    errors = {}
    answer = clean_text(form.get("answer"), 2000, errors, "answer", N_("Why"), required=True)
    if referral.status != "waiting":
        errors["answer"] = Message("This referral was already answered.")
    if errors:
        raise DeskError(errors)
    answered = dict(status="declined", answer=answer, answered_by=user, answered_at=utcnow())
    # Declined only while still waiting, decided in the UPDATE itself: another
    # decline, or a case opened for the student (accept_waiting), may come first.
    if not (Referral.update(**answered)
            .where((Referral.id == referral.id) & (Referral.status == "waiting")).execute()):
        first = Referral.get_by_id(referral.id)
        raise DeskError({"answer": Message(
            "%(name)s answered this referral meanwhile (%(status)s); nothing was changed. Your text is kept "
            "below.", name=first.answered_by.name if first.answered_by_id else "",
            status=(codes.label("referral_status", first.status),))})
    for name, value in answered.items():
        setattr(referral, name, value)
    return referral


def _with_people(query):
    return query.join(Student, on=(Referral.student == Student.id)).join(
        School, on=(Student.school == School.id)).switch(Referral).join(
        User, on=(Referral.referred_by == User.id))


def waiting_for(officer):
    """Waiting referrals an officer holds, oldest first; only of students now
    at one of their schools (scope is the student's current school,
    fieldapp.policy). A referral no officer holds waits in the unassigned
    queue for a supervisor (waiting_unassigned), not on officers' caseloads."""
    schools = list(officer.school_ids())
    if not schools:
        return []
    return _WAITING_FOR.rows(len(schools), schools=schools, officer=officer.id)


# On every caseload page: its SQL built once per number of the officer's schools.
_WAITING_FOR = PreparedBySize(lambda n: _with_people(Referral.select(Referral, Student, School, User))
                              .where((Referral.status == "waiting") & Student.school.in_(Params("schools", n))
                                     & (Referral.officer == Param("officer")))
                              .order_by(Referral.referred_at, Referral.id))


def school_referrals(school_ids, limit=100):
    """The latest referrals of some schools, any status, newest first; each
    with .answered_by (the User who accepted or declined it, or None) loaded."""
    answerer = User.alias()
    return list(_with_people(Referral.select(Referral, Student, School, User, answerer))
                .switch(Referral).join(answerer, JOIN.LEFT_OUTER, on=(Referral.answered_by == answerer.id))
                .where(Student.school.in_(list(school_ids)))
                .order_by(Referral.referred_at.desc(), Referral.id.desc()).limit(limit))


def waiting_unassigned():
    """Waiting referrals nobody holds (a school without an officer), oldest first."""
    return list(_with_people(Referral.select(Referral, Student, School, User))
                .where((Referral.status == "waiting") & Referral.officer.is_null())
                .order_by(Referral.referred_at, Referral.id))
