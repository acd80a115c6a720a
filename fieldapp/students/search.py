"""Student look-up by name or id: partial words, any order, case- and
accent-insensitive ("gar mar" finds "María García"), whatever the spelling
of the marks inside a name ("O'Brien", "O’Brien", "obrien" and "o brien" find
both "Maeve O'Brien" and "Liam OBrien"; "de la cruz" finds "DeLaCruz").

Each student's name parts and ids are stored as normalised words in
StudentSearchTerm, with each name's words also run together from every word
on ("maeve o brien" stores "maeveobrien", "obrien", "brien"); a query word
matches any stored word it begins, through an index range scan, so the
look-up stays fast at district scale.
"""
import re

from peewee import SQL, Select, fn

from fieldapp.db import Param, Prepared, is_postgres
from fieldapp.names import normalise
from fieldapp.models import School, Student, StudentSearchTerm

MAX_QUERY = 100
MAX_WORDS = 5
# A word that begins at most this many stored words leads the look-up
# through the word index. A broader one ("ma", or "stu" that every SIS id
# has) matches so many students that walking them in name order, keeping
# those that have every word, finds the first page sooner.
BROAD = 4000
# A word beginning fewer stored words than this leads without comparing others.
TELLING = 200


# What a list of results shows; the rest of the record (birth date, address,
# phones) stays in the database until a student is opened.
LISTED = (Student.id, Student.sourced_id, Student.local_id, Student.first_name,
          Student.middle_name, Student.last_name, Student.grade, Student.school, Student.active,
          Student.sort_key)


_split_words = re.compile(r"[^\w]+").split


def words(text):
    """The normalised words of text: 'García, MARÍA' -> ['garcia', 'maria']."""
    return [w for w in _split_words(normalise(text)) if w]


def _runs(name_words):
    """Each word of a name run together with those after it:
    ['maeve', 'o', 'brien'] -> ['maeveobrien', 'obrien']."""
    return ["".join(name_words[i:]) for i in range(len(name_words) - 1)]


def terms_of(first_name, middle_name, last_name, sourced_id, local_id):
    """The words a student can be found by: each word of the name and ids,
    and the name's words run together (see _runs). A sorted list of str."""
    # a roster computes these for every new student: one pass, no intermediate lists
    name = [w for w in _split_words(normalise(f"{first_name or ''} {middle_name or ''} {last_name or ''}")) if w]
    terms = {w for w in _split_words(normalise(f"{sourced_id or ''} {local_id or ''}")) if w}
    terms.update(name)
    for i in range(len(name) - 1):  # the name's words run together (_runs)
        terms.add("".join(name[i:]))
    if max(map(len, terms), default=0) > 100:
        terms = {term[:100] for term in terms}
    return sorted(terms)


def student_terms(student):
    """The words a Student can be found by (see terms_of)."""
    return terms_of(student.first_name, student.middle_name, student.last_name,
                    student.sourced_id, student.local_id)


def query_spellings(query):
    """The ways a typed query is looked up, each a list of words that must all
    match: the words as typed ("o brien"), each typed word with its marks
    removed ("o'brien" -> "obrien"), and all run together ("de la cruz" ->
    "delacruz"). Identical spellings are looked up once."""
    text = normalise((query or "")[:MAX_QUERY])
    split = words(text)[:MAX_WORDS]
    joined = [w for w in (re.sub(r"[^\w]+", "", token) for token in text.split()) if w][:MAX_WORDS]
    spellings = []
    for spelling in (split, joined, ["".join(split)] if split else []):
        if spelling and spelling not in spellings:
            spellings.append(spelling)
    return spellings


def index_student(student):
    """(Re)write the search words of one student."""
    StudentSearchTerm.delete().where(StudentSearchTerm.student == student).execute()
    rows = [{"term": t[:100], "student": student.id} for t in student_terms(student)]
    if rows:
        StudentSearchTerm.insert_many(rows).execute()


def _prefix_range(word):
    # Every string starting with `word` sorts in [word, word-with-last-char+1).
    return word, word[:-1] + chr(ord(word[-1]) + 1)


def _reach(word, broad):
    """How many stored words begin with word, counted no further than `broad`."""
    low, high = _prefix_range(word)
    return _REACH.rows(low=low, high=high, broad=broad)[0][0]


def _reach_query():
    begun = (StudentSearchTerm.select(SQL("1"))
             .where((StudentSearchTerm.term >= Param("low")) & (StudentSearchTerm.term < Param("high")))
             .limit(Param("broad")))
    return Select([begun.alias("_wrapped")], [fn.COUNT(SQL("1"))]).tuples()


