"""The district's letters recorded as sent: one query for the list on screen
and the file exported from it, so both hold the same rows in the same order."""
from fieldapp.models import Case, Letter, School, Student


def matching(filters, *columns):
    """Letters recorded as sent (newest first is the caller's order), with
    their case, student and the student's current school, of one school when
    filters (fieldapp.cases.caselist.parse_filters) names one. columns: what
    to select (the Letter model and its joins when none)."""
    found = (Letter.select(*(columns or (Letter, Case, Student, School))).join(Case).join(Student).join(School)
             .where(Letter.sent_at.is_null(False)))
    if "school" in filters:
        found = found.where(Student.school == filters["school"])
    return found


def newest_first(query):
    """query (of letters) in the list's order: last sent first."""
    return query.order_by(Letter.sent_at.desc(), Letter.id.desc())
