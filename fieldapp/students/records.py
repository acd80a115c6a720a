"""A student's record: guardians, household, access log."""
from fieldapp.models import AccessLog, Guardian, School, Student, StudentGuardian, User
from fieldapp.students.search import normalise


def guardians_of(student):
    """(Guardian, relationship) pairs, primary first."""
    links = (StudentGuardian.select(StudentGuardian, Guardian).join(Guardian)
             .where(StudentGuardian.student == student, StudentGuardian.current())
             .order_by(StudentGuardian.is_primary.desc(), Guardian.last_name))
    return [(link.guardian, link.relationship) for link in links]


def _same_address(a, b):
    return bool(a.strip()) and " ".join(normalise(a).split()) == " ".join(normalise(b).split())


def household_of(student, school_ids=None):
    """Siblings: other students who share a guardian and this student's address.

    Limited to school_ids when given, so nobody learns of a child outside
    their scope.
    """
    guardian_ids = StudentGuardian.select(StudentGuardian.guardian).where(
        StudentGuardian.student == student, StudentGuardian.current())
    siblings = (Student.select(Student, School).join(School).switch(Student)
                .join(StudentGuardian, on=(StudentGuardian.student == Student.id))
                .where(StudentGuardian.guardian.in_(guardian_ids), StudentGuardian.current(),
                       Student.id != student.id, Student.active == True)  # noqa: E712
                .distinct().order_by(Student.birth_date))
    if school_ids is not None:
        # "+ 0": start from the guardian, not from every student of the
        # schools (SQLite without statistics would; see students/search.py).
        siblings = siblings.where((Student.school + 0).in_(list(school_ids)))
    return [s for s in siblings if _same_address(s.address, student.address)]


def record_access(user, student, action="view", path="", ip=""):
    """Write one line to the student's access log."""
    AccessLog.create(user=user, student=student, action=action, path=path[:255], ip=ip[:64])


def access_log(student, limit=200):
    return list(AccessLog.select(AccessLog, User).join(User)
                .where(AccessLog.student == student)
                .order_by(AccessLog.at.desc(), AccessLog.id.desc()).limit(limit))
