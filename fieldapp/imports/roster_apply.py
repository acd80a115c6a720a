"""Applying a checked OneRoster Plan: upserts by sourcedId in batches, only
what changed is written, and nothing is deleted but guardian links."""
import datetime

from peewee import AutoField

from fieldapp.imports.bulk import insert_rows, update_rows
from fieldapp.models import Enrollment, Guardian, School, Student, StudentGuardian, StudentSearchTerm
from fieldapp.names import sort_key
from fieldapp.students.search import index_student, student_terms

BATCH = 500
STUDENT_FIELDS = ("local_id", "first_name", "middle_name", "last_name", "grade", "school", "phone",
                  "active")
SEARCHED = ("local_id", "first_name", "middle_name", "last_name")
GUARDIAN_FIELDS = ("first_name", "last_name", "email", "phone")


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
    """The fields of new that differ from old; empty values never blank a stored one."""
    return {k: v for k, v in new.items() if v != old[k] and (v or isinstance(v, bool))}


def apply_schools(plan, report):
    stored = {s.sourced_id: s for s in School.select()}
    for sid, (name, district, active) in plan.schools.items():
        school = stored.get(sid)
        if school is None:
            if active:
                School.create(sourced_id=sid, name=name, district=district or "")
                report.add("schools created")
            continue
        changed = _changes({"name": school.name, "district": school.district, "active": school.active},
                           {"name": name, "district": district or "", "active": active})
        if changed:
            School.update(**changed).where(School.id == school.id).execute()
            report.add("schools deactivated" if changed.get("active") is False else "schools updated")
    if plan.mode("orgs") == "bulk":
        gone = [s.id for sid, s in stored.items() if s.active and sid not in plan.schools]
        report.add("schools deactivated", School.update(active=False).where(School.id.in_(gone)).execute()
                   if gone else 0)
    return _ids(School)


def _stored_students():
    columns = (Student.id, Student.sourced_id) + tuple(getattr(Student, f) for f in STUDENT_FIELDS)
    return {row[1]: dict(zip(("id", "sourced_id") + STUDENT_FIELDS, row))
            for row in Student.select(*columns).tuples()}


def _deactivate(ids, report, what):
    for start in range(0, len(ids), BATCH):
        report.add(what, Student.update(active=False).where(Student.id.in_(ids[start:start + BATCH]))
                   .execute())


def apply_students(plan, report, school_ids):
    stored, new_rows, renamed, gone = _stored_students(), [], [], []
    for sid, fields in plan.students.items():
        old = stored.get(sid)
        if fields is None:
            if old and old["active"]:
                gone.append(old["id"])
            continue
        want = {k: fields[k] for k in STUDENT_FIELDS if k not in ("school", "active")}
        want.update(school=school_ids[fields["school"]], active=True)
        if old is None:
            new_rows.append({"sourced_id": sid, **want, "birth_date": plan.births.get(sid),
                             "sort_key": sort_key(want["first_name"], want["last_name"])})
            continue
        changed = _changes(old, want)
        if "school" in changed:
            plan.transfers.append((old["id"], old["school"], changed["school"]))
        if {"first_name", "last_name"} & set(changed):
            changed["sort_key"] = sort_key(want["first_name"], want["last_name"])
        if changed:
            Student.update(**changed).where(Student.id == old["id"]).execute()
            report.add("students reactivated" if changed.get("active") else "students updated")
            if set(changed) & set(SEARCHED):
                renamed.append(Student(**{**old, **changed}))
    if plan.mode("users") == "bulk":
        gone += [s["id"] for sid, s in stored.items() if s["active"] and sid not in plan.students]
    _deactivate(gone, report, "students deactivated")
    _create_students(new_rows, report)
    for student in renamed:
        index_student(student)


def _create_students(rows, report):
    """Insert new students and their search words in batches."""
    _insert(Student, rows)
    if not rows:
        return
    ids = _ids(Student)
    terms = []
    for row in rows:
        student = Student(id=ids[row["sourced_id"]], **row)
        terms.extend({"term": t[:100], "student": student.id} for t in student_terms(student))
    _insert(StudentSearchTerm, terms)
    report.add("students created", len(rows))


