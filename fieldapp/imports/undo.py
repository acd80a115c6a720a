"""Undoing an applied import from its journal: each row it touched returns to
what it held before, unless it has changed since, in which case what
happened since is kept (and counted). Rows it created are not deleted where
others may refer to them: students and schools are deactivated (unless a
later import, not undone, changed them: changed_later), guardian links ended; the attendance marks it stored are removed and the ones it
replaced come back. A case the import opened by itself (the rule set's
first threshold) is closed as opened in error, with the undo in its
history, when nothing was done on it since; a case worked since (a contact,
a letter, a plan, a stage or any other change in its history) stays open
and is counted. Cases and contacts logged since are never touched, and a
student the import created who has casework since (a case, a contact, a
letter, a plan, an excuse note, a referral) stays active: deactivating them
would hide an open case from the officer's caseload (students_kept, said in
the preview of the undo and after it). The enrollment records and periods
it added are deleted (nothing refers to them), and counted, unless a later
import (not undone) changed them: those are kept and named, as is a record
or period it changed that a later import (not undone) changed again (that
import's file said the whole record).

What is kept is said by name, not only counted: counts["which"] maps a
count's name to the lines naming each row it counts, each a Message (kept
with what translates it, so each reader reads it in their own language).

Nothing an import made or changed is undone by an earlier import's undo: the
days of a school's calendar a later import (not undone) decided (the whole
year, or the dates of the part of it the later file gives; the other days go
back, day by day: undo_calendars), an attendance mark a later import replaced, an enrollment it changed, stay
as the later import left them, and the undo names each ("changed since by
import N, kept"); undoing the later import then puts back what it found, or,
where an import undone since had made it, what that import found (a calendar's
days, a day's marks, a student's, a school's, an enrolment record's or period's
values; a student or school it created is deactivated, a record or period
deleted: undo_records).

A student with no enrolment period before the import, whose year assumed
at their school it wrote down as a period (a move ending it), and whom a
later import left other periods (a delta ending the new school's
enrolment), gets that period back as the whole year, as it was assumed:
removing it left them counted only the later periods' days
(year_assumed_again).

A later import (not undone) whose delta file said a row again as it was
stored (a record's tobedeleted sent twice, a guardian link listed again:
journal.said) changed nothing, yet its word stands as well: undoing the
earlier import keeps the row ("import N, later, says the same; kept"), and
undoing the later one then undoes what the earlier one, undone since, had
made of it. A file sent whole (bulk) is not journalled row by row (a
district's roster every night): the preview of the undo warns that what it
says again goes with the earlier import (sent_whole_later).

This module walks an import's journal; each kind of record is undone in its
own module: undo_calendars, undo_marks (attendance marks), undo_cases (the
students kept for their casework, the cases an import opened), undo_moves
(a later users.csv move written again where undoing leaves a student no
enrolment period), and undo_words names what is restored and kept."""
import datetime
import json

from fieldapp.db import database
from fieldapp.imports.journal import plain
from fieldapp.imports.undo_calendars import calendar_back, calendars_kept
from fieldapp.imports.undo_cases import case_moved_back, close_opened_case, students_kept
from fieldapp.imports.undo_marks import days_redone_since, mark_back, marks_kept, marks_replaced_later
from fieldapp.imports.undo_kept import (
    DEACTIVATED, KEPT_WHEN_CHANGED, MODELS, REMOVED, Said, changed_by, changed_later, kept_since,
    sent_whole_later, spans_of_records, year_assumed_again,
)
from fieldapp.imports.undo_moves import moved_since_left_spanless, write_moves
from fieldapp.imports.undo_records import GONE_AGAIN, WALKED, UndoneEarlier, schools_kept, year_assumed_gone
from fieldapp.imports.undo_words import CHANGED_SINCE, FIELDS, count, named
from fieldapp.messages import Message
from fieldapp.rules.stored import encode
from fieldapp.models import AttendanceEvent, Enrollment, ImportChange, ImportRun, Student, StudentGuardian, utcnow

__all__ = ["CHANGED_SINCE", "KEPT_STUDENTS", "UndoRefused", "calendars_kept", "changed_later",
           "marks_replaced_later", "preview", "preview_changed", "students_kept", "undo"]

