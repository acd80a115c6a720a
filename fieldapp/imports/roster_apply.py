"""Applying a checked OneRoster Plan: upserts by sourcedId in batches, only
what changed is written, every change is journalled so the import can be
undone, and nothing is deleted: students and schools are deactivated,
guardian links ended."""
import contextlib

from peewee import AutoField, fn

from fieldapp.db import database

from fieldapp.imports.bulk import NewIds, ids_by_sourced_id, insert_rows, update_rows
from fieldapp.imports.bulk_indexes import indexes_built_after
from fieldapp.imports.bulk_writer import Writer
from fieldapp.imports.roster_enrollments import apply_enrollments
from fieldapp.imports.school_details import apply_school_details
from fieldapp.messages import NP_, plural_message
from fieldapp.models import (
    Guardian, School, Student, StudentGuardian, StudentSearchTerm, utcnow,
)
from fieldapp.names import sort_key
from fieldapp.students.search import index_student, terms_of

BATCH = 500
STUDENT_FIELDS = ("local_id", "first_name", "middle_name", "last_name", "grade", "school", "phone",
                  "active")
SEARCHED = ("local_id", "first_name", "middle_name", "last_name")
GUARDIAN_FIELDS = ("first_name", "last_name", "email", "phone")
# A OneRoster row carries the whole record: an empty cell of these clears the stored value.
CLEARABLE = {"phone", "email", "middle_name", "grade"}

STUDENTS_OF_ID = NP_("%(key)s (%(num)d student)", "%(key)s (%(num)d students)")  # an identifier several hold
SHARED_IDS = NP_(
    "%(num)d identifier is held by more than one active student (one record per school, as the Ed-Fi "
    "OneRoster mapping makes them); attendance naming it is matched by its schoolId: %(ids)s",
    "%(num)d identifiers are held by more than one active student (one record per school, as the Ed-Fi "
    "OneRoster mapping makes them); attendance naming them is matched by its schoolId: %(ids)s")
CONFLICTING_IDS = NP_(  # held twice at one school: no schoolId settles it
    "Conflict: %(num)d identifier is held by more than one active student at the same school; no "
    "schoolId can tell them apart, so attendance rows naming it will be row problems until the district "
    "gives each student their own (or names them by sourcedId): %(ids)s",
    "Conflict: %(num)d identifiers are each held by more than one active student at the same school; no "
    "schoolId can tell them apart, so attendance rows naming them will be row problems until the "
    "district gives each student their own (or names them by sourcedId): %(ids)s")


def _default(field):
    return field.default() if callable(field.default) else field.default


def _insert(model, rows):
    """Insert dicts of field values; fields left out get the model's defaults."""
    if not rows:
        return
    fields = [f for f in model._meta.sorted_fields if not isinstance(f, AutoField)]
    defaults = {f.name: _default(f) for f in fields}
    insert_rows(model, fields, [tuple(row.get(f.name, defaults[f.name]) for f in fields) for row in rows])


def _other_fields(model, fields):
    """The model's fields besides `fields` and its id: those a bulk insert fills with defaults."""
    named = {f.name for f in fields}
    return [f for f in model._meta.sorted_fields if not isinstance(f, AutoField) and f.name not in named]


def _ids(model):
    return ids_by_sourced_id(model)


def _changes(old, new):
    """The fields of new that differ from old. An empty name never blanks a
    stored one; an empty phone, email, middle name or grade clears it; a
    detail left out (None: see roster_left_out.LeftOut) keeps it."""
    return {k: v for k, v in new.items()
            if v != old[k] and v is not None and (v or isinstance(v, bool) or k in CLEARABLE)}


def _without(fields, kept):
    """fields (name -> value) but those named in kept: a file without their
    column leaves what is stored as it is."""
    return {k: v for k, v in fields.items() if k not in kept} if kept else fields


def _count_cleared(report, changed, who):
    """Count a phone or email an empty cell clears (the preview says so with
    who lost what, as the contacts file's does), beside the update itself."""
    cleared = [k for k in ("phone", "email") if changed.get(k) == ""]
    if cleared:
        report.add("values cleared", len(cleared))
        report.example("values cleared", f"{who}: {', '.join(cleared)}")


