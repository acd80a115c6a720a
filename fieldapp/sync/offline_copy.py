"""Versions of the pages an officer keeps on the phone, so that a refresh fetches only
the pages that changed, and a refresh when nothing changed costs one small answer.

A student's version is a short hash of what their page and contact form show, read in a
few queries for the whole caseload: the student's row, guardians, cases and their
events, contacts, attendance, letters and plans, plus what every page depends on (the
officer's language, the local day: a new day changes what is overdue, and the app's
release). It is a fingerprint, not a proof; the phone still fetches each page again
once its copy is a day old.
"""
import collections
import hashlib

from peewee import fn

from fieldapp.models import (AttendanceEvent, Case, CaseEvent, Contact, Guardian, Letter, Plan,
                             Student, StudentGuardian)


def _digest(*parts):
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def student_versions(student_ids, common):
    """{student id: version} for the students kept on a phone; common is what every page
    depends on (language, day, release), as a tuple of strings."""
    ids = sorted(set(student_ids))
    if not ids:
        return {}
    parts = collections.defaultdict(list)
    for source in _SOURCES:
        for student_id, row in source(ids):
            parts[student_id].append(row)
    return {student_id: _digest(common, parts[student_id]) for student_id in ids}


def _rows(query, key=0):
    return ((row[key], row) for row in query.tuples())


def _students(ids):
    return _rows(Student.select().where(Student.id.in_(ids)))


def _guardians(ids):
    return _rows(Guardian.select(StudentGuardian.student, StudentGuardian.relationship,
                                 StudentGuardian.is_primary, Guardian)
                 .join(StudentGuardian).where(StudentGuardian.student.in_(ids))
                 .order_by(StudentGuardian.student, Guardian.id))


def _cases(ids):
    return _rows(Case.select(Case.student, Case).where(Case.student.in_(ids)).order_by(Case.id))


def _case_events(ids):
    return _rows(CaseEvent.select(Case.student, fn.COUNT(CaseEvent.id), fn.MAX(CaseEvent.id))
                 .join(Case).where(Case.student.in_(ids)).group_by(Case.student))


def _contacts(ids):
    # Contacts are never edited: a new one, or an amendment, is a new row.
    return _rows(Contact.select(Contact.student, fn.COUNT(Contact.id), fn.MAX(Contact.id))
                 .where(Contact.student.in_(ids)).group_by(Contact.student))


def _attendance(ids):
    # Marks may be corrected in place by an import: the sums see a changed category or minutes.
    a = AttendanceEvent
    return _rows(a.select(a.student, fn.COUNT(a.id), fn.MAX(a.id), fn.SUM(a.minutes),
                          fn.SUM(fn.LENGTH(a.category) * a.id), fn.MAX(a.date))
                 .where(a.student.in_(ids)).group_by(a.student))


def _letters(ids):
    return _rows(Letter.select(Letter.student, Letter).where(Letter.student.in_(ids))
                 .order_by(Letter.id))


def _plans(ids):
    return _rows(Plan.select(Plan.student, Plan).where(Plan.student.in_(ids)).order_by(Plan.id))


_SOURCES = (_students, _guardians, _cases, _case_events, _contacts, _attendance, _letters, _plans)


def list_version(versions, common):
    """The version of a page that lists the kept students (the caseload)."""
    return _digest(common, sorted(versions.items()))
