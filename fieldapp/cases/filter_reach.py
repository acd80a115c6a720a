"""Filters naming a real record that the list can show no row of, because it
lies outside the list's schools: an officer who works none of the schools
the list is narrowed to (a school chosen, or the user's own) and has
nothing there, or a school that is not one of the user's. As a filter
naming nothing (fieldapp.cases.filter_words), it is said beside its field,
by name, and left out (the page answers 422, an export is refused), rather
than shown as an empty list said to match nothing."""
from fieldapp import policy
from fieldapp.cases import filter_words
from fieldapp.models import Case, Contact, School, Student, User


def _school_names(school_ids):
    return [name for (name,) in School.select(School.name).where(School.id.in_(list(school_ids)))
            .order_by(School.name).tuples()]


def officer_beyond(filters, errors, school_ids, has_rows_there):
    """When filters["officer"] (a user id, as parse_filters leaves it) names
    someone who works none of school_ids (ids; None: the whole district,
    nothing to check) and has_rows_there(officer id, [school ids]) finds
    nothing of theirs there, move it from filters to errors["officer"] in
    words naming them and the schools. Returns nothing."""
    officer_id = filters.get("officer")
    if not isinstance(officer_id, int) or school_ids is None:
        return
    school_ids = list(school_ids)
    officer = User.get_or_none(User.id == officer_id)
    works = policy.school_scope(officer) if officer else None
    if works is None or works & set(school_ids) or has_rows_there(officer_id, school_ids):
        return
    del filters["officer"]
    errors["officer"] = filter_words.not_serving(officer.name, _school_names(school_ids))


def school_beyond(filters, errors, scope):
    """When filters["school"] (an id of a school) is not in scope (the
    user's school ids; None: the district), move it from filters to
    errors["school"] in words naming it. Returns nothing."""
    if scope is None or "school" not in filters or filters["school"] in scope:
        return
    school_id = filters.pop("school")
    errors["school"] = filter_words.not_your_school(_school_names([school_id])[0])


def cases_held(officer_id, school_ids):
    """Whether the officer holds a case, open or closed, of a student now at one of school_ids."""
    return Case.select(Case.id).where((Case.officer == officer_id)
                                      & Case.student_school_id.in_(school_ids)).exists()


def open_cases_held(officer_id, school_ids):
    """Whether the officer holds an open case of a student now at one of school_ids."""
    return Case.select(Case.id).where((Case.officer == officer_id) & (Case.status == "open")
                                      & Case.student_school_id.in_(school_ids)).exists()


def contacts_logged(author_id, school_ids):
    """Whether the user logged a contact about a student now at one of school_ids."""
    return (Contact.select(Contact.id).join(Student, on=(Contact.student == Student.id))
            .where((Contact.author == author_id) & Student.school.in_(school_ids)).exists())