def _update(model, row_id, old, changed, journal):
    model.update(**changed).where(model.id == row_id).execute()
    journal.updated(model._meta.table_name, row_id, {k: old[k] for k in changed}, changed)


def apply_schools(plan, report, journal):
    stored = {s.sourced_id: s for s in School.select()}
    said = []  # schools a delta gives again as stored (journal.said)
    for sid, (name, district, active) in plan.schools.items():
        school, code = stored.get(sid), plan.school_codes.get(sid, "")[:255]
        if school is None:
            if active:
                created = School.create(sourced_id=sid, name=name, district=district or "", identifier=code)
                journal.created("school", created.id)
                report.add("schools created")
                report.example("schools created", name)
            continue
        old = {"name": school.name, "district": school.district, "active": school.active,
               "identifier": school.identifier}
        changed = _changes(old, {"name": name, "district": district or "", "active": active,
                                 "identifier": code})
        if changed:
            _update(School, school.id, old, changed, journal)
            what = "schools deactivated" if changed.get("active") is False else "schools updated"
            report.add(what)
            report.example(what, school.name)
        elif plan.mode("orgs") == "delta":
            said.append(school.id)
    journal.said("school", said)
    if plan.mode("orgs") == "bulk":
        for sid, school in stored.items():
            if school.active and sid not in plan.schools:
                _update(School, school.id, {"active": True}, {"active": False}, journal)
                report.add("schools deactivated")
                report.example("schools deactivated", school.name)
    return _ids(School)


def _stored_students():
    """sid -> dict of the stored fields of each student (only where the file names students)."""
    columns = (Student.id, Student.sourced_id) + tuple(getattr(Student, f) for f in STUDENT_FIELDS)
    names = ("id", "sourced_id") + STUDENT_FIELDS
    return {row[1]: row for row in Student.select(*columns).tuples()}, names


def _deactivate(students, report, journal):
    ids = [s["id"] for s in students]
    for start in range(0, len(ids), BATCH):
        Student.update(active=False).where(Student.id.in_(ids[start:start + BATCH])).execute()
    for student in students:
        journal.updated("student", student["id"], {"active": True}, {"active": False})
        report.example("students deactivated",
                       f"{student['first_name']} {student['last_name']} ({student['sourced_id']})")
    report.add("students deactivated", len(ids))
    report.deactivated_students = [(s["id"], s["school"]) for s in students]


def apply_students(plan, report, school_ids, journal, stand_ins=None):
    """Create, update, reactivate and deactivate students; stand_ins (a
    preview's): see apply()."""
    (stored, names), renamed, gone = _stored_students(), [], []
    new = _NewStudents(report, journal, search_words=not report.previewed, stand_ins=stand_ins)
    closed = {school_id for (school_id,) in
              School.select(School.id).where(School.active == False).tuples()}  # noqa: E712
    at_closed = []  # students the file keeps active at a school that is not
    said = []  # students a delta gives again as stored (journal.said)
    for sid, fields in plan.students.items():
        row = stored.get(sid)
        old = dict(zip(names, row)) if row else None
        if fields is None:
            if old and old["active"]:
                gone.append(old)
            continue
        if school_ids[fields.school] in closed:
            at_closed.append(f"{fields.first_name} {fields.last_name} ({sid})")
        if old is None:
            new.add(sid, fields, school_ids[fields.school], plan.births.get(sid))
            continue
        want = {"local_id": fields.local_id, "first_name": fields.first_name, "middle_name": fields.middle_name,
                "last_name": fields.last_name, "grade": fields.grade, "school": school_ids[fields.school],
                "phone": fields.phone, "active": True}
        changed = _changes(old, _without(want, plan.kept_fields))
        if changed:
            if {"first_name", "last_name"} & set(changed):
                old["sort_key"] = sort_key(old["first_name"], old["last_name"])
                changed["sort_key"] = sort_key(want["first_name"], want["last_name"])
            _update(Student, old["id"], old, changed, journal)
            what = "students reactivated" if changed.get("active") else "students updated"
            report.add(what)
            report.example(what, f"{want['first_name']} {want['last_name']} ({sid})")
            _count_cleared(report, changed, f"{want['first_name']} {want['last_name']}")
            if "school" in changed:
                plan.transfers.append((old["id"], old["school"], changed["school"]))
            if set(changed) & set(SEARCHED):
                renamed.append(Student(**{**old, **changed}))
        elif plan.mode("users") == "delta" and stand_ins is None:
            said.append(old["id"])
    journal.said("student", said)
    if plan.mode("users") == "bulk":
        gone += [dict(zip(names, row)) for sid, row in stored.items()
                 if row[names.index("active")] and sid not in plan.students]
    # in the order they were stored: the preview's examples are the same on every engine and every run
    gone.sort(key=lambda student: student["id"])
    _deactivate(gone, report, journal)
    if at_closed:
        report.note(plural_message(
            "Check users.csv: %(num)d student is active at a school that is deactivated (an earlier import, or "
            "undoing one, deactivated it): an active student at an inactive school is likely a mistake; make the "
            "school active again (its orgs.csv row) or check the student: %(names)s",
            "Check users.csv: %(num)d students are active at a school that is deactivated (an earlier import, or "
            "undoing one, deactivated it): an active student at an inactive school is likely a mistake; make the "
            "school active again (its orgs.csv row) or check the students: %(names)s",
            len(at_closed), num=len(at_closed),
            names=", ".join(at_closed[:10]) + (" …" if len(at_closed) > 10 else "")))
    new.flush()
    report.add("students created", new.count)
    if not report.previewed:  # a preview counts changes; search words are not among them
        for student in renamed:
            index_student(student)


