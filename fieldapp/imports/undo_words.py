"""How an undo names what it restored and kept (see fieldapp.imports.undo):
each row as a person knows it, each count with the lines naming its rows."""
from fieldapp.messages import N_, Message
from fieldapp.models import Case, Enrollment, RosterEnrollment, School, Student

CHANGED_SINCE = "kept: changed since the import"


def count(counts, name, n=1, which=None):
    """Add n to the count name; which: a line naming the row it counts."""
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


def named(model, row_id):
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
                           student=named(Student, record.student_id))
    if model is Enrollment:
        span = Enrollment.get_or_none(Enrollment.id == row_id)
        if span:
            return Message("enrollment period of %(student)s at %(school)s",
                           student=named(Student, span.student_id), school=named(School, span.school_id))
    return Message(BY_ID.get(model._meta.table_name, model._meta.table_name.replace("_", " ") + " %(id)s"),
                   id=str(row_id))


def kept_by(what, run_id):
    """The line naming a row a later import changed, which the undo keeps."""
    return Message("%(what)s: changed since by import %(run)s, kept", what=what, run=str(run_id))


def said_by(what, run_id):
    """The line naming a row a later import's file said again as it was, which the undo keeps."""
    return Message("%(what)s: import %(run)s, later, says the same; kept", what=what, run=str(run_id))
