"""Applying a checked OneRoster Plan: upserts by sourcedId in batches, only
what changed is written, every change is journalled so the import can be
undone, and nothing is deleted: students and schools are deactivated,
guardian links ended."""
from peewee import AutoField

from fieldapp.imports.bulk import insert_rows, update_rows
from fieldapp.imports.roster_enrollments import apply_enrollments
from fieldapp.imports.school_details import apply_school_details
from fieldapp.models import (
    Guardian, School, Student, StudentGuardian, StudentSearchTerm, utcnow,
)
from fieldapp.names import sort_key
from fieldapp.students.search import index_student, student_terms

BATCH = 500
STUDENT_FIELDS = ("local_id", "first_name", "middle_name", "last_name", "grade", "school", "phone",
                  "active")
SEARCHED = ("local_id", "first_name", "middle_name", "last_name")
GUARDIAN_FIELDS = ("first_name", "last_name", "email", "phone")
# A OneRoster row carries the whole record: an empty cell of these clears the stored value.
CLEARABLE = {"phone", "email", "middle_name", "grade"}


def _default(field):
    return field.default() if callable(field.default) else field.default


def _insert(model, rows):
    """Insert dicts of field values; fields left out get the model's defaults."""
    if not rows:
        return
    fields = [f for f in model._meta.sorted_fields if not isinstance(f, AutoField)]
    defaults = {f.name: _default(f) for f in fields}
    insert_rows(model, fields, [tuple(row.get(f.name, defaults[f.name]) for f in fields) for row in rows])


def _ids(model):
    return dict(model.select(model.sourced_id, model.id).tuples())


def _changes(old, new):
    """The fields of new that differ from old. An empty name never blanks a
    stored one; an empty phone, email, middle name or grade clears it."""
    return {k: v for k, v in new.items()
            if v != old[k] and (v or isinstance(v, bool) or k in CLEARABLE)}


def _update(model, row_id, old, changed, journal):
    model.update(**changed).where(model.id == row_id).execute()
    journal.updated(model._meta.table_name, row_id, {k: old[k] for k in changed}, changed)


def apply_schools(plan, report, journal):
    stored = {s.sourced_id: s for s in School.select()}
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
    if plan.mode("orgs") == "bulk":
        for sid, school in stored.items():
            if school.active and sid not in plan.schools:
                _update(School, school.id, {"active": True}, {"active": False}, journal)
                report.add("schools deactivated")
                report.example("schools deactivated", school.name)
    return _ids(School)


def _stored_students():
    columns = (Student.id, Student.sourced_id) + tuple(getattr(Student, f) for f in STUDENT_FIELDS)
    return {row[1]: dict(zip(("id", "sourced_id") + STUDENT_FIELDS, row))
            for row in Student.select(*columns).tuples()}


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


def apply_students(plan, report, school_ids, journal):
    stored, new_rows, renamed, gone = _stored_students(), [], [], []
    for sid, fields in plan.students.items():
        old = stored.get(sid)
        if fields is None:
            if old and old["active"]:
                gone.append(old)
            continue
        want = {k: fields[k] for k in STUDENT_FIELDS if k not in ("school", "active")}
        want.update(school=school_ids[fields["school"]], active=True)
        if old is None:
            new_rows.append({"sourced_id": sid, **want, "birth_date": plan.births.get(sid),
                             "sort_key": sort_key(want["first_name"], want["last_name"])})
            continue
        changed = _changes(old, want)
        if changed:
            if {"first_name", "last_name"} & set(changed):
                old["sort_key"] = sort_key(old["first_name"], old["last_name"])
                changed["sort_key"] = sort_key(want["first_name"], want["last_name"])
            _update(Student, old["id"], old, changed, journal)
            what = "students reactivated" if changed.get("active") else "students updated"
            report.add(what)
            report.example(what, f"{want['first_name']} {want['last_name']} ({sid})")
            if "school" in changed:
                plan.transfers.append((old["id"], old["school"], changed["school"]))
            if set(changed) & set(SEARCHED):
                renamed.append(Student(**{**old, **changed}))
    if plan.mode("users") == "bulk":
        gone += [s for sid, s in stored.items() if s["active"] and sid not in plan.students]
    _deactivate(gone, report, journal)
    _create_students(new_rows, report, journal)
    for student in renamed:
        index_student(student)


def _create_students(rows, report, journal):
    """Insert new students and their search words in batches."""
    _insert(Student, rows)
    if not rows:
        return
    ids = _ids(Student)
    terms = []
    for row in rows:
        student = Student(id=ids[row["sourced_id"]], **row)
        terms.extend({"term": t[:100], "student": student.id} for t in student_terms(student))
        journal.created("student", student.id)
        report.example("students created", f"{row['first_name']} {row['last_name']} ({row['sourced_id']})")
    _insert(StudentSearchTerm, terms)
    report.add("students created", len(rows))