class _NewStudents:
    """New students, inserted with their search words a batch at a time (a
    roster of a district holds hundreds of thousands): rows of plain values,
    no model objects."""
    FIELDS = ("sourced_id", "local_id", "first_name", "middle_name", "last_name", "grade", "school", "phone",
              "active", "birth_date", "sort_key")
    SIZE = 5000

    def __init__(self, report, journal, search_words=True, stand_ins=None):
        self.report, self.journal, self.search_words = report, journal, search_words
        self.stand_ins = stand_ins  # a preview's: sid -> stand-in id, {"": [(local id, school)]}; nothing written
        self.rows, self.count, self.ids, self.examples = [], 0, NewIds(Student), True
        self.columns = [Student._meta.fields[f] for f in self.FIELDS]
        self.rest = _other_fields(Student, self.columns)
        self.defaults = tuple(_default(f) for f in self.rest)

    def add(self, sid, fields, school, born):
        """A new student: sid, their StudentRow, their school's id, birth date or None."""
        if self.examples and self.report.wants_example("students created"):
            self.report.example("students created", f"{fields.first_name} {fields.last_name} ({sid})")
            self.examples = self.report.wants_example("students created")  # none asked once enough are kept
        if self.stand_ins is not None:  # a preview: counted, not written
            self.stand_ins[sid] = -len(self.stand_ins)
            self.stand_ins[""].append((fields.local_id, school))
            self.count += 1
            return
        first, last = fields.first_name, fields.last_name
        self.rows.append((sid, fields.local_id, first, fields.middle_name, last, fields.grade or "", school,
                          fields.phone or "", True, born, sort_key(first, last)) + self.defaults)
        if len(self.rows) >= self.SIZE:
            self.flush()

    def flush(self):
        rows, self.rows = self.rows, []
        self.count += len(rows)
        if not rows:
            return
        ids = self.ids.take(len(rows))  # given with the rows: none read back
        insert_rows(Student, [Student.id] + self.columns + self.rest,
                    [(student,) + row for student, row in zip(ids, rows)])
        terms = []
        if self.search_words:
            for student, (sid, local_id, first, middle, last, *_) in zip(ids, rows):
                terms.extend([(term, student) for term in terms_of(first, middle, last, sid, local_id)])
        self.journal.created_rows("student", ids)
        insert_rows(StudentSearchTerm, [StudentSearchTerm.term, StudentSearchTerm.student], terms)


