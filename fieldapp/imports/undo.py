"""Undoing an applied import from its journal: each row it touched returns to
what it held before, unless it has changed since, in which case what
happened since is kept (and counted). Rows it created are not deleted where
others may refer to them: students and schools are deactivated, guardian
links ended; the attendance marks it stored are removed and the ones it
replaced come back. A case the import opened by itself (the rule set's
first threshold) is closed as opened in error, with the undo in its
history, when nothing was done on it since; a case worked since (a contact,
a letter, a plan, a stage or any other change in its history) stays open
and is counted. Cases and contacts logged since are never touched."""
import datetime
import json

from fieldapp.db import database
from fieldapp.imports.journal import plain
from fieldapp.models import (
    AttendanceEvent, CalendarDay, Case, CaseEvent, Contact, Enrollment, Guardian, ImportChange, ImportRun,
    Letter, Plan, Referral, RosterEnrollment, School, SchoolCalendar, Student, StudentGuardian, utcnow,
)

MODELS = {"student": Student, "school": School, "guardian": Guardian, "enrollment": Enrollment,
          "case": Case, "roster_enrollment": RosterEnrollment, "referral": Referral}


class UndoRefused(Exception):
    """The import cannot be undone (not applied, or undone already)."""


def _restore(model, row_id, before, after, counts):
    keys = list(after)
    row = model.select(*[model._meta.fields[k] for k in keys]).where(model.id == row_id).tuples().first()
    if row is None:
        return
    if {k: plain(v) for k, v in zip(keys, row)} != after:
        _count(counts, "kept: changed since the import")
        return
    model.update(**before).where(model.id == row_id).execute()
    _count(counts, f"{model._meta.table_name}s restored")
    if model is Student and set(before) & {"first_name", "last_name", "middle_name", "local_id"}:
        from fieldapp.students.search import index_student
        index_student(Student.get_by_id(row_id))
    return True


def _count(counts, name, n=1):
    counts[name] = counts.get(name, 0) + n


def _worked_since(case, after):
    """Whether anything was done on a case since the import opened it."""
    return (case.status != after.get("status", "open")
            or Contact.select().where(Contact.case == case).exists()
            or Letter.select().where(Letter.case == case).exists()
            or Plan.select().where(Plan.case == case).exists()
            or CaseEvent.select().where(CaseEvent.case == case).count() > after.get("events", 1))


def _close_opened_case(case_id, after, counts, run, user):
    case = Case.get_or_none(Case.id == case_id)
    if case is None:
        return
    if _worked_since(case, after):
        _count(counts, "kept open: cases it opened, worked since")
        return
    note = f"Import #{run.id} ({run.filename}) was undone; it had opened this case automatically."
    case.status, case.closure_reason, case.closure_note = "closed", "opened_in_error", note
    case.closed_at, case.closed_by = utcnow(), user
    case.save()
    CaseEvent.create(case=case, kind="closed", from_value=case.stage, to_value="opened_in_error",
                     note=note, by=user or case.opened_by)
    _count(counts, "cases it opened closed")


def _case_moved_back(case_id, new_school, old_school, run, user):
    """Say in the case's history that undoing the transfer moved it back: its
    last line otherwise still reads "transferred" to a school it has left."""
    names = dict(School.select(School.id, School.name).where(School.id.in_([new_school, old_school])).tuples())
    case = Case.get_by_id(case_id)
    CaseEvent.create(case=case, kind="transferred", from_value=names.get(new_school, "")[:255],
                     to_value=names.get(old_school, "")[:255], by=user or case.opened_by,
                     note=f"Import #{run.id} ({run.filename}) was undone; the case moved back with the student.")


def _created(table, row_id, after, counts):
    if table in ("student", "school"):
        model = MODELS[table]
        if model.update(active=False).where(model.id == row_id, model.active == True).execute():  # noqa: E712
            _count(counts, f"{table}s it created deactivated")
    elif table in ("enrollment", "roster_enrollment"):
        MODELS[table].delete().where(MODELS[table].id == row_id).execute()
    elif table == "student_guardian":
        _count(counts, "guardian links it added ended", StudentGuardian.update(ended_at=utcnow()).where(
            StudentGuardian.student == row_id, StudentGuardian.guardian == after["guardian"],
            StudentGuardian.current()).execute())


def _link(student, before, after, counts):
    link = StudentGuardian.get_or_none(StudentGuardian.student == student,
                                       StudentGuardian.guardian == after["guardian"])
    if link is None:
        return
    if plain(link.ended_at) != after["ended_at"]:
        _count(counts, "kept: changed since the import")
        return
    ended = datetime.datetime.fromisoformat(before["ended_at"]) if before["ended_at"] else None
    StudentGuardian.update(ended_at=ended).where(StudentGuardian.student == student,
                                                 StudentGuardian.guardian == after["guardian"]).execute()
    _count(counts, "guardian links restored" if ended is None else "guardian links ended again")


