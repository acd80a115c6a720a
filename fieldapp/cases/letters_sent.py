"""The letters sent district-wide, for supervisors: filtered by the student's
current school, the letter's kind and the day it was sent (on that school's
clock), newest first; the list on screen and its export read the same query."""
from fieldapp.cases import contact_log, filter_words
from fieldapp.documents.letter_templates import KINDS
from fieldapp.models import Letter, School, Student
from fieldapp.paging import paginate
from fieldapp.timefmt import in_local_days

FILTERS = ("school", "kind", "date_from", "date_to")


def parse_filters(args):
    """(filters, errors) from the query string: school (an id), kind (a
    letter kind code), date_from and date_to (ISO days the letter was sent).
    A bad value is said, beside its field, and left out; never fatal."""
    filters, errors = contact_log.parse_filters({k: args.get(k) for k in ("school", "date_from", "date_to")})
    kind = (args.get("kind") or "").strip()
    if kind:
        if kind in KINDS:
            filters["kind"] = kind
        else:
            errors["kind"] = filter_words.not_a_choice(kind)
    return filters, errors


def sent(filters, *columns):
    """A query of the letters recorded as sent, as filtered, selecting columns
    (Letter, Student and School are joined; the school is the student's current one)."""
    query = (Letter.select(*columns).join(Student, on=(Letter.student == Student.id))
             .join(School, on=(Student.school == School.id)))
    return _filtered(query, filters)


def _filtered(query, filters):
    query = query.where(Letter.sent_at.is_null(False))
    if "school" in filters:
        query = query.where(Student.school == filters["school"])
    if "kind" in filters:
        query = query.where(Letter.kind == filters["kind"])
    if "date_from" in filters or "date_to" in filters:
        schools = [filters["school"]] if "school" in filters else None
        query = query.where(in_local_days(Letter.sent_at, Student.school, filters.get("date_from"),
                                          filters.get("date_to"), schools))
    return query


def _ids(filters):
    """The ids of the letters as filtered, reading the students only when a
    filter needs their school: the district's letters are counted and paged
    from the index of days sent (migration 0310) without a join."""
    query = Letter.select(Letter.id)
    if any(key in filters for key in ("school", "date_from", "date_to")):
        query = query.join(Student, on=(Letter.student == Student.id))
    return _filtered(query, filters)


def newest_first(query):
    return query.order_by(Letter.sent_at.desc(), Letter.id.desc())


def sent_page(filters, number):
    """One page of the letters sent as filtered (Letter rows with .student and
    .student.school), newest first, and the count of all of them."""
    page = paginate(newest_first(_ids(filters)), number)
    ids = [letter.id for letter in page.items]
    rows = {letter.id: letter for letter in
            Letter.select(Letter, Student, School).join(Student, on=(Letter.student == Student.id))
            .join(School, on=(Student.school == School.id)).where(Letter.id.in_(ids))}
    page.items = [rows[i] for i in ids if i in rows]
    return page