def apply_guardians(plan, report, journal, stand_ins=None):
    """Create and update guardians, end the links of those gone; stand_ins
    (a preview's): see apply()."""
    stored = {sid: (i, *rest) for i, sid, *rest in Guardian.select(
        Guardian.id, Guardian.sourced_id, *[getattr(Guardian, f) for f in GUARDIAN_FIELDS]).tuples()}
    new_rows, unlink, created, ids = [], [], 0, NewIds(Guardian)
    for sid, fields in plan.guardians.items():
        old = stored.get(sid)
        if fields is None:
            unlink += [old[0]] if old else []
            continue
        if old is None:
            new_rows.append((sid, fields.first_name, fields.last_name, fields.email or "", fields.phone or ""))
            if len(new_rows) >= _NewStudents.SIZE:
                created += _create_guardians(new_rows, journal, ids, stand_ins)
                new_rows = []
            continue
        want = {"first_name": fields.first_name, "last_name": fields.last_name, "email": fields.email,
                "phone": fields.phone}
        before = dict(zip(GUARDIAN_FIELDS, old[1:]))
        changed = _changes(before, _without(want, plan.kept_fields))
        if changed:
            _update(Guardian, old[0], before, changed, journal)
            report.add("guardians updated")
            report.example("guardians updated", f"{want['first_name']} {want['last_name']} ({sid})")
            _count_cleared(report, changed, f"{want['first_name']} {want['last_name']}")
    created += _create_guardians(new_rows, journal, ids, stand_ins)
    if plan.mode("users") == "bulk":
        unlink += [g[0] for sid, g in stored.items() if sid not in plan.guardians]
    report.add("guardians created", created)
    ended = []
    for start in range(0, len(unlink), BATCH):
        ended.extend(StudentGuardian.select(StudentGuardian.student, StudentGuardian.guardian).where(
            StudentGuardian.guardian.in_(unlink[start:start + BATCH]), StudentGuardian.current()).tuples())
    _end_links(ended, report, journal)


def _create_guardians(rows, journal, new_ids, stand_ins=None):
    """Insert a batch of (sourced id, first name, last name, email, phone); returns how many."""
    if stand_ins is not None:
        for row in rows:
            stand_ins[row[0]] = -len(stand_ins) - 1
        return len(rows)
    if not rows:
        return 0
    fields = [Guardian.sourced_id] + [getattr(Guardian, f) for f in GUARDIAN_FIELDS]
    rest = _other_fields(Guardian, fields)
    defaults = tuple(_default(f) for f in rest)
    ids = new_ids.take(len(rows))  # given with the rows: none read back
    insert_rows(Guardian, [Guardian.id] + fields + rest,
                [(guardian,) + row + defaults for guardian, row in zip(ids, rows)])
    journal.created_rows("guardian", ids)
    return len(rows)


def _end_links(pairs, report, journal):
    """End links (kept, no longer in force) and journal each."""
    now = utcnow()
    for student, guardian in pairs:
        StudentGuardian.update(ended_at=now).where((StudentGuardian.student == student)
                                                   & (StudentGuardian.guardian == guardian)).execute()
        journal.updated("student_guardian", student, {"guardian": guardian, "ended_at": None},
                        {"guardian": guardian, "ended_at": now})
    report.add("guardian links ended", len(pairs))


