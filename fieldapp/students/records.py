"""A student's record: guardians, household, access log."""
import json

from peewee import Value

from fieldapp.db import Param, Params, Prepared, PreparedBySize
from fieldapp.messages import Message
from fieldapp.models import (
    AccessLog, Guardian, ImportChange, ImportRun, School, Student, StudentGuardian, User, utcnow,
)
from fieldapp.students.search import normalise


def guardians_of(student):
    """(Guardian, relationship) pairs, primary first."""
    return [(link.guardian, link.relationship) for link in _GUARDIANS.rows(student=student.id)]


_GUARDIANS = Prepared(lambda: StudentGuardian.select(StudentGuardian, Guardian).join(Guardian)
                      .where(StudentGuardian.student == Param("student"), StudentGuardian.current())
                      .order_by(StudentGuardian.is_primary.desc(), Guardian.last_name))  # on every student page


def _same_address(a, b):
    return bool(a.strip()) and " ".join(normalise(a).split()) == " ".join(normalise(b).split())


def household_of(student, school_ids=None):
    """Siblings: other students who share a guardian and this student's address.

    Limited to school_ids when given, so nobody learns of a child outside
    their scope.
    """
    # One statement, built once: the students whose ids the guardians' links
    # name. With no other condition on the students, no planner starts from
    # every active student of the district (an index on active) or of the
    # schools; the few found are sorted out here.
    return [s for s in _SIBLINGS.rows(student=student.id)
            if s.active and (school_ids is None or s.school_id in school_ids)
            and _same_address(s.address, student.address)]


def _siblings():
    guardian_ids = StudentGuardian.select(StudentGuardian.guardian).where(
        StudentGuardian.student == Param("student"), StudentGuardian.current())
    sibling_ids = StudentGuardian.select(StudentGuardian.student).where(
        StudentGuardian.guardian.in_(guardian_ids), StudentGuardian.current(),
        StudentGuardian.student != Param("student"))
    return (Student.select(Student, School).join(School).where(Student.id.in_(sibling_ids))
            .order_by(Student.birth_date, Student.id))


_SIBLINGS = Prepared(_siblings)  # on every student page


def record_access(user, student, action="view", path="", ip=""):
    """Write one line to the student's access log (34 CFR 99.32)."""
    _ACCESS_LINE.run(user=user, student=student, action=action, path=path[:255], ip=ip[:64], at=utcnow())


# On every student page: the INSERT built once (building it cost some ten times what running it does).
_ACCESS_LINE = Prepared(lambda: AccessLog.insert({
    AccessLog.user: Param("user", AccessLog.user.db_value),
    AccessLog.student: Param("student", AccessLog.student.db_value),
    AccessLog.action: Param("action", AccessLog.action.db_value),
    AccessLog.path: Param("path", AccessLog.path.db_value),
    AccessLog.ip: Param("ip", AccessLog.ip.db_value),
    AccessLog.at: Param("at", AccessLog.at.db_value),
    AccessLog.recipient: ""}).returning())  # nothing to read back

# Ids per statement: SQLite binds at most 32,766 values; a page of a list is far smaller.
LIST_CHUNK = 10_000
# Lists up to this long (a page of a list) are logged with an INSERT built once per length.
LIST_PAGE = 100


def record_list_access(user, student_ids, action="list", path="", ip=""):
    """Log that `user` saw each student of a list: one access-log line per student.

    student_ids: ints, or a Peewee query selecting Student ids (an export of a
    whole district stays one INSERT ... SELECT, with no list in Python).
    Repeated ids are logged once; ids of no student are skipped. The lines are
    written with one statement (one per 10,000 ids when given more), all
    stamped with the same time, so a list costs about one write however long
    it is. Returns the number of lines written.
    """
    now = utcnow()
    if hasattr(student_ids, "sql"):  # a query: the database finds the ids itself
        return _insert_lines(user, student_ids, action, path, ip, now)
    ids = list(dict.fromkeys(student_ids))
    if not ids:
        return 0
    return sum(_insert_lines(user, ids[start:start + LIST_CHUNK], action, path, ip, now)
               for start in range(0, len(ids), LIST_CHUNK))


def _insert_lines(user, ids, action, path, ip, now):
    """INSERT INTO access_log ... SELECT: one line per student whose id is in ids."""
    if not hasattr(ids, "sql") and len(ids) <= LIST_PAGE:
        return _PAGE_LINES.run(len(ids), user=user.id, ids=ids, action=action, path=path[:255], ip=ip[:64],
                               at=now)
    lines = (Student.select(Value(user.id), Student.id, Value(action), Value(path[:255]),
                            Value(ip[:64]), Value(now), Value(""))
             .where(Student.id.in_(ids)))
    return AccessLog.insert_from(lines, _LINE_FIELDS).as_rowcount().execute()


_LINE_FIELDS = [AccessLog.user, AccessLog.student, AccessLog.action, AccessLog.path, AccessLog.ip,
                AccessLog.at, AccessLog.recipient]  # a list names no recipient


def _page_lines(count):
    """_insert_lines's statement for a list of count ids, its values given at
    each run: a caseload page logs its 50 students on every view, and building
    the statement cost about as much as running it."""
    lines = (Student.select(Param("user"), Student.id, Param("action"), Param("path"), Param("ip"),
                            Param("at"), Value(""))
             .where(Student.id.in_(Params("ids", count))))
    return AccessLog.insert_from(lines, _LINE_FIELDS).returning()  # as as_rowcount() runs it: nothing read back


_PAGE_LINES = PreparedBySize(_page_lines, keep=LIST_PAGE)


def access_log(student, limit=200):
    return list(AccessLog.select(AccessLog, User).join(User)
                .where(AccessLog.student == student)
                .order_by(AccessLog.at.desc(), AccessLog.id.desc()).limit(limit))


def record_disclosure(user, student, document, recipient="", path="", ip=""):
    """Write one disclosure line to the student's access log: the document
    given out (its title and fingerprint are the DocumentRecord's) and the
    party it went to (34 CFR 99.32(a)(3): the parties that received it)."""
    AccessLog.create(user=user, student=student, action="disclose", path=path[:255], ip=ip[:64],
                     document=document, recipient=(recipient or "")[:255])


def disclosed_documents(entries):
    """{document id: DocumentRecord without its PDF} for the disclosure lines
    among access-log entries."""
    from fieldapp.models import DocumentRecord
    ids = {entry.document_id for entry in entries if entry.document_id}
    if not ids:
        return {}
    return {doc.id: doc for doc in DocumentRecord.select(
        DocumentRecord.id, DocumentRecord.kind, DocumentRecord.title, DocumentRecord.reference,
        DocumentRecord.content_sha256).where(DocumentRecord.id.in_(list(ids)))}


def inactive_reason(student):
    """Why an inactive student is inactive, as a Message, when an import's
    journal says so (the roster that marked them inactive, or left them out);
    None when it is not known or the student is active."""
    if student.active:
        return None
    changes = (ImportChange.select(ImportChange, ImportRun).join(ImportRun)
               .where((ImportChange.table == "student") & (ImportChange.row_id == student.id)
                      & (ImportChange.action == "updated"))
               .order_by(ImportChange.id.desc()).limit(20))
    for change in changes:
        after = json.loads(change.after_json or "{}")
        if after.get("active") is False and change.run.undone_at is None:
            return Message("Marked inactive by import #%(run)s (%(file)s) on %(day)s.", run=change.run.id,
                           file=change.run.filename, day=(change.run.applied_at or change.run.started_at).date())
    return None
