"""What each export holds: a header, the rows (produced lazily, a chunk of
records at a time) and the students the file discloses."""
from dataclasses import dataclass
from typing import Callable

from fieldapp import codes
from fieldapp.cases import caselist, contact_log
from fieldapp.models import Case, Contact, Letter, School, Student, User
from fieldapp.students.records import record_list_access
from fieldapp.timefmt import to_local

CHUNK = 1000  # records loaded per query while writing


@dataclass
class Dataset:
    name: str  # the file name, without extension
    header: list
    rows: Callable  # () -> iterator of lists, one per line
    students: object  # a query of the disclosed students' ids, or a list of ids


def _in_order(ids_query, load):
    """Records in the order of ids_query (a query of ids), loaded CHUNK at a
    time by load(ids), so only the ids are held for the whole export."""
    ids = [i for (i,) in ids_query.tuples()]
    for start in range(0, len(ids), CHUNK):
        part = ids[start:start + CHUNK]
        found = {record.id: record for record in load(part)}
        yield from (found[i] for i in part if i in found)


def _rows_in_order(ids_query, load):
    """Like _in_order, for loads that give plain tuples whose first value is
    the id: building a model object for every row and every joined record
    cost most of an export's time."""
    ids = [i for (i,) in ids_query.tuples()]
    for start in range(0, len(ids), CHUNK):
        part = ids[start:start + CHUNK]
        found = {row[0]: row for row in load(part)}
        yield from (found[i] for i in part if i in found)


def _labels(kind, stored):
    return "; ".join(codes.label(kind, code) for code in stored.split(",") if code)


def cases(filters, sort, settings=None):
    """The district case list as filtered and sorted on screen (settings: the
    rule settings a band filter reads stored standings under)."""
    def load(ids):
        return (caselist.with_people().select(
            Case.id, Student.local_id, Student.sourced_id, Student.last_name, Student.first_name,
            Student.grade, School.name, School.time_zone, Case.status, Case.stage, User.name, Case.opened_at,
            Case.closed_at, Case.closure_reason, Case.flags, Case.contact_count, Case.last_contact_at,
            Case.next_follow_up).where(Case.id.in_(ids)).tuples())

    def rows():
        ordered = caselist.query(filters, sort, settings).select(Case.id)
        for (case_id, local_id, sourced_id, last, first, grade, school, zone, status, stage, officer, opened,
             closed, closure, flags, contacts, last_contact, follow_up) in _rows_in_order(ordered, load):
            zone_name = zone or None  # times as local at the student's school
            yield [case_id, local_id, sourced_id, last, first, grade, school,
                   status, codes.label("stage", stage), officer or "",
                   to_local(opened, zone_name), to_local(closed, zone_name),
                   codes.label("closure", closure) if closure else "",
                   _labels("flag", flags), contacts, to_local(last_contact, zone_name), follow_up]
    header = ["Case", "Local id", "SIS id", "Last name", "First name", "Grade", "School", "Status", "Stage",
              "Officer", "Opened", "Closed", "Closure reason", "Circumstances", "Contacts", "Last contact",
              "Next follow-up"]
    return Dataset("cases", header, rows, caselist.query(filters, sort, settings).select(Case.student))


def contacts(filters):
    """The district contact log as filtered on screen, newest first, notes included."""
    def load(ids):
        return (Contact.select(Contact.id, Contact.occurred_at, School.time_zone, Student.local_id,
                               Student.last_name, Student.first_name, School.name, Contact.method,
                               Contact.outcome, Contact.reasons, Contact.people_present, Contact.notes,
                               Contact.follow_up_on, User.name, Contact.amends, Contact.amendment_reason)
                .join(Student).join(School).switch(Contact).join(User).where(Contact.id.in_(ids)).tuples())

    def rows():
        ordered = contact_log.newest_first(contact_log.matching(filters)).select(Contact.id)
        for (contact_id, occurred, zone, local_id, last, first, school, method, outcome, reasons, people,
             notes, follow_up, author, amends, why) in _rows_in_order(ordered, load):
            when = to_local(occurred, zone or None)  # local at the student's school
            yield [contact_id, when, local_id, last, first, school,
                   codes.label("method", method), codes.label("outcome", outcome),
                   _labels("reason", reasons), _labels("people", people), notes,
                   follow_up, author, amends or "", why]
    header = ["Contact", "When", "Local id", "Last name", "First name", "School", "Method", "Outcome",
              "Reasons", "People present", "Notes", "Follow up on", "Logged by", "Corrects contact",
              "Why corrected"]
    return Dataset("contacts", header, rows, contact_log.matching(filters).select(Contact.student))


def worklist(listing):
    """Every student of a computed worklist (fieldapp.rules.worklist.build)."""
    def rows():
        for item in listing.items:
            s, step = item.student, item.step
            yield [s.local_id, s.last_name, s.first_name, s.school.name, item.section,
                   step.step.label if step else "", step.step.statute if step else "",
                   step.due_on if step else None, item.days_left if step else None,
                   item.result.percent_missed, codes.label("band", item.result.band),
                   item.case.officer.name if item.case and item.case.officer_id else ""]
    header = ["Local id", "Last name", "First name", "School", "Section", "Next step", "Statute", "Due on",
              "School days left", "% of days missed", "Chronic absence", "Officer"]
    return Dataset("worklist", header, rows, [item.student.id for item in listing.items])


def letters_sent(filters):
    """Letters recorded as sent, newest first, for the schools filtered."""
    def query():
        found = (Letter.select(Letter, Case, Student, School).join(Case).join(Student).join(School)
                 .where(Letter.sent_at.is_null(False)))
        if "school" in filters:
            found = found.where(Student.school == filters["school"])
        return found

    def load(ids):
        return query().where(Letter.id.in_(ids))

    def rows():
        ordered = query().select(Letter.id).order_by(Letter.sent_at.desc(), Letter.id.desc())
        for letter in _in_order(ordered, load):
            s = letter.case.student
            sent = to_local(letter.sent_at, s.school.time_zone or None)
            yield [letter.id, sent, letter.sent_how, letter.kind, letter.language,
                   letter.letter_date, s.local_id, s.last_name, s.first_name, s.school.name,
                   letter.template_id, letter.template_version]
    header = ["Letter", "Sent", "How", "Kind", "Language", "Letter date", "Local id", "Last name",
              "First name", "School", "Template", "Template version"]
    return Dataset("letters-sent", header, rows, query().select(Case.student))


def record_disclosure(user, students, path="", ip=""):
    """Write one "export" line to the access log of each student disclosed
    (34 CFR 99.32), in one INSERT ... SELECT (see record_list_access).

    students: a list of Student ids, or a query selecting Student ids.
    Returns nothing; the caller's transaction applies."""
    if not isinstance(students, list):
        students = students.order_by()
    record_list_access(user, students, "export", path, ip)