def apply_guardians(plan, report, journal):
    stored = {g.sourced_id: g for g in Guardian.select()}
    new_rows, unlink = [], []
    for sid, fields in plan.guardians.items():
        old = stored.get(sid)
        if fields is None:
            unlink += [old.id] if old else []
            continue
        want = {k: fields[k] for k in GUARDIAN_FIELDS}
        if old is None:
            new_rows.append({"sourced_id": sid, **want})
            continue
        before = {k: getattr(old, k) for k in GUARDIAN_FIELDS}
        changed = _changes(before, want)
        if changed:
            _update(Guardian, old.id, before, changed, journal)
            report.add("guardians updated")
            report.example("guardians updated", f"{want['first_name']} {want['last_name']} ({sid})")
    if plan.mode("users") == "bulk":
        unlink += [g.id for sid, g in stored.items() if sid not in plan.guardians]
    _insert(Guardian, new_rows)
    report.add("guardians created", len(new_rows))
    if new_rows:
        ids = _ids(Guardian)
        for row in new_rows:
            journal.created("guardian", ids[row["sourced_id"]])
    ended = []
    for start in range(0, len(unlink), BATCH):
        ended.extend(StudentGuardian.select(StudentGuardian.student, StudentGuardian.guardian).where(
            StudentGuardian.guardian.in_(unlink[start:start + BATCH]), StudentGuardian.current()).tuples())
    _end_links(ended, report, journal)


def _end_links(pairs, report, journal):
    """End links (kept, no longer in force) and journal each."""
    now = utcnow()
    for student, guardian in pairs:
        StudentGuardian.update(ended_at=now).where((StudentGuardian.student == student)
                                                   & (StudentGuardian.guardian == guardian)).execute()
        journal.updated("student_guardian", student, {"guardian": guardian, "ended_at": None},
                        {"guardian": guardian, "ended_at": now})
    report.add("guardian links ended", len(pairs))


def apply_links(plan, report, journal):
    students, guardians = _ids(Student), _ids(Guardian)
    stored = {(s, g): ended for s, g, ended in StudentGuardian.select(
        StudentGuardian.student, StudentGuardian.guardian, StudentGuardian.ended_at).tuples()}
    wanted, first = {}, {}
    for (student_sid, guardian_sid), relationship in plan.links.items():
        pair = (students[student_sid], guardians[guardian_sid])
        wanted[pair] = relationship
        first.setdefault(pair[0], pair[1])
    has_primary = {s for (s,) in StudentGuardian.select(StudentGuardian.student)
                   .where(StudentGuardian.is_primary == True, StudentGuardian.current()).tuples()}  # noqa: E712
    rows = [{"student": s, "guardian": g, "relationship": rel,
             "is_primary": s not in has_primary and first[s] == g}
            for (s, g), rel in wanted.items() if (s, g) not in stored]
    _insert(StudentGuardian, rows)
    for row in rows:
        journal.created("student_guardian", row["student"], {"guardian": row["guardian"]})
    report.add("guardian links added", len(rows))
    reopened = [pair for pair in wanted if pair in stored and stored[pair] is not None]
    for student, guardian in reopened:
        StudentGuardian.update(ended_at=None).where((StudentGuardian.student == student)
                                                    & (StudentGuardian.guardian == guardian)).execute()
        journal.updated("student_guardian", student, {"guardian": guardian, "ended_at": stored[(student, guardian)]},
                        {"guardian": guardian, "ended_at": None})
    report.add("guardian links restored", len(reopened))
    if plan.mode("users") == "bulk":
        listed = {students[sid] for sid, fields in plan.students.items() if fields}
        _end_links([pair for pair, ended in stored.items()
                    if ended is None and pair[0] in listed and pair not in wanted], report, journal)


def apply_births(plan, report, journal):
    stored = {sid: (i, born) for i, sid, born in
              Student.select(Student.id, Student.sourced_id, Student.birth_date).tuples()}
    changed = [(born, stored[sid][0]) for sid, born in plan.births.items()
               if sid in stored and stored[sid][1] != born]
    update_rows(Student, [Student.birth_date], changed)
    for sid, born in plan.births.items():
        if sid in stored and stored[sid][1] != born and stored[sid][1] is not None:
            journal.updated("student", stored[sid][0], {"birth_date": stored[sid][1]}, {"birth_date": born})
    report.add("birth dates set", len(changed))


def apply(plan, report, journal, today=None):
    """Write the plan (inside the caller's transaction), journalling each
    change; `today` (the local date) starts the span of a transfer."""
    # A plan may be applied twice (a preview rolled back, then for real): start afresh.
    plan.transfers = report.transfers = []
    report.deactivated_students = []
    school_ids = apply_schools(plan, report, journal) if plan.schools or plan.mode("orgs") == "bulk" \
        else _ids(School)
    if plan.mode("users") != "absent":
        apply_students(plan, report, school_ids, journal)
        apply_guardians(plan, report, journal)
        apply_links(plan, report, journal)
    apply_school_details(plan, report)
    apply_births(plan, report, journal)
    apply_enrollments(plan, report, school_ids, journal, today)
    note_shared_identifiers(report)


def note_shared_identifiers(report):
    """Say which identifiers (studentUniqueId) more than one active student
    holds: attendance rows naming them are matched by their school."""
    from peewee import fn
    shared = list(Student.select(Student.local_id, fn.COUNT(Student.id)).where(
        Student.active == True, Student.local_id != "").group_by(Student.local_id)  # noqa: E712
        .having(fn.COUNT(Student.id) > 1).order_by(Student.local_id).tuples())
    if shared:
        report.note(f"{len(shared):,} identifier(s) are held by more than one active student (one record "
                    "per school, as the Ed-Fi OneRoster mapping makes them); attendance naming them is "
                    "matched by its schoolId: " + ", ".join(f"{key} ({n} students)" for key, n in shared[:20])
                    + (" …" if len(shared) > 20 else ""))
