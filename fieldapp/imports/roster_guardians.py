"""Guardians created and updated by a roster, and their links to students
made, restored, changed and ended."""
from fieldapp.imports.bulk import NewIds, insert_rows
from fieldapp.imports.roster_changes import (BATCH, changes, count_cleared, default, ids, other_fields, update,
                                             without)
from fieldapp.imports.roster_students import NewStudents
from fieldapp.models import Guardian, Student, StudentGuardian, utcnow

GUARDIAN_FIELDS = ("first_name", "last_name", "email", "phone")


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
            if len(new_rows) >= NewStudents.SIZE:
                created += _create_guardians(new_rows, journal, ids, stand_ins)
                new_rows = []
            continue
        want = {"first_name": fields.first_name, "last_name": fields.last_name, "email": fields.email,
                "phone": fields.phone}
        before = dict(zip(GUARDIAN_FIELDS, old[1:]))
        changed = changes(before, without(want, plan.kept_fields))
        if changed:
            update(Guardian, old[0], before, changed, journal)
            report.add("guardians updated")
            report.example("guardians updated", f"{want['first_name']} {want['last_name']} ({sid})")
            count_cleared(report, changed, f"{want['first_name']} {want['last_name']}")
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
    rest = other_fields(Guardian, fields)
    defaults = tuple(default(f) for f in rest)
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
        students, guardians = ids(Student), ids(Guardian)
    else:  # the stand-ins, with the stored ids added (no second copy of either)
        students, guardians = stand_ins["student"], stand_ins["guardian"]
        students.update(ids(Student))
        guardians.update(ids(Guardian))
    stored = {(s, g): (ended, rel) for s, g, ended, rel in StudentGuardian.select(
        StudentGuardian.student, StudentGuardian.guardian, StudentGuardian.ended_at,
        StudentGuardian.relationship).tuples()}
    has_primary = {s for (s,) in StudentGuardian.select(StudentGuardian.student)
                   .where(StudentGuardian.is_primary == True, StudentGuardian.current()).tuples()}  # noqa: E712
    m = StudentGuardian
    fields = [m.student, m.guardian, m.relationship, m.is_primary]
    rest = other_fields(m, fields)
    defaults, rows, added = tuple(default(f) for f in rest), [], 0
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
        if len(rows) >= NewStudents.SIZE:
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
