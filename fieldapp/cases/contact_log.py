"""The district's contact log for supervisors: filters and keyset paging."""
import datetime
from types import SimpleNamespace

from peewee import SQL, fn

from fieldapp import codes
from fieldapp.cases import filter_reach, filter_words
from fieldapp.cases.text import strip_controls
from fieldapp.db import is_postgres
from fieldapp.messages import Message
from fieldapp.models import Contact, School, Student, User
from fieldapp.numbers import record_id
from fieldapp.students.search import search
from fieldapp.timefmt import in_local_days

PAGE_SIZE = 50
AUTHORS = ("officer", "supervisor", "front_office")  # the roles that log contacts
FIRST_YEAR, LAST_YEAR = 1900, 2100


def parse_filters(args):
    """Filters from query arguments: officer (who logged it), school,
    student, method, outcome, reason, date_from, date_to; returns (filters,
    errors). Bad values are reported and ignored, never fatal; so is a
    "logged by" who works elsewhere than the school chosen and logged
    nothing about its students (fieldapp.cases.filter_reach)."""
    filters, errors = {}, {}
    for key, model, chosen in (("officer", User, User.role.in_(AUTHORS)), ("school", School, True),
                               ("student", Student, True)):
        value = (args.get(key) or "").strip()
        if value:
            found = record_id(value)
            if found is not None and model.select(model.id).where((model.id == found) & chosen).exists():
                filters[key] = found
            else:
                errors[key] = filter_words.no_such(key, value)
    for key, kind in (("method", codes.METHODS), ("outcome", codes.OUTCOMES), ("reason", codes.REASONS)):
        value = (args.get(key) or "").strip()
        if value:
            if value in kind:
                filters[key] = value
            else:
                errors[key] = filter_words.not_a_choice(value)
    for key in ("date_from", "date_to"):
        value = (args.get(key) or "").strip()
        if value:
            try:
                day = datetime.date.fromisoformat(value)
            except ValueError:
                errors[key] = filter_words.not_a_date(value)
                continue
            if FIRST_YEAR <= day.year <= LAST_YEAR:
                filters[key] = day
            else:  # also keeps the day-after and time-zone arithmetic in range
                errors[key] = Message("Use a date between %(first)s and %(last)s.",  # years: never grouped
                                      first=str(FIRST_YEAR), last=str(LAST_YEAR))
    filter_words.leave_out_backwards_days(filters, errors)
    if "school" in filters:  # a user who works elsewhere and logged nothing there: said, not an empty log
        filter_reach.officer_beyond(filters, errors, [filters["school"]], filter_reach.contacts_logged)
    return filters, errors


STUDENT_TYPED_MAX = 100  # characters of a typed name or local ID read


def parse_page_filters(args):
    """The contact log's filters as its page reads them: parse_filters, then
    the student typed in "student_q" (a name or local ID) when no student id
    is given (choose_student). Returns (filters, errors, typed, the students
    to choose from). The page and its file read them here, so a file holds
    the rows the page shows."""
    filters, errors = parse_filters(args)
    typed = strip_controls(args.get("student_q", "")).strip()[:STUDENT_TYPED_MAX]
    candidates = choose_student(filters, errors, typed) if typed and "student" not in filters else []
    return filters, errors, typed, candidates


def choose_student(filters, errors, typed, limit=10):
    """The student a supervisor typed (a name or local ID, as the look-up
    finds them): one found narrows filters to them; none or several are said
    in errors["student_q"], and the several (at most limit) are returned to
    choose from."""
    found = search(typed, None, limit=limit + 1)
    if len(found) == 1:
        filters["student"] = found[0].id
        return []
    if not found:
        errors["student_q"] = Message("No student matches “%(value)s”.", value=filter_words.shown(typed))
        return []
    if len(found) > limit:  # the first few only: said, so a student not among them is typed for
        errors["student_q"] = Message("More than %(count)s students match “%(value)s”: the first %(count)s are "
                                      "below. Type more of the name, or the local ID.",
                                      count=limit, value=filter_words.shown(typed))
    else:
        errors["student_q"] = Message("Several students match “%(value)s”: choose one below.",
                                      value=filter_words.shown(typed))
    return found[:limit]


