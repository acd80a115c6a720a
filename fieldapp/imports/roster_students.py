"""Students created, updated, reactivated and deactivated by a roster."""
from fieldapp.imports.bulk import NewIds, insert_rows
from fieldapp.imports.roster_changes import BATCH, changes, count_cleared, default, other_fields, update, without
from fieldapp.messages import plural_message
from fieldapp.models import School, Student, StudentSearchTerm
from fieldapp.names import sort_key
from fieldapp.students.search import index_student, terms_of

STUDENT_FIELDS = ("local_id", "first_name", "middle_name", "last_name", "grade", "school", "phone",
                  "active")
SEARCHED = ("local_id", "first_name", "middle_name", "last_name")


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
    new = NewStudents(report, journal, search_words=not report.previewed, stand_ins=stand_ins)
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
        changed = changes(old, without(want, plan.kept_fields))
        if changed:
            if {"first_name", "last_name"} & set(changed):
                old["sort_key"] = sort_key(old["first_name"], old["last_name"])
                changed["sort_key"] = sort_key(want["first_name"], want["last_name"])
            update(Student, old["id"], old, changed, journal)
            what = "students reactivated" if changed.get("active") else "students updated"
            report.add(what)
            report.example(what, f"{want['first_name']} {want['last_name']} ({sid})")
            count_cleared(report, changed, f"{want['first_name']} {want['last_name']}")
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


class NewStudents:
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
        self.rest = other_fields(Student, self.columns)
        self.defaults = tuple(default(f) for f in self.rest)

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