DERIVED = ("sort_key",)
KEPT_STUDENTS = "students it created kept active: casework since"
# What an undo did to each kind of row, in the words of the page (count_words
# holds their singulars), never the name of a table.
RESTORED = {"student": "students restored", "school": "schools restored", "guardian": "guardians restored",
            "enrollment": "enrollment periods restored", "case": "cases restored",
            "roster_enrollment": "enrollment records restored", "referral": "referrals restored"}


class UndoRefused(Exception):
    """The import cannot be undone (not applied, or undone already)."""


def _as_left(model, row_id, after, counts):
    """Does the row still hold what the import left in it (after)? When not, what changed since is counted."""
    keys = list(after)
    row = model.select(*[model._meta.fields[k] for k in keys]).where(model.id == row_id).tuples().first()
    if row is None:
        return False
    now = {k: plain(v) for k, v in zip(keys, row)}
    if now != after:
        # The fields a person set, not those derived from them (a name's sort key).
        changed = tuple(FIELDS.get(k, k.replace("_", " ")) for k in keys if now[k] != after[k] and k not in DERIVED)
        count(counts, CHANGED_SINCE, which=Message("%(what)s: %(fields)s changed since",
                                                    what=named(model, row_id), fields=changed))
        return False
    return True


def _restore(model, row_id, before, after, counts):
    if not _as_left(model, row_id, after, counts):
        return
    model.update(**before).where(model.id == row_id).execute()
    count(counts, RESTORED[model._meta.table_name])
    if model is Student and set(before) & {"first_name", "last_name", "middle_name", "local_id"}:
        from fieldapp.students.search import index_student
        index_student(Student.get_by_id(row_id))
    return True


def preview(run):
    """What undoing the run would keep that a person must know before: the
    lines of students_kept, by name."""
    return [line for _, line in sorted(students_kept(run).items(), key=lambda pair: pair[1])]


def preview_changed(run):
    """The lines naming what the run made that a later import (not undone)
    changed, which undoing it keeps: enrollment records and periods
    (changed_later), the days of calendars (calendars_kept), the days of
    attendance marks (marks_replaced_later); and the students a later
    users.csv moved whom undoing it leaves with no enrolment period
    (moved_since_left_spanless), or with those only and the year at their
    school put back (year_assumed_again); and a warning of each later import
    that sent whole a roster file saying what it made (sent_whole_later)."""
    calendars, later = calendars_kept(run), changed_later(run)
    schools = sorted(schools_kept(run, students_kept(run)).values())
    spanless = sorted(line for line, _ in moved_since_left_spanless(run).values()) + \
        sorted(year_assumed_again(run, later).values())
    return sent_whole_later(run) + kept_since(run, later) + schools + spanless + calendars + \
        marks_kept(marks_replaced_later(run))


def _created(table, row_id, after, counts, kept=None, later=None):
    if table == "student" and kept and row_id in kept:
        count(counts, KEPT_STUDENTS, which=kept[row_id])
    elif table == "school" and kept and ("school", row_id) in kept:
        count(counts, CHANGED_SINCE, which=kept["school", row_id])
    elif table in KEPT_WHEN_CHANGED and later and (table, row_id) in later:
        count(counts, CHANGED_SINCE, which=changed_by(table, row_id, later))
    elif table in ("student", "school"):
        model = MODELS[table]
        if model.update(active=False).where(model.id == row_id, model.active == True).execute():  # noqa: E712
            count(counts, DEACTIVATED[table])
    elif table == "enrollment" and kept and ("enrollment", row_id) in kept:  # the year assumed: year_assumed_again
        Enrollment.update(begin_date=None, end_date=None).where(Enrollment.id == row_id).execute()
        count(counts, RESTORED[table], which=kept["enrollment", row_id])
    elif table in REMOVED:
        if MODELS[table].delete().where(MODELS[table].id == row_id).execute():
            count(counts, REMOVED[table])
    elif table == "student_guardian" and later and (table, (row_id, after["guardian"])) in later:
        count(counts, CHANGED_SINCE, which=changed_by(table, (row_id, after["guardian"]), later))
    elif table == "student_guardian":
        count(counts, "guardian links it added ended", StudentGuardian.update(ended_at=utcnow()).where(
            StudentGuardian.student == row_id, StudentGuardian.guardian == after["guardian"],
            StudentGuardian.current()).execute())