_REACH = Prepared(_reach_query)  # a query per word typed


def _pick_lead(words_, broad):
    """The word that begins the fewest stored words, or None when all are broad.

    Longest first, stopping at one that is plainly telling: counting costs a
    query per word.
    """
    reach = {}
    for word in sorted(set(words_), key=len, reverse=True):
        reach[word] = _reach(word, broad)
        if reach[word] < TELLING:
            break
    lead = min(reach, key=reach.get)
    return lead if reach[lead] < broad else None


def _has_word(n):
    """The student has a stored word that the n-th other word begins (its
    range given as low<n> and high<n>; checked per student)."""
    # OFFSET 0 keeps PostgreSQL from turning the check into a join, which it
    # may answer by reading every student; per student it is one index probe.
    terms = StudentSearchTerm.alias()
    return fn.EXISTS(terms.select(SQL("1")).where(
        (terms.student == Student.id) & (terms.term >= Param(f"low{n}")) & (terms.term < Param(f"high{n}")))
        .offset(0))


def _lead():
    """Students with a stored word that the lead word begins (its range given
    as lead_low and lead_high): where the look-up starts."""
    matching = (StudentSearchTerm.select(StudentSearchTerm.student)
                .where((StudentSearchTerm.term >= Param("lead_low")) & (StudentSearchTerm.term < Param("lead_high"))))
    if is_postgres():
        # Given an array computed first, PostgreSQL fetches just these students
        # by id; given IN (...) it may read every student to hash-join them.
        return Student.id == fn.ANY(fn.ARRAY(matching))
    return Student.id.in_(matching)


def search(query, school_ids=None, limit=25, broad=BROAD):
    """Students matching every word of query in any of its spellings (see
    query_spellings), within school_ids (None: all).

    Returns a list of at most `limit` Students with the fields of LISTED and
    .school (id and name), sorted by name. `broad` only changes how they are
    found (see BROAD), never which.
    """
    if school_ids is not None and not school_ids:
        return []
    found = {}
    for spelling in query_spellings(query):
        for student in _search_words(spelling, school_ids, limit, broad):
            found.setdefault(student.id, student)
    return sorted(found.values(), key=lambda s: (s.sort_key, s.id))[:limit]


def _search_words(query_words, school_ids, limit, broad):
    """Students with a stored word that each of query_words begins."""
    lead = _pick_lead(query_words, broad)
    others = sorted(word for word in set(query_words) if word != lead)
    shape = (len(others), None if school_ids is None else len(school_ids), lead is not None)
    prepared = _SHAPES.get(shape)
    if prepared is None:
        prepared = _SHAPES.setdefault(shape, Prepared(lambda: _words_query(*shape)))
    values = {"limit": limit}
    for n, word in enumerate(others):
        values[f"low{n}"], values[f"high{n}"] = _prefix_range(word)
    for n, school_id in enumerate(school_ids or ()):
        values[f"school{n}"] = school_id
    if lead is not None:
        values["lead_low"], values["lead_high"] = _prefix_range(lead)
    return prepared.rows(**values)


# The look-up's SQL by its shape (other words, schools, whether a word leads),
# built once: building it cost more than SQLite took to run it.
_SHAPES = {}


def _words_query(others, schools, led):
    """The look-up of _search_words for one shape, values left as Params."""
    # Active students only, said so that no index can serve it: on SQLite
    # without statistics, the (active, school_id) index of the desk looks
    # selective, and the planner walked all active students testing each
    # against the words instead of starting from the few the words name.
    students = (Student.select(*LISTED, School.id, School.name).join(School)
                .where(Student.active.cast("integer") == 1))
    for n in range(others):
        students = students.where(_has_word(n))
    if schools is not None:
        # "+ 0" keeps the school index out of the plan: a school is thousands
        # of students, yet SQLite without statistics would start from it.
        # PostgreSQL, with statistics, is given the column itself: it took an
        # expression for a filter that leaves a handful, and answered an
        # officer's "ma" by reading and sorting every student (over 100 ms on
        # the bench district) instead of walking the name index for a page.
        school = Student.school if is_postgres() else Student.school + 0
        students = students.where(school.in_([Param(f"school{n}") for n in range(schools)]))
    if not led:  # walk the name index until the page is full
        order = Student.sort_key
    else:
        # Fewer than `broad` students: fetch them all and sort them. Sorting on
        # an expression keeps the planner from walking the name index hoping
        # to meet them early, which is slow when they share a surname.
        students = students.where(_lead())
        order = Student.sort_key.concat("")
    return students.order_by(order, Student.id).limit(Param("limit"))