def _days_redone_since(run):
    """{(student id, ISO date)} of the days whose marks this run replaced and
    that a later import has decided again: it replaced this run's marks of the
    day (and was not undone), or stored marks of its own on it. Putting the
    replaced marks back there would stand them beside, or instead of, the
    later import's word on the day."""
    replaced = set()
    for (before,) in ImportChange.select(ImportChange.before_json).where(
            ImportChange.run == run, ImportChange.table == "attendance_event",
            ImportChange.action == "deleted").tuples():
        mark = json.loads(before)
        replaced.add((mark["student"], mark["date"]))
    if not replaced:
        return set()
    dates = sorted({day for _, day in replaced})
    redone = set()
    for start in range(0, len(dates), 500):
        for student, day in AttendanceEvent.select(AttendanceEvent.student, AttendanceEvent.date).where(
                AttendanceEvent.date.in_(dates[start:start + 500]),
                AttendanceEvent.import_run_id.is_null() | (AttendanceEvent.import_run_id != run.id)).tuples():
            redone.add((student, plain(day)))
    later = (ImportChange.select(ImportChange.before_json).join(ImportRun)
             .where(ImportChange.run > run.id, ImportChange.table == "attendance_event",
                    ImportChange.action == "deleted", ImportRun.undone_at.is_null()).tuples())
    for (before,) in later:
        mark = json.loads(before)
        if mark.get("import_run_id") == run.id:
            redone.add((mark["student"], mark["date"]))
    return redone & replaced


def _mark_back(before, counts, redone=frozenset()):
    if (before["student"], before["date"]) in redone:
        _count(counts, "kept: changed since the import")
        return
    clash = AttendanceEvent.select().where(
        AttendanceEvent.student == before["student"], AttendanceEvent.date == before["date"],
        AttendanceEvent.category == before["category"]).exists()
    if clash:
        _count(counts, "kept: changed since the import")
        return
    AttendanceEvent.create(**before)
    _count(counts, "attendance marks put back")


def _calendar_back(calendar_id, before, counts):
    if not SchoolCalendar.delete().where(SchoolCalendar.id == calendar_id).execute():
        _count(counts, "kept: changed since the import")
        return
    if not before.get("absent"):
        old = SchoolCalendar.create(school=before["school"], school_year=before["school_year"],
                                    first_day=before["first_day"], last_day=before["last_day"])
        for day, kind, name in before["days"]:
            CalendarDay.create(calendar=old, date=day, kind=kind, name=name)
    _count(counts, "calendars put back")


def _one(change, counts, run, user, redone=frozenset()):
    before = json.loads(change.before_json) if change.before_json else None
    after = json.loads(change.after_json) if change.after_json else None
    if change.action == "created" and after and "rows" in after:  # a batch (Journal.created_rows)
        for row in reversed(after["rows"]):
            if change.table == "student_guardian":
                _created(change.table, row[0], {"guardian": row[1]}, counts)
            else:
                _created(change.table, row, {}, counts)
    elif change.action == "created" and change.table == "case":
        _close_opened_case(change.row_id, after, counts, run, user)
    elif change.action == "created":
        _created(change.table, change.row_id, after, counts)
    elif change.table == "student_guardian":
        _link(change.row_id, before, after, counts)
    elif change.action == "updated":
        if _restore(MODELS[change.table], change.row_id, before, after, counts) and change.table == "case" \
                and before.get("school") != after.get("school"):
            _case_moved_back(change.row_id, after["school"], before["school"], run, user)
    elif change.table == "attendance_event":
        _mark_back(before, counts, redone)
    elif change.table == "school_calendar":
        _calendar_back(change.row_id, before, counts)


def undo(run, user):
    """Undo an applied import (see the module's docstring); returns the counts
    of what was restored and kept. Raises UndoRefused."""
    if not run.was_applied or run.undone_at is not None:
        raise UndoRefused("Only an applied import that has not been undone can be undone.")
    counts = {}
    with database.atomic():
        # claimed first, so a second press (or another administrator's) finds it undone and changes nothing
        if not ImportRun.update(undone_at=utcnow(), undone_by=user).where(
                ImportRun.id == run.id, ImportRun.undone_at.is_null()).execute():
            raise UndoRefused("This import has just been undone.")
        redone = _days_redone_since(run)
        removed = AttendanceEvent.delete().where(AttendanceEvent.import_run_id == run.id).execute()
        _count(counts, "attendance marks it stored removed", removed) if removed else None
        changes = ImportChange.select().where(ImportChange.run == run).order_by(ImportChange.id.desc())
        for change in changes:
            _one(change, counts, run, user, redone)
        ImportRun.update(undo_counts_json=json.dumps(counts)).where(ImportRun.id == run.id).execute()
    return counts