def apply_guardians(plan, report):
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
        changed = _changes({k: getattr(old, k) for k in GUARDIAN_FIELDS}, want)
        if changed:
            Guardian.update(**changed).where(Guardian.id == old.id).execute()
            report.add("guardians updated")
    if plan.mode("users") == "bulk":
        unlink += [g.id for sid, g in stored.items() if sid not in plan.guardians]
    _insert(Guardian, new_rows)
    report.add("guardians created", len(new_rows))
    for start in range(0, len(unlink), BATCH):
        report.add("guardian links removed", StudentGuardian.delete().where(
            StudentGuardian.guardian.in_(unlink[start:start + BATCH])).execute())


def apply_links(plan, report):
    students, guardians = _ids(Student), _ids(Guardian)
    stored = set(StudentGuardian.select(StudentGuardian.student, StudentGuardian.guardian).tuples())
    wanted, first = {}, {}
    for (student_sid, guardian_sid), relationship in plan.links.items():
        pair = (students[student_sid], guardians[guardian_sid])
        wanted[pair] = relationship
        first.setdefault(pair[0], pair[1])
    has_primary = {s for (s,) in StudentGuardian.select(StudentGuardian.student)
                   .where(StudentGuardian.is_primary == True).tuples()}  # noqa: E712
    rows = [{"student": s, "guardian": g, "relationship": rel,
             "is_primary": s not in has_primary and first[s] == g}
            for (s, g), rel in wanted.items() if (s, g) not in stored]
    _insert(StudentGuardian, rows)
    report.add("guardian links added", len(rows))
    if plan.mode("users") == "bulk":
        listed = {students[sid] for sid, fields in plan.students.items() if fields}
        stale = [pair for pair in stored if pair[0] in listed and pair not in wanted]
        for student, guardian in stale:
            StudentGuardian.delete().where((StudentGuardian.student == student)
                                           & (StudentGuardian.guardian == guardian)).execute()
        report.add("guardian links removed", len(stale))


def apply_births(plan, report):
    stored = {sid: (i, born) for i, sid, born in
              Student.select(Student.id, Student.sourced_id, Student.birth_date).tuples()}
    changed = [(born, stored[sid][0]) for sid, born in plan.births.items()
               if sid in stored and stored[sid][1] != born]
    update_rows(Student, [Student.birth_date], changed)
    report.add("birth dates set", len(changed))


def apply_enrollments(plan, report, school_ids):
    """Keep one span per student and school: the file's dates update that
    school's span; spans at other schools stay, so a transfer keeps history."""
    students = _ids(Student)
    stored = {}
    for e in Enrollment.select().order_by(Enrollment.id):
        stored[(e.student_id, e.school_id)] = e  # the latest span at that school
    for sid, spans in plan.enrollments.items():
        if sid not in students:  # its users.csv row was left out
            continue
        for school_sid, begin, end in spans:
            student, school = students[sid], school_ids[school_sid]
            old = stored.get((student, school))
            if old is None:
                stored[(student, school)] = Enrollment.create(student=student, school=school,
                                                              begin_date=begin, end_date=end)
            elif (old.begin_date, old.end_date) != (begin, end):
                Enrollment.update(begin_date=begin, end_date=end).where(Enrollment.id == old.id).execute()
            else:
                continue
            report.add("enrollment dates set")
    _record_transfers(plan, report, stored)


def _record_transfers(plan, report, stored, today=None):
    """A student moved to another school by users.csv, with no enrollments
    row saying when: the open span elsewhere (the old school's, from the start
    of the year when none was on file) ends yesterday, and a span at the new
    school begins today."""
    today = today or datetime.date.today()
    yesterday = today - datetime.timedelta(days=1)
    for student, old_school, school in plan.transfers:
        if (student, school) in stored and stored[(student, school)].end_date is None:
            continue  # the file's enrollments opened it already
        spans = {key: span for key, span in stored.items() if key[0] == student}
        if not spans:
            Enrollment.create(student=student, school=old_school, begin_date=None, end_date=yesterday)
        for (_, other), span in spans.items():
            if other != school and span.end_date is None:
                end = max(yesterday, span.begin_date or yesterday)
                Enrollment.update(end_date=end).where(Enrollment.id == span.id).execute()
        Enrollment.create(student=student, school=school, begin_date=today, end_date=None)
        report.add("transfers recorded")


def apply(plan, report):
    """Write the plan (inside the caller's transaction)."""
    school_ids = apply_schools(plan, report) if plan.schools or plan.mode("orgs") == "bulk" \
        else _ids(School)
    if plan.mode("users") != "absent":
        apply_students(plan, report, school_ids)
        apply_guardians(plan, report)
        apply_links(plan, report)
    apply_births(plan, report)
    apply_enrollments(plan, report, school_ids)