def _link(student, before, after, counts):
    link = StudentGuardian.get_or_none(StudentGuardian.student == student,
                                       StudentGuardian.guardian == after["guardian"])
    if link is None:
        return
    if "relationship" in after:  # the file said another relationship (a parent stored as guardian)
        if link.relationship != after["relationship"]:
            count(counts, CHANGED_SINCE, which=Message("%(student)s: guardian link changed since",
                                                        student=named(Student, student)))
            return
        StudentGuardian.update(relationship=before["relationship"]).where(
            StudentGuardian.student == student, StudentGuardian.guardian == after["guardian"]).execute()
        count(counts, "guardian relationships put back")
        return
    if plain(link.ended_at) != after["ended_at"]:
        count(counts, CHANGED_SINCE, which=Message("%(student)s: guardian link changed since",
                                                        student=named(Student, student)))
        return
    ended = datetime.datetime.fromisoformat(before["ended_at"]) if before["ended_at"] else None
    StudentGuardian.update(ended_at=ended).where(StudentGuardian.student == student,
                                                 StudentGuardian.guardian == after["guardian"]).execute()
    count(counts, "guardian links restored" if ended is None else "guardian links ended again")


def _gone_again(table, row_id, after, counts, maker, undone):
    """A student, school, enrolment record or period an import undone since created, which this run
    changed: it goes as that import's undo would have taken it (deactivated, a record or period deleted;
    a student with casework since stays active)."""
    model = MODELS[table]
    if not _as_left(model, row_id, after, counts):
        return
    if table in REMOVED:
        student = model.select(model.student).where(model.id == row_id).scalar()
        if model.delete().where(model.id == row_id).execute():
            count(counts, GONE_AGAIN[table])
        if table == "enrollment":
            year_assumed_gone(student, counts, undone)
    elif table == "student" and row_id in undone.kept(maker):
        count(counts, KEPT_STUDENTS, which=undone.kept(maker)[row_id])
    elif model.update(active=False).where(model.id == row_id, model.active == True).execute():  # noqa: E712
        count(counts, GONE_AGAIN[table])


def _one(change, counts, run, user, redone=frozenset(), kept=None, later=None, earlier=None, undone=None):
    before = json.loads(change.before_json) if change.before_json else None
    after = json.loads(change.after_json) if change.after_json else None
    if change.action == "created" and after and "rows" in after:  # a batch (Journal.created_rows)
        for row in reversed(after["rows"]):
            if change.table == "student_guardian":
                _created(change.table, row[0], {"guardian": row[1]}, counts, later=later)
            else:
                _created(change.table, row, {}, counts, kept, later)
    elif change.action == "created" and change.table == "case":
        close_opened_case(change.row_id, after, counts, run, user)
    elif change.action == "created":
        _created(change.table, change.row_id, after, counts, kept, later)
    elif change.action == "said":  # what its file said again as it was: nothing it changed
        if undone is not None and undone.ids:
            _said_back(change, after, counts, run, user, undone)
    elif change.action == "updated" and later and isinstance(later.get(_key(change, after)), Said):
        # a later import (not undone) says the row as this one left it: its word stands
        count(counts, CHANGED_SINCE, which=changed_by(change.table, _key(change, after)[1], later))
    elif change.table == "student_guardian":
        _link(change.row_id, before, after, counts)
    elif change.action == "updated" and change.table in REMOVED and later and (change.table, change.row_id) in later:
        # a record or period a later roster (not undone) changed: its file said the whole record, which stands
        count(counts, CHANGED_SINCE, which=changed_by(change.table, change.row_id, later))
    elif change.action == "updated" and change.table in WALKED and undone is not None and undone.ids and \
            _walked_back(change, before, after, counts, undone):
        return
    elif change.action == "updated":
        if _restore(MODELS[change.table], change.row_id, before, after, counts) and change.table == "case" \
                and before.get("school") != after.get("school"):
            case_moved_back(change.row_id, after["school"], before["school"], run, user)
    elif change.table == "attendance_event":
        mark_back(before, counts, redone, earlier)
    elif change.table == "school_calendar":
        calendar_back(before, counts, run)


