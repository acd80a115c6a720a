"""Student look-up by name or id: partial words, any order, case- and
accent-insensitive ("gar mar" finds "María García").

Each student's name parts and ids are stored as normalised words in
StudentSearchTerm; a query word matches any stored word it begins, through
an index range scan, so the look-up stays fast at district scale.
"""
import re
import unicodedata

from fieldapp.models import School, Student, StudentSearchTerm

MAX_QUERY = 100
MAX_WORDS = 5


def normalise(text):
    """Lower-case, accents removed: 'María-José' -> 'maria-jose'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold()


def words(text):
    return [w for w in re.split(r"[^\w]+", normalise(text)) if w]


def student_terms(student):
    """The words a student can be found by."""
    parts = " ".join([student.first_name, student.middle_name, student.last_name,
                      student.sourced_id, student.local_id])
    return sorted(set(words(parts)))


def index_student(student):
    """(Re)write the search words of one student."""
    StudentSearchTerm.delete().where(StudentSearchTerm.student == student).execute()
    rows = [{"term": t[:100], "student": student.id} for t in student_terms(student)]
    if rows:
        StudentSearchTerm.insert_many(rows).execute()


def _prefix_range(word):
    # Every string starting with `word` sorts in [word, word-with-last-char+1).
    return word, word[:-1] + chr(ord(word[-1]) + 1)


def search(query, school_ids=None, limit=25):
    """Students matching every word of query, within school_ids (None: all).

    Returns a list of Students (with .school joined), sorted by name.
    """
    query_words = words((query or "")[:MAX_QUERY])[:MAX_WORDS]
    if not query_words:
        return []
    students = (Student.select(Student, School).join(School)
                .where(Student.active == True))  # noqa: E712
    for word in query_words:
        low, high = _prefix_range(word)
        matching = (StudentSearchTerm.select(StudentSearchTerm.student)
                    .where((StudentSearchTerm.term >= low) & (StudentSearchTerm.term < high)))
        students = students.where(Student.id.in_(matching))
    if school_ids is not None:
        if not school_ids:
            return []
        students = students.where(Student.school.in_(list(school_ids)))
    return list(students.order_by(Student.last_name, Student.first_name, Student.id).limit(limit))