def apply_links(plan, report, journal, stand_ins=None):
    """Link students and guardians as the plan says, restore links ended
    before, end those a bulk file no longer has; stand_ins (a preview's):
    see apply()."""
    if stand_ins is None:
        students, guardians = _ids(Student), _ids(Guardian)
    else:  # the stand-ins, with the stored ids added (no second copy of either)
        students, guardians = stand_ins["student"], stand_ins["guardian"]
        students.update(_ids(Student))
        guardians.update(_ids(Guardian))
    stored = {(s, g): (ended, rel) for s, g, ended, rel in StudentGuardian.select(
        StudentGuardian.student, StudentGuardian.guardian, StudentGuardian.ended_at,
        StudentGuardian.relationship).tuples()}
    has_primary = {s for (s,) in StudentGuardian.select(StudentGuardian.student)
                   .where(StudentGuardian.is_primary == True, StudentGuardian.current()).tuples()}  # noqa: E712
    m = StudentGuardian
    fields = [m.student, m.guardian, m.relationship, m.is_primary]
    rest = _other_fields(m, fields)
    defaults, rows, added = tuple(_default(f) for f in rest), [], 0
    # The plan's links in its order: a student's first is their primary guardian, where they
    # have none; only pairs stored already are kept aside (to restore, or to leave in force).
    linked, kept, reopened, related = set(), set(), [], []
    for student_sid, guardian_sid, rel in plan.links():
        s, g = students.get(student_sid), guardians.get(guardian_sid)
        if s is None or g is None:  # the other's row was left out as a bad row (skip_bad_rows)
            continue
        first = s not in linked
        linked.add(s)
        if stored and (s, g) in stored:  # (a first roster has none stored)
            kept.add((s, g))
            if stored[(s, g)][0] is not None:
                reopened.append((s, g))
            if rel is not None and rel != stored[(s, g)][1]:  # the file's role says another relationship
                related.append((s, g, rel))
            continue
        if stand_ins is not None:  # a preview: counted, not written
            added += 1
            continue
        rows.append((s, g, rel or "guardian", s not in has_primary and first) + defaults)
        if len(rows) >= _NewStudents.SIZE:
            added += _add_links(rows, fields + rest, journal)
            rows = []
    added += _add_links(rows, fields + rest, journal)
    report.add("guardian links added", added)
    for student, guardian in reopened:
        StudentGuardian.update(ended_at=None).where((StudentGuardian.student == student)
                                                    & (StudentGuardian.guardian == guardian)).execute()
        journal.updated("student_guardian", student, {"guardian": guardian, "ended_at": stored[(student, guardian)][0]},
                        {"guardian": guardian, "ended_at": None})
    report.add("guardian links restored", len(reopened))
    for student, guardian, rel in related if stand_ins is None else ():
        StudentGuardian.update(relationship=rel).where((StudentGuardian.student == student)
                                                       & (StudentGuardian.guardian == guardian)).execute()
        journal.updated("student_guardian", student,
                        {"guardian": guardian, "relationship": stored[(student, guardian)][1]},
                        {"guardian": guardian, "relationship": rel})
    report.add("guardian relationships changed", len(related))
    if plan.mode("users") == "delta" and stand_ins is None:  # the links it lists as they are (journal.said)
        changed = set(reopened) | {(s, g) for s, g, _ in related}
        journal.said("student_guardian", [[s, g] for s, g in sorted(kept - changed)])
    if plan.mode("users") == "bulk" and stored:  # no links stored: none to end
        listed = {students[sid] for sid, fields in plan.students.items() if fields}
        _end_links([pair for pair, (ended, _) in stored.items()
                    if ended is None and pair[0] in listed and pair not in kept], report, journal)


def _add_links(rows, fields, journal):
    insert_rows(StudentGuardian, fields, rows)
    journal.created_rows("student_guardian", [[row[0], row[1]] for row in rows])
    return len(rows)


def apply_births(plan, report, journal):
    """Set the birth dates the file gives that differ from those stored,
    reading the stored ones as a stream (a district holds hundreds of
    thousands of students) and keeping only those that change."""
    read, births, changed = Student.birth_date.python_value, plan.births, []
    dates = {}  # stored value -> date: a district's students share a few thousand, each read once
    for row_id, sid, stored in database.execute_sql('SELECT "id", "sourced_id", "birth_date" FROM "student"'):
        born = births.get(sid)
        if born is None:
            continue
        had = dates.get(stored)
        if had is None:
            had = dates[stored] = read(stored)
        if had != born:
            changed.append((born, row_id, had))
    update_rows(Student, [Student.birth_date], [(born, row_id) for born, row_id, _ in changed])
    for born, row_id, stored in changed:
        if stored is not None:
            journal.updated("student", row_id, {"birth_date": stored}, {"birth_date": born})
    report.add("birth dates set", len(changed))


