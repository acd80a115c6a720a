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
import (not undone) changed them: those are kept and named.

What is kept is said by name, not only counted: counts["which"] maps a
count's name to the lines naming each row it counts, each a Message (kept
with what translates it, so each reader reads it in their own language).

Nothing an import made or changed is undone by an earlier import's undo: a
school's calendar a later import (not undone) replaced or changed in part,
an attendance mark a later import replaced, an enrollment it changed, stay
as the later import left them, and the undo names each ("changed since by
import N, kept"); undoing the later import then puts back what it found, or,
for a calendar made by an import undone since, what that import found."""
import datetime
import json

from peewee import fn

from fieldapp.cases import history_text
from fieldapp.db import database
from fieldapp.imports.journal import plain
from fieldapp.messages import N_, NP_, Message, plural_message
from fieldapp.rules.stored import encode
from fieldapp.models import (
    AttendanceEvent, CalendarDay, Case, CaseEvent, Contact, Enrollment, ExcuseNote, Guardian, ImportChange,
    ImportRun, Letter, Plan, Referral, RosterEnrollment, School, SchoolCalendar, Student, StudentGuardian,
    utcnow,
)

CHANGED_SINCE = "kept: changed since the import"
DERIVED = ("sort_key",)
KEPT_STUDENTS = "students it created kept active: casework since"
MODELS = {"student": Student, "school": School, "guardian": Guardian, "enrollment": Enrollment,
          "case": Case, "roster_enrollment": RosterEnrollment, "referral": Referral}
# What an undo did to each kind of row, in the words of the page (count_words
# holds their singulars), never the name of a table.
RESTORED = {"student": "students restored", "school": "schools restored", "guardian": "guardians restored",
            "enrollment": "enrollment periods restored", "case": "cases restored",
            "roster_enrollment": "enrollment records restored", "referral": "referrals restored"}
DEACTIVATED = {"student": "students it created deactivated", "school": "schools it created deactivated"}
REMOVED = {"enrollment": "enrollment periods it added removed",
           "roster_enrollment": "enrollment records it added removed"}
# The rows an import creates that a later import may change: undoing the first keeps them as the later left them
KEPT_WHEN_CHANGED = tuple(REMOVED) + tuple(DEACTIVATED)


class UndoRefused(Exception):
    """The import cannot be undone (not applied, or undone already)."""


def _restore(model, row_id, before, after, counts):
    keys = list(after)
    row = model.select(*[model._meta.fields[k] for k in keys]).where(model.id == row_id).tuples().first()
    if row is None:
        return
    now = {k: plain(v) for k, v in zip(keys, row)}
    if now != after:
        # The fields a person set, not those derived from them (a name's sort key).
        changed = tuple(FIELDS.get(k, k.replace("_", " ")) for k in keys if now[k] != after[k] and k not in DERIVED)
        _count(counts, CHANGED_SINCE, which=Message("%(what)s: %(fields)s changed since",
                                                    what=_named(model, row_id), fields=changed))
        return
    model.update(**before).where(model.id == row_id).execute()
    _count(counts, RESTORED[model._meta.table_name])
    if model is Student and set(before) & {"first_name", "last_name", "middle_name", "local_id"}:
        from fieldapp.students.search import index_student
        index_student(Student.get_by_id(row_id))
    return True


def _count(counts, name, n=1, which=None):
    counts[name] = counts.get(name, 0) + n
    if which:
        counts.setdefault("which", {}).setdefault(name, []).append(which)


# A field that changed since, as the page says it.
FIELDS = {"first_name": N_("first name"), "middle_name": N_("middle name"), "last_name": N_("last name"),
          "local_id": N_("local id"), "birth_date": N_("birth date"), "grade": N_("grade"), "school": N_("school"),
          "active": N_("active"), "name": N_("name"), "phone": N_("phone"), "email": N_("email"),
          "begin_date": N_("begin date"), "end_date": N_("end date"), "status": N_("status"),
          "officer": N_("officer")}
# A row named by its table and id, when it is no longer there to be named otherwise.
BY_ID = {"student": N_("student %(id)s"), "school": N_("school %(id)s"), "guardian": N_("guardian %(id)s"),
         "enrollment": N_("enrollment period %(id)s"), "case": N_("case %(id)s"),
         "roster_enrollment": N_("enrollment record %(id)s"), "referral": N_("referral %(id)s")}


def _named(model, row_id):
    """A row as a person knows it: a student by name and sourced id, a school by name."""
    if model is Student:
        student = Student.get_or_none(Student.id == row_id)
        if student:
            return f"{student.full_name} ({student.sourced_id})"
    if model is School:
        school = School.get_or_none(School.id == row_id)
        if school:
            return school.name
    if model is Case:
        case = Case.select(Case, Student).join(Student).where(Case.id == row_id).first()
        if case:
            return Message("case %(id)s of %(student)s", id=str(row_id), student=case.student.full_name)
    if model is RosterEnrollment:
        record = RosterEnrollment.get_or_none(RosterEnrollment.id == row_id)
        if record:
            return Message("enrollment record %(id)s of %(student)s", id=record.sourced_id,
                           student=_named(Student, record.student_id))
    if model is Enrollment:
        span = Enrollment.get_or_none(Enrollment.id == row_id)
        if span:
            return Message("enrollment period of %(student)s at %(school)s",
                           student=_named(Student, span.student_id), school=_named(School, span.school_id))
    return Message(BY_ID.get(model._meta.table_name, model._meta.table_name.replace("_", " ") + " %(id)s"),
                   id=str(row_id))


def changed_later(run):
    """{(table, row id): the later import} of the students, schools,
    enrollment records and periods this run created that a later import,
    not undone, has changed (a student's name or school, a delta's
    tobedeleted ending an enrolment): undoing this run keeps them as the
    later import left them (a student stays active), and says so, as it
    keeps any other row changed since."""
    later = {}
    for table, row_id, by in ImportChange.select(
            ImportChange.table, ImportChange.row_id, ImportChange.run).join(ImportRun).where(
            ImportChange.run > run.id, ImportChange.table.in_(KEPT_WHEN_CHANGED), ImportChange.action == "updated",
            ImportRun.undone_at.is_null()).order_by(ImportChange.run).tuples():
        later.setdefault((table, row_id), by)
    return later


def _kept_since(run, later):
    """The lines naming the rows this run added that later imports changed (changed_later)."""
    if not later:
        return []
    lines = []
    for change in ImportChange.select().where(ImportChange.run == run, ImportChange.action == "created",
                                              ImportChange.table.in_(KEPT_WHEN_CHANGED)):
        after = json.loads(change.after_json) if change.after_json else {}
        for row_id in (after["rows"] if "rows" in after else [change.row_id]):
            if (change.table, row_id) in later:
                lines.append(_changed_by(change.table, row_id, later))
    return sorted(lines)


def _changed_by(table, row_id, later):
    return _kept_by(_named(MODELS[table], row_id), later[table, row_id])


def _kept_by(what, run_id):
    """The line naming a row a later import changed, which the undo keeps."""
    return Message("%(what)s: changed since by import %(run)s, kept", what=what, run=str(run_id))


def _students_created(run):
    """The ids of the students this run created."""
    ids = []
    for row_id, after_json in ImportChange.select(ImportChange.row_id, ImportChange.after_json).where(
            ImportChange.run == run, ImportChange.table == "student", ImportChange.action == "created").tuples():
        after = json.loads(after_json) if after_json else {}
        ids.extend(after["rows"] if "rows" in after else [row_id])
    return ids


def _cases_it_opened(run):
    """{case id: the journal's after} of the cases this run opened by itself."""
    return {row_id: json.loads(after or "{}") for row_id, after in ImportChange.select(
        ImportChange.row_id, ImportChange.after_json).where(
        ImportChange.run == run, ImportChange.table == "case", ImportChange.action == "created").tuples()}


def students_kept(run):
    """{student id: the line saying who they are and what casework they have}
    of the students this run created who have casework since: a case (not
    one the import opened by itself and nobody worked, which the undo
    closes), a contact, a letter, a plan, an excuse note or a referral.
    Undoing keeps them active; the preview of the undo says so first."""
    created = set(_students_created(run))
    if not created:
        return {}
    opened = _cases_it_opened(run)
    # The students a run created hold ids in one span: each kind of casework is read
    # over that span of its student index (a few statements, however large the roster),
    # and kept for the students this run created.
    span = (min(created), max(created))
    work = {}
    for case in Case.select().where(Case.student.between(*span)):
        if case.student_id in created and (case.id not in opened or _worked_since(case, opened[case.id])):
            work.setdefault(case.student_id, []).append(
                Message("an open case") if case.status == "open" else Message("a closed case"))
    for model, words in ((Contact, NP_("a contact", "%(num)d contacts")), (Letter, NP_("a letter", "%(num)d letters")),
                         (Plan, NP_("a plan", "%(num)d plans")),
                         (ExcuseNote, NP_("an excuse note", "%(num)d excuse notes")),
                         (Referral, NP_("a referral", "%(num)d referrals"))):
        for student_id, n in (model.select(model.student, fn.COUNT(model.id)).where(model.student.between(*span))
                              .group_by(model.student).tuples()):
            if student_id in created:
                work.setdefault(student_id, []).append(plural_message(*words, n, num=n))
    ids = sorted(work)
    kept = {}
    for start in range(0, len(ids), 500):
        for student in Student.select().where(Student.id.in_(ids[start:start + 500])):
            kept[student.id] = Message("%(student)s: %(work)s", student=f"{student.full_name} ({student.sourced_id})",
                                       work=tuple(work[student.id]))
    return kept


def preview(run):
    """What undoing the run would keep that a person must know before: the
    lines of students_kept, by name."""
    return [line for _, line in sorted(students_kept(run).items(), key=lambda pair: pair[1])]


def preview_changed(run):
    """The lines naming what the run made that a later import (not undone)
    changed, which undoing it keeps: enrollment records and periods
    (changed_later), calendars (calendars_changed_later), the days of
    attendance marks (marks_replaced_later)."""
    mine = {(json.loads(b)["school"], json.loads(b)["school_year"]) for (b,) in ImportChange.select(
        ImportChange.before_json).where(ImportChange.run == run, ImportChange.table == "school_calendar").tuples()}
    calendars = [_kept_by(_calendar_named({"school": school, "school_year": year}), later)
                 for (school, year), later in sorted(calendars_changed_later(run).items(), key=str)
                 if (school, year) in mine]
    return _kept_since(run, changed_later(run)) + calendars + _marks_kept(marks_replaced_later(run))


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
    case.status, case.closure_reason = "closed", "opened_in_error"
    case.closed_at, case.closed_by = utcnow(), user
    case.save()
    CaseEvent.create(case=case, kind="closed", from_value=case.stage, to_value="opened_in_error",
                     by=user or case.opened_by,
                     **history_text.said("import_undone_closed", run=run.id, file=run.filename))
    _count(counts, "cases it opened closed")


def _case_moved_back(case_id, new_school, old_school, run, user):
    """Say in the case's history that undoing the transfer moved it back: its
    last line otherwise still reads "transferred" to a school it has left."""
    names = dict(School.select(School.id, School.name).where(School.id.in_([new_school, old_school])).tuples())
    case = Case.get_by_id(case_id)
    CaseEvent.create(case=case, kind="transferred", from_value=names.get(new_school, "")[:255],
                     to_value=names.get(old_school, "")[:255], by=user or case.opened_by,
                     **history_text.said("import_undone_moved_back", run=run.id, file=run.filename))


def _created(table, row_id, after, counts, kept=None, later=None):
    if table == "student" and kept and row_id in kept:
        _count(counts, KEPT_STUDENTS, which=kept[row_id])
    elif table in KEPT_WHEN_CHANGED and later and (table, row_id) in later:
        _count(counts, CHANGED_SINCE, which=_changed_by(table, row_id, later))
    elif table in ("student", "school"):
        model = MODELS[table]
        if model.update(active=False).where(model.id == row_id, model.active == True).execute():  # noqa: E712
            _count(counts, DEACTIVATED[table])
    elif table in REMOVED:
        if MODELS[table].delete().where(MODELS[table].id == row_id).execute():
            _count(counts, REMOVED[table])
    elif table == "student_guardian":
        _count(counts, "guardian links it added ended", StudentGuardian.update(ended_at=utcnow()).where(
            StudentGuardian.student == row_id, StudentGuardian.guardian == after["guardian"],
            StudentGuardian.current()).execute())


def _link(student, before, after, counts):
    link = StudentGuardian.get_or_none(StudentGuardian.student == student,
                                       StudentGuardian.guardian == after["guardian"])
    if link is None:
        return
    if "relationship" in after:  # the file said another relationship (a parent stored as guardian)
        if link.relationship != after["relationship"]:
            _count(counts, CHANGED_SINCE, which=Message("%(student)s: guardian link changed since",
                                                        student=_named(Student, student)))
            return
        StudentGuardian.update(relationship=before["relationship"]).where(
            StudentGuardian.student == student, StudentGuardian.guardian == after["guardian"]).execute()
        _count(counts, "guardian relationships put back")
        return
    if plain(link.ended_at) != after["ended_at"]:
        _count(counts, CHANGED_SINCE, which=Message("%(student)s: guardian link changed since",
                                                        student=_named(Student, student)))
        return
    ended = datetime.datetime.fromisoformat(before["ended_at"]) if before["ended_at"] else None
    StudentGuardian.update(ended_at=ended).where(StudentGuardian.student == student,
                                                 StudentGuardian.guardian == after["guardian"]).execute()
    _count(counts, "guardian links restored" if ended is None else "guardian links ended again")


def marks_replaced_later(run):
    """{(student id, ISO date): the first later import, not undone, that
    replaced this run's marks of the day}: undoing this run finds them gone
    and keeps the later import's, and says so."""
    replaced = {}
    for by, before_json in ImportChange.select(ImportChange.run, ImportChange.before_json).join(ImportRun).where(
            ImportChange.run > run.id, ImportChange.table == "attendance_event", ImportChange.action == "deleted",
            ImportChange.before_json.contains(f'"import_run_id": {run.id}'),  # read first where it is kept
            ImportRun.undone_at.is_null()).order_by(ImportChange.run).tuples():
        mark = json.loads(before_json)
        if mark.get("import_run_id") == run.id:
            replaced.setdefault((mark["student"], mark["date"]), by)
    return replaced


def _marks_kept(replaced):
    """The lines naming the days of marks_replaced_later."""
    names = {}
    ids = sorted({student for student, _ in replaced})
    for start in range(0, len(ids), 500):
        for student in Student.select().where(Student.id.in_(ids[start:start + 500])):
            names[student.id] = f"{student.full_name} ({student.sourced_id})"
    return [_kept_by(Message("%(student)s, %(day)s: its marks", student=names.get(student, str(student)), day=day),
                     later) for (student, day), later in sorted(replaced.items(), key=lambda item: (
                         names.get(item[0][0], ""), item[0][1]))]


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
        _count(counts, CHANGED_SINCE, which=Message("%(student)s, %(day)s: a later import decided that day; its "
                                                    "marks stand", student=_named(Student, before["student"]),
                                                    day=before["date"]))
        return
    clash = AttendanceEvent.select().where(
        AttendanceEvent.student == before["student"], AttendanceEvent.date == before["date"],
        AttendanceEvent.category == before["category"]).exists()
    if clash:
        _count(counts, CHANGED_SINCE, which=Message("%(student)s, %(day)s: a %(category)s mark is on that day "
                                                    "since", student=_named(Student, before["student"]),
                                                    day=before["date"], category=before["category"]))
        return
    AttendanceEvent.create(**before)
    _count(counts, "attendance marks put back")


def _calendar_named(before):
    if before["school"] is None:
        return Message("the district's calendar, %(year)s", year=before["school_year"])
    return Message("the calendar of %(school)s, %(year)s", school=_named(School, before["school"]),
                   year=before["school_year"])


def calendars_changed_later(run):
    """{(school id or None, school year): the first later import, not undone,
    that replaced or changed in part that calendar}. A calendar import stores
    each calendar anew (and SQLite may give the new one the id of the one it
    replaced), so a calendar is known by its school and year, never by id."""
    later = {}
    for by, before_json in ImportChange.select(ImportChange.run, ImportChange.before_json).join(ImportRun).where(
            ImportChange.run > run.id, ImportChange.table == "school_calendar",
            ImportRun.undone_at.is_null()).order_by(ImportChange.run).tuples():
        before = json.loads(before_json)
        later.setdefault((before["school"], before["school_year"]), by)
    return later


def _calendar_found(run, before):
    """(the calendar to put back for `before`, what run found of a school's
    year; the earlier import that made it and is undone since, or None).
    What run found is put back unless an earlier import made it and was
    undone after run was applied: that undo kept run's calendar and left its
    own in run's `before`; then what that import found is put back instead,
    and so on back."""
    key, at, undone = (before["school"], before["school_year"]), run, None
    while True:
        made = next(((by, json.loads(found)) for by, found in ImportChange.select(
            ImportChange.run, ImportChange.before_json).where(
            ImportChange.run < at.id, ImportChange.table == "school_calendar").order_by(
            ImportChange.run.desc(), ImportChange.id.desc()).tuples()
            if (json.loads(found)["school"], json.loads(found)["school_year"]) == key), None)
        if made is None:
            return before, undone
        maker = ImportRun.get_by_id(made[0])
        if maker.undone_at is None or at.applied_at is None or maker.undone_at < at.applied_at:
            return before, undone
        before, at, undone = made[1], maker, maker.id


def _calendar_back(before, counts, later, run=None):
    key = (before["school"], before["school_year"])
    if key in later:  # what the later import made of it stands
        _count(counts, CHANGED_SINCE, which=_kept_by(_calendar_named(before), later[key]))
        return
    named = _calendar_named(before)
    before, undone = _calendar_found(run, before) if run is not None else (before, None)
    # The calendar of the school and year is this import's (or what undoing a later one put back: the same).
    if not SchoolCalendar.delete().where((SchoolCalendar.school_year == key[1]) & (
            SchoolCalendar.school.is_null() if key[0] is None else SchoolCalendar.school == key[0])).execute():
        _count(counts, CHANGED_SINCE, which=Message("%(what)s: removed since", what=named))
        return
    # the calendar it found, when an import undone since made it, is not put back: that undo took it away
    which = Message("%(what)s: the calendar it found was made by import %(run)s, undone since, and is not put back",
                    what=named, run=str(undone)) if undone else None
    if before.get("absent"):  # the school's first calendar: none to put back
        _count(counts, "calendars it imported removed", which=which)
        return
    old = SchoolCalendar.create(school=before["school"], school_year=before["school_year"],
                                first_day=before["first_day"], last_day=before["last_day"])
    for day, kind, name in before["days"]:
        CalendarDay.create(calendar=old, date=day, kind=kind, name=name)
    _count(counts, "calendars put back", which=which)


def _one(change, counts, run, user, redone=frozenset(), kept=None, later=None, calendars=None):
    before = json.loads(change.before_json) if change.before_json else None
    after = json.loads(change.after_json) if change.after_json else None
    if change.action == "created" and after and "rows" in after:  # a batch (Journal.created_rows)
        for row in reversed(after["rows"]):
            if change.table == "student_guardian":
                _created(change.table, row[0], {"guardian": row[1]}, counts)
            else:
                _created(change.table, row, {}, counts, kept, later)
    elif change.action == "created" and change.table == "case":
        _close_opened_case(change.row_id, after, counts, run, user)
    elif change.action == "created":
        _created(change.table, change.row_id, after, counts, kept, later)
    elif change.table == "student_guardian":
        _link(change.row_id, before, after, counts)
    elif change.action == "updated":
        if _restore(MODELS[change.table], change.row_id, before, after, counts) and change.table == "case" \
                and before.get("school") != after.get("school"):
            _case_moved_back(change.row_id, after["school"], before["school"], run, user)
    elif change.table == "attendance_event":
        _mark_back(before, counts, redone)
    elif change.table == "school_calendar":
        _calendar_back(before, counts, calendars or {}, run)


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
        kept = students_kept(run)  # before the cases it opened are closed: as the preview said
        later = changed_later(run)
        calendars = calendars_changed_later(run)
        removed = AttendanceEvent.delete().where(AttendanceEvent.import_run_id == run.id).execute()
        _count(counts, "attendance marks it stored removed", removed) if removed else None
        # the days a later import decided, which the replaced marks' lines name already, named once
        for line in _marks_kept({day: by for day, by in marks_replaced_later(run).items() if day not in redone}):
            _count(counts, CHANGED_SINCE, which=line)
        changes = ImportChange.select().where(ImportChange.run == run).order_by(ImportChange.id.desc())
        for change in changes:
            _one(change, counts, run, user, redone, kept, later, calendars)
        # each line kept with what translates it (ImportRun.undo_counts reads it back)
        stored = dict(counts, which={name: [encode(line) for line in lines]
                                     for name, lines in counts.get("which", {}).items()}) \
            if "which" in counts else counts
        ImportRun.update(undo_counts_json=json.dumps(stored)).where(ImportRun.id == run.id).execute()
    return counts