def _said_back(change, after, counts, said_by, user, undone):
    """The rows this run (said_by) said again as they were (journal.said), which an import before it,
    undone after it was applied, made or changed and kept for its word (changed_later): that import's
    undo of them is done now, so that undoing both leaves them as before both (a record's, its periods
    too)."""
    rows = {tuple(row) if isinstance(row, list) else row for row in after.get("rows", ())}
    keys = {(change.table, row) for row in rows}
    if change.table == "roster_enrollment":
        keys.update(("enrollment", span) for span in spans_of_records(rows))
    tables = sorted({table for table, _ in keys})
    makers = [maker for (maker,) in ImportRun.select(ImportRun.id).where(
        ImportRun.id.in_(sorted(undone.ids)), ImportRun.undone_at > said_by.applied_at).tuples()]
    for maker in sorted(makers, reverse=True):  # the newest import to make or change a row undoes it
        if not keys:
            return
        run, later = ImportRun.get_by_id(maker), None
        for entry in ImportChange.select().where(ImportChange.run == maker, ImportChange.table.in_(tables),
                                                 ImportChange.action.in_(("created", "updated"))):
            made = json.loads(entry.after_json) if entry.after_json else {}
            named = [tuple(row) if isinstance(row, list) else row for row in made.get("rows", ())] or \
                [_key(entry, made)[1]]
            mine = [row for row in named if (entry.table, row) in keys]
            if not mine:
                continue
            later = changed_later(run) if later is None else later
            for row in mine:
                if entry.action == "created" and entry.table == "student_guardian":  # row: (student, guardian)
                    _created(entry.table, row[0], {"guardian": row[1]}, counts, later=later)
                elif entry.action == "created":
                    _created(entry.table, row, made, counts, undone.kept(maker), later)
                else:
                    _one(entry, counts, run, user, later=later)
            keys.difference_update((entry.table, row) for row in mine)


def _key(change, after):
    """The key of changed_later for the row a journal entry names (a link's: (student, guardian))."""
    if change.table == "student_guardian":
        return change.table, (change.row_id, after["guardian"])
    return change.table, change.row_id


def _walked_back(change, before, after, counts, undone):
    """Undo an update of a student, a school, an enrolment record or period whose values before it an
    import undone since had given
    (UndoneEarlier.before); False when none had, and the update is undone as any other."""
    values, maker = undone.before(change.table, change.row_id, before)
    if maker:
        _gone_again(change.table, change.row_id, after, counts, maker, undone)
        return True
    if values == before:
        return False
    _restore(MODELS[change.table], change.row_id, values, after, counts)
    return True


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
        redone = days_redone_since(run)
        kept = students_kept(run)  # before the cases it opened are closed: as the preview said
        kept.update(schools_kept(run, kept))  # keyed ("school", id): the schools students stay at
        later = changed_later(run)
        kept.update((("enrollment", span), line) for span, line in year_assumed_again(run, later).items())
        moves = moved_since_left_spanless(run)  # before its periods are removed
        for line in sorted(line for line, move in moves.values() if move is None):
            count(counts, CHANGED_SINCE, which=line)
        removed = AttendanceEvent.delete().where(AttendanceEvent.import_run_id == run.id).execute()
        count(counts, "attendance marks it stored removed", removed) if removed else None
        # the days a later import decided, which the replaced marks' lines name already, named once
        for line in marks_kept({day: by for day, by in marks_replaced_later(run).items() if day not in redone}):
            count(counts, CHANGED_SINCE, which=line)
        changes = ImportChange.select().where(ImportChange.run == run).order_by(ImportChange.id.desc())
        earlier = {}  # the marks undone imports had replaced, read once (marks_before_undone)
        undone = UndoneEarlier(run)
        for change in changes:
            _one(change, counts, run, user, redone, kept, later, earlier, undone)
        write_moves(moves, counts)
        # each line kept with what translates it (ImportRun.undo_counts reads it back)
        stored = dict(counts, which={name: [encode(line) for line in lines]
                                     for name, lines in counts.get("which", {}).items()}) \
            if "which" in counts else counts
        ImportRun.update(undo_counts_json=json.dumps(stored)).where(ImportRun.id == run.id).execute()
    return counts