def apply(plan, report, journal, today=None):
    """Write the plan (inside the caller's transaction), journalling each
    change; `today` (the local date) starts the span of a transfer.

    A preview (report.previewed; the caller rolls it back) counts what
    applying would change without inserting the new students, guardians and
    links, the bulk of a district's roster: each new one gets a stand-in id
    below zero, which no stored row has, so what follows counts as applying
    would. Enrolment records and spans are counted the same way, in memory
    against the stored ones (imports.roster_enrollments)."""
    # A plan may be applied twice (a preview rolled back, then for real): start afresh.
    plan.transfers = report.transfers = []
    report.deactivated_students = []
    stand_ins = {"student": {"": []}, "guardian": {}} if report.previewed else None
    known = Student.select(fn.MAX(Student.id)).scalar() or 0  # those above it are new: nothing assumed of them
    school_ids = apply_schools(plan, report, journal) if plan.schools or plan.mode("orgs") == "bulk" \
        else _ids(School)
    if plan.mode("users") != "absent":
        # a preview writes none of them; a first roster fills them from nothing
        filled = () if stand_ins else (Student, StudentSearchTerm, Guardian, StudentGuardian)
        # applying, the rows are written by a thread of their own while the next batch is made
        with indexes_built_after(*filled), (Writer() if filled else contextlib.nullcontext()):
            apply_students(plan, report, school_ids, journal, stand_ins and stand_ins["student"])
            apply_guardians(plan, report, journal, stand_ins and stand_ins["guardian"])
            apply_links(plan, report, journal, stand_ins)
        if stand_ins:  # the guardians' are needed no further
            stand_ins["guardian"].clear()
    apply_school_details(plan, report)
    apply_births(plan, report, journal)
    apply_enrollments(plan, report, school_ids, journal, today, stand_ins and stand_ins["student"], known)
    if stand_ins is None:  # the files it sent whole: each says every record (journal.said_whole)
        journal.said_whole([name for name in ("orgs", "users", "enrollments") if plan.mode(name) == "bulk"])
    note_shared_identifiers(report, stand_ins["student"][""] if stand_ins else ())


def note_shared_identifiers(report, new_students=()):
    """Say which identifiers (studentUniqueId) more than one active student
    holds: attendance rows naming them are matched by their school, unless
    two of them are at one school, which no row can settle (a conflict, said
    apart). new_students: (local id, school id) of those a preview would create."""
    from collections import Counter

    from peewee import fn
    new = [(local_id, school) for local_id, school in new_students if local_id]
    held = Counter(local_id for local_id, _ in new)
    if held:  # a preview: stored students and those it would create, counted together
        held.update(dict(Student.select(Student.local_id, fn.COUNT(Student.id)).where(
            Student.active == True, Student.local_id != "").group_by(Student.local_id).tuples()))  # noqa: E712
        shared = sorted((key, n) for key, n in held.items() if n > 1)
    else:
        shared = list(Student.select(Student.local_id, fn.COUNT(Student.id)).where(
            Student.active == True, Student.local_id != "").group_by(Student.local_id)  # noqa: E712
            .having(fn.COUNT(Student.id) > 1).order_by(Student.local_id).tuples())
    if not shared:
        return
    clashing = _held_twice_at_a_school([key for key, _ in shared], new)
    conflicts = [(key, n) for key, n in shared if key in clashing]
    shared = [(key, n) for key, n in shared if key not in clashing]
    for pairs, (singular, plural) in ((shared, SHARED_IDS), (conflicts, CONFLICTING_IDS)):
        if pairs:
            ids = tuple(plural_message(*STUDENTS_OF_ID, n, key=key, num=n) for key, n in pairs[:20])
            report.note(plural_message(singular, plural, len(pairs), num=len(pairs),
                                       ids=ids + (("…",) if len(pairs) > 20 else ())))


def _held_twice_at_a_school(keys, new):
    """Those of keys (shared identifiers) two active students hold at one
    school, stored or among new ((local id, school id) a preview would create)."""
    from collections import Counter

    from peewee import fn
    wanted = set(keys)
    at_school = Counter(pair for pair in new if pair[0] in wanted)
    for start in range(0, len(keys), BATCH):
        at_school.update({(key, school): n for key, school, n in Student.select(
            Student.local_id, Student.school, fn.COUNT(Student.id)).where(
            Student.active == True, Student.local_id.in_(keys[start:start + BATCH]))  # noqa: E712
            .group_by(Student.local_id, Student.school).tuples()})
    return {key for (key, _), n in at_school.items() if n > 1}