def parse_cursor(value):
    """'<contact id>' of the last row seen, or None."""
    return record_id(value or "")


def matching(filters):
    """Contacts matching filters, with their student, school and author (unordered)."""
    return _narrowed(Contact.select(Contact, Student, School, User)
                     .join(Student).join(School).switch(Contact).join(User), filters)


def _narrowed(query, filters, counting=False):
    """query (of contacts) as filtered. A count finds a reason's contacts from
    the (reasons, ...) index; a page walks them newest first from the
    (occurred_at, ...) index, so its reason test is written so that no index
    can serve it: SQLite, without statistics, took the reasons index and
    sorted every contact of the reason (23 ms on the bench district; 0.9 ms
    this way).

    The student's current school is the one each contact carries
    (Contact.student_school_id, migration 0700): a school's contacts are
    counted, counted up to a page and paged newest first from the
    (student_school_id, occurred_at, id) index, with no student read. Counted
    through the school's students, PostgreSQL joined the 25,000 students of
    a school of the bench district to their 70,000 contacts on every view of
    the log (96-120 ms p95). The school of a day's zone is read there too;
    on SQLite a page's test of it is one no index can serve, for the reason
    above."""
    if "officer" in filters:
        query = query.where(Contact.author == filters["officer"])
    if "school" in filters:
        query = query.where(Contact.student_school_id == filters["school"])
    if "student" in filters:
        query = query.where(Contact.student == filters["student"])
    if "method" in filters:
        query = query.where(Contact.method == filters["method"])
    if "outcome" in filters:
        query = query.where(Contact.outcome == filters["outcome"])
    if "reason" in filters:
        reasons = Contact.reasons if counting else Contact.reasons.concat("")
        query = query.where(reasons.in_(lists_with_reason(filters["reason"])))
    if "date_from" in filters or "date_to" in filters:
        # A day is the local day where the contact happened: the zone of the
        # student's school (README, "Time zones").
        school = Contact.student_school_id if counting or is_postgres() else Contact.student_school_id + 0
        query = query.where(in_local_days(Contact.occurred_at, school,
                                          filters.get("date_from"), filters.get("date_to")))
    return query


def lists_with_reason(code):
    """The stored lists of reasons (comma-separated codes, as Contact.reasons
    holds them) that name code: a few hundred distinct lists in a district,
    read from the (reasons, occurred_at) index once per web request. A filter
    on these lists is one the database can estimate and serve from its
    indexes; a pattern matched inside every contact's list was guessed to
    match a handful and read every contact (PostgreSQL: 53 ms a page of the
    bench district's log, 1.5 ms this way)."""
    def read():
        return [lst for (lst,) in Contact.select(Contact.reasons).distinct().tuples()
                if lst and code in lst.split(",")]
    from flask import has_request_context, request
    if not has_request_context():
        return read()
    kept = request.environ.setdefault("fieldapp.reason_lists", {})
    if code not in kept:
        kept[code] = read()
    return kept[code]


def newest_first(query):
    return query.order_by(Contact.occurred_at.desc(), Contact.id.desc())


def count(filters, newer_than=None):
    """How many contacts match filters (as many as matching() gives); with
    newer_than (a Contact), only those listed before it (newest first), which
    and it itself (the last row of the page before), which is where a page
    that starts after it stands in the list.

    Counted without the joins the rows show (every contact has its student,
    the student a school, the contact an author): the contact carries its
    student's school."""
    query = Contact.select(fn.COUNT(SQL("*")))
    if newer_than is not None:
        query = query.where(_listed_up_to(newer_than))
    return _narrowed(query, filters, counting=True).scalar() or 0


def _listed_up_to(last):
    """Contacts listed before `last` and `last` itself, newest first (by when
    they happened, then id). The time's bound stands alone as well, so that
    an index of (..., occurred_at, id) reads only these contacts."""
    return ((Contact.occurred_at >= last.occurred_at)
            & ((Contact.occurred_at > last.occurred_at) | (Contact.id >= last.id)))


def _listed_after(last):
    """Contacts listed after `last`, newest first: the contrary of _listed_up_to."""
    return ((Contact.occurred_at <= last.occurred_at)
            & ((Contact.occurred_at < last.occurred_at) | (Contact.id < last.id)))


def position(filters, cursor, shown):
    """Where a page of the log stands: (first, last, total), 1-based row numbers
    of its `shown` rows among all matching, for a page that starts after the
    contact id `cursor` (None: the first page)."""
    last = Contact.get_or_none(Contact.id == cursor) if cursor else None
    before = count(filters, newer_than=last) if last is not None else 0
    return before + 1 if shown else before, before + shown, count(filters)


# What a row of the log shows: of the contact, its student, the student's
# school and the contact's author.
_LISTED = (Contact.id, Contact.occurred_at, Contact.method, Contact.outcome, Contact.case, Contact.amends,
           Contact.reasons, Contact.notes, Contact.notes_code, Contact.notes_values, Contact.student,
           Student.first_name, Student.last_name, Student.school, School.name, School.time_zone,
           Contact.author, User.name)


def district_log(filters, cursor=None, limit=PAGE_SIZE):
    """Contacts newest first (by when they happened). Returns (rows, next_cursor).

    A row has the attributes of a Contact the page shows (id, occurred_at,
    method, outcome, case_id, amends_id, reasons, reason_list, notes,
    notes_code, notes_values, student_id), its student (id, first_name,
    last_name, school_id, school: id, name, time_zone) and author (id, name).
    Read as plain values, not as four joined models: building and linking
    the models of 50 rows was a third of the page's time on PostgreSQL."""
    query = _narrowed(Contact.select(*_LISTED).join(Student).join(School).switch(Contact).join(User), filters)
    if cursor:
        last = Contact.get_or_none(Contact.id == cursor)
        if last is not None:
            query = query.where(_listed_after(last))
    schools, authors = {}, {}
    rows = [_row(values, schools, authors) for values in newest_first(query).limit(limit + 1).tuples()]
    next_cursor = rows[limit - 1].id if len(rows) > limit else None
    return rows[:limit], next_cursor


def _row(values, schools, authors):
    """A row of the log from a tuple of _LISTED; a page's schools and authors
    are shared among its rows."""
    (contact_id, occurred_at, method, outcome, case_id, amends_id, reasons, notes, notes_code, notes_values,
     student_id, first_name, last_name, school_id, school_name, time_zone, author_id, author_name) = values
    school = schools.get(school_id)
    if school is None:
        school = schools[school_id] = SimpleNamespace(id=school_id, name=school_name, time_zone=time_zone)
    author = authors.get(author_id)
    if author is None:
        author = authors[author_id] = SimpleNamespace(id=author_id, name=author_name)
    student = SimpleNamespace(id=student_id, first_name=first_name, last_name=last_name, school_id=school_id,
                              school=school)
    return SimpleNamespace(id=contact_id, occurred_at=occurred_at, method=method, outcome=outcome, case_id=case_id,
                           amends_id=amends_id, reasons=reasons, reason_list=[r for r in reasons.split(",") if r],
                           notes=notes, notes_code=notes_code, notes_values=notes_values, student_id=student_id,
                           student=student, author_id=author_id, author=author)


def filter_choices():
    """Officers and schools to filter by."""
    officers = list(User.select(User.id, User.name).where(User.role.in_(AUTHORS)).order_by(User.name))
    schools = list(School.select(School.id, School.name).order_by(School.name))
    return officers, schools
