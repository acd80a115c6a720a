"""Checking OneRoster rows before anything is written: every problem is noted
with its file and line, and what is good becomes a Plan to apply."""
import sys
from collections import namedtuple
from dataclasses import dataclass, field
from functools import partial

from fieldapp.imports.bulk import ids_by_sourced_id
from fieldapp.imports.roster_records import leave_out_case_twins
from fieldapp.imports.repeats import (ROW, FirstRows, case_twins, differs_in_case, differs_in_case_from_stored,
                                      stored_case_twins)
from fieldapp.imports.dates import OrderWatch, parse_date, why_not_a_date
from fieldapp.imports.roster_enrollment_notes import say_enrolled_elsewhere
from fieldapp.imports.roster_enrollments import Record
from fieldapp.contact_details import imported_phone
from fieldapp.imports.school_details import ADDRESS_LIMIT, details_of
from fieldapp.messages import Message, N_, plural_message
from fieldapp.models import Guardian, School, Student

ORG_TYPES = (N_("department"), N_("school"), N_("district"), N_("local"), N_("state"), N_("national"))
ROLES = ("administrator", "aide", "guardian", "parent", "proctor", "relative", "student", "teacher")
# A guardian's OneRoster role, kept as the relationship (codes.RELATIONSHIPS): a parent is no guardian by law.
GUARDIAN_ROLES = {"parent": "parent", "guardian": "guardian", "relative": "relative"}
STATUSES = ("", "active", "tobedeleted")
_PLAIN_STATUSES = {"": "active", "active": "active", "tobedeleted": "tobedeleted"}
_PLAIN_ROLES = frozenset(ROLES)  # as nearly every row writes them
_intern = sys.intern  # values many rows repeat (sourced ids, schools, grades, family names) are kept once
# A student's or guardian's fields as users.csv gives them: tuples, not dicts, since a
# district's roster holds hundreds of thousands (agents: a tuple of sourced ids).
# (The line each came from is kept only while users.csv is checked: see check_users.)
StudentRow = namedtuple("StudentRow", "local_id first_name middle_name last_name grade school phone agents")
GuardianRow = namedtuple("GuardianRow", "first_name last_name email phone relationship agents")


@dataclass
class Plan:
    """What the files ask for, checked; sourced ids throughout."""
    modes: dict
    schools: dict = field(default_factory=dict)  # sid -> (name, district or None, active)
    students: dict = field(default_factory=dict)  # sid -> StudentRow, or None: deactivate
    guardians: dict = field(default_factory=dict)  # sid -> GuardianRow, or None: unlink
    births: dict = field(default_factory=dict)  # student sid -> date
    # enrollments.csv records of students: sid -> Record (imports.roster_enrollments)
    enrollments: dict = field(default_factory=dict)
    # (student id, old school id, new school id): schools changed by users.csv
    transfers: list = field(default_factory=list)
    # school sid -> {address, phone}, where the export carries them (imports.school_details)
    school_details: dict = field(default_factory=dict)
    # school sid -> its code (orgs.csv identifier; Ed-Fi's schoolId), where the row has one
    school_codes: dict = field(default_factory=dict)
    date_order: str = ""  # how slash dates read (imports.dates)
    watch: OrderWatch = None  # the slash dates read without a said order: both orders refuse the export
    # fields users.csv has no column for, which a stored student's or guardian's keep as they are:
    # a file without a phone column says nothing of phones; an empty cell in one clears it
    kept_fields: frozenset = frozenset()

    def mode(self, name):
        return self.modes.get(name, "absent")

    def links(self):
        """(student sid, guardian sid, relationship) of each link the file asks
        for, once, in order: each student's agents (guardians being unlinked
        aside), then each guardian's agents that the student's row does not
        list (students being deactivated aside). The relationship is None when
        the file has no row of the guardian (one stored already). Walked from
        the rows, not kept: a district has hundreds of thousands."""
        students, guardians = self.students, self.guardians
        for sid, fields in students.items():
            for agent in (fields.agents if fields else ()):
                guardian = guardians.get(agent, 0)
                if guardian is not None:
                    yield sid, agent, guardian.relationship if guardian else None
        for sid, fields in guardians.items():
            for agent in (fields.agents if fields else ()):
                student = students.get(agent, 0)
                if student is not None and not (student and sid in student.agents):
                    yield agent, sid, fields.relationship


def _status(row, report, name, line):
    return _status_of(row.get("status", ""), report, name, line)


def _status_of(written, report, name, line):
    if written in _PLAIN_STATUSES:  # as nearly every row writes it
        return _PLAIN_STATUSES[written]
    status = written.lower()
    if status not in STATUSES:
        report.problem(name, line, Message("status '%(status)s' must be active or tobedeleted", status=written))
        return None
    return status or "active"


def _first_pass(rows, report, name, lines=None):
    """Rows with a sourcedId seen once, with their status; the rest noted
    (an exact repeat of a row read once: FirstRows). lines: {sid: row},
    filled as rows are read, when given."""
    firsts = FirstRows(report, name, lines)
    for line, row in rows:
        # one string per sourced id, however many rows and links name it
        sid = row["sourcedId"] = _intern(row["sourcedId"])
        if not sid:
            report.problem(name, line, Message("no sourcedId"))
        elif firsts.first(sid, line, row[ROW]):
            status = _status(row, report, name, line)
            if status:
                yield line, row, status


# An optional detail of a record that the app would refuse on a page (a phone that is no phone, a cell longer
# than its field keeps) is left out with a note naming its row, column and what to fix: the record is
# imported without it (keeping what is stored), so the records that depend on it (a school's students, a
# student's guardians and enrolments) are never refused for it. A cell that says which record a row is, or
# how it stands (sourcedId, role, names, school, status, links), is still a row problem.
DETAIL_LIMIT = 255  # the longest email or grade a record keeps (an address: school_details.ADDRESS_LIMIT)
# Users' cells left out when too long, as the record keeps them (a phone too long is no phone: see _phoned)
USER_DETAILS = ("email", "grades")
LEFT_OUT = {
    ("phone", "school"): N_(
        "%(file)s row %(row)s: %(column)s '%(raw)s' is not a phone: left out; the school is imported without it. "
        "To keep one, give 7 to 15 digits, like (555) 201-3344 or +1 555 201 3344 x12."),
    ("phone", "student"): N_(
        "%(file)s row %(row)s: %(column)s '%(raw)s' is not a phone: left out; the student is imported without it. "
        "To keep one, give 7 to 15 digits, like (555) 201-3344 or +1 555 201 3344 x12."),
    ("phone", "guardian"): N_(
        "%(file)s row %(row)s: %(column)s '%(raw)s' is not a phone: left out; the guardian is imported without "
        "it. To keep one, give 7 to 15 digits, like (555) 201-3344 or +1 555 201 3344 x12."),
    ("long", "school"): N_(
        "%(file)s row %(row)s: %(column)s '%(raw)s' is longer than %(num)d characters: left out; the school is "
        "imported without it. To keep it, shorten it to %(num)d characters."),
    ("long", "student"): N_(
        "%(file)s row %(row)s: %(column)s '%(raw)s' is longer than %(num)d characters: left out; the student is "
        "imported without it. To keep it, shorten it to %(num)d characters."),
    ("long", "guardian"): N_(
        "%(file)s row %(row)s: %(column)s '%(raw)s' is longer than %(num)d characters: left out; the guardian is "
        "imported without it. To keep it, shorten it to %(num)d characters."),
}
SHOWN_LEFT_OUT = 20  # notes of details left out, per file; any more are counted in one note
SHOWN_RAW = 40  # the characters of a cell a note quotes


class LeftOut:
    """The details of one file's rows left out, each noted (the first SHOWN_LEFT_OUT; then how many more)."""

    def __init__(self, report, file):
        self.report, self.file, self.count = report, file, 0

    def note(self, line, record, column, raw, why):
        """Note that row line's cell of column (its text raw) is left out of record ("school",
        "student" or "guardian"), being no phone (why "phone") or too long ("long")."""
        self.count += 1
        if self.count <= SHOWN_LEFT_OUT:
            most = ADDRESS_LIMIT if column == "metadata.address" else DETAIL_LIMIT
            self.report.note(Message(LEFT_OUT[why, record], file=self.file, row=str(line), column=column,
                                     raw=raw if len(raw) <= SHOWN_RAW else raw[:SHOWN_RAW] + "…", num=most))

    def close(self):
        more = self.count - SHOWN_LEFT_OUT
        if more > 0:
            self.report.note(plural_message(
                "%(file)s: %(num)d more detail left out, as the notes above say",
                "%(file)s: %(num)d more details left out, as the notes above say",
                more, file=self.file, num=more))


def check_orgs(rows, plan, report):
    """Schools (with their district's name and their code) from orgs.csv; other
    orgs are counted: districts name schools' districts, the rest (departments,
    local, state, national) are not kept."""
    districts = {row["sourcedId"]: row["name"] for _, row in rows
                 if row["type"].lower() == "district"}
    skipped = {}  # org type -> names of the orgs of that type left aside
    codes = _SchoolCodes(rows)
    left_out, lines = LeftOut(report, "orgs.csv"), {}
    for line, row, status in _first_pass(rows, report, "orgs.csv", lines):
        kind = row["type"].lower()
        if kind not in ORG_TYPES:
            report.problem("orgs.csv", line, Message("type '%(type)s' is not a OneRoster org type", type=row["type"]))
        elif kind == "school" and status == "active" and not row["name"]:
            report.problem("orgs.csv", line, Message("a school needs a name"))
        elif kind == "school" and codes.taken(row["sourcedId"], row["identifier"]):
            school, given_on = codes.taken(row["sourcedId"], row["identifier"]), codes.row_of(row["identifier"])
            report.problem("orgs.csv", line, Message(
                "identifier '%(code)s' is already the code of %(school)s: two schools with one code would leave "
                "every attendance and calendar row naming it unmatched", code=row["identifier"], school=school)
                if given_on is None else Message(
                "identifier '%(code)s' is given on row %(row)s already, to %(school)s: two schools with one code "
                "would leave every attendance and calendar row naming it unmatched", code=row["identifier"],
                school=school, row=str(given_on)))
        elif kind == "school":
            codes.give(row["sourcedId"], row["identifier"], row["name"], line)
            plan.schools[row["sourcedId"]] = (row["name"], districts.get(row["parentSourcedId"]),
                                              status == "active")
            plan.school_details[row["sourcedId"]], faults = details_of(row)
            for column, raw, why in faults:
                left_out.note(line, "school", column, raw, why)
            if row["identifier"]:
                plan.school_codes[row["sourcedId"]] = row["identifier"]
        elif kind != "district":
            skipped.setdefault(kind, []).append(row["name"] or row["sourcedId"])
    left_out.close()
    for sid, line, other, other_line in case_twins(lines):
        if sid in plan.schools:
            report.problem("orgs.csv", line, differs_in_case(sid, other, other_line))
            for kept in (plan.schools, plan.school_details, plan.school_codes):
                kept.pop(sid, None)
    _stored_twins("orgs.csv", plan.schools, School, lines, report, (plan.school_details, plan.school_codes))
    for kind, names in sorted(skipped.items()):
        report.note(plural_message("orgs.csv: %(num)d %(kind)s org not kept (not a school): %(names)s",
                                   "orgs.csv: %(num)d %(kind)s orgs not kept (not schools): %(names)s",
                                   len(names), num=len(names), kind=Message(kind),
                                   names=", ".join(names[:10]) + (" …" if len(names) > 10 else "")))


class _SchoolCodes:
    """Which school holds each code (identifier) once the file is applied: a
    school's code matches attendance and calendar rows only while no other
    school has it (fieldapp.imports.schools), so a row giving a school
    another's code is refused, naming that school."""

    def __init__(self, rows):
        in_file = {row["sourcedId"]: row["identifier"] for _, row in rows if row["type"].lower() == "school"}
        self.stored = {sid: code for sid, code in School.select(School.sourced_id, School.identifier).tuples()}
        self.holders = {}  # code -> name of the stored school keeping it
        for sid, name, code in School.select(School.sourced_id, School.name, School.identifier).tuples():
            if code and in_file.get(sid, code) == code:
                self.holders.setdefault(code, (sid, f"{name} (sourcedId {sid})"))
        self.given = {}  # code -> (sourcedId, name, row) of a school this file gave it

    def taken(self, sid, code):
        """The school other than sid holding code, if sid would newly take it; else ''."""
        if not code or self.stored.get(sid) == code:
            return ""
        holder = self.holders.get(code) or self.given.get(code)
        return holder[1] if holder and holder[0] != sid else ""

    def give(self, sid, code, name, line):
        if code and self.stored.get(sid) != code:
            self.given.setdefault(code, (sid, f"{name} (sourcedId {sid})", line))

    def row_of(self, code):
        """The row of orgs.csv that gave code to a school, when no stored school keeps it; else None."""
        if code in self.holders or code not in self.given:
            return None
        return self.given[code][2]


def _split(value):
    if "," not in value:  # one value (cells are stripped), or none
        return [value] if value else []
    return [part for part in map(str.strip, value.split(",")) if part]


def _agents(value):
    if "," not in value:  # one agent (cells are stripped), or none
        return (_intern(value),) if value else ()
    return tuple(dict.fromkeys(map(_intern, _split(value))))  # each once, in order


def _school_of(orgs, known_schools):
    """The first of orgSourcedIds that is a known school, or None."""
    if "," not in orgs and orgs in known_schools:  # one school, as most rows name
        return orgs
    return next((org for org in _split(orgs) if org in known_schools), None)


# namedtuples made without their class's Python __new__ (hundreds of thousands of rows)
_new_student, _new_guardian = partial(tuple.__new__, StudentRow), partial(tuple.__new__, GuardianRow)


# users.csv's optional columns and the stored field each gives (identifier: a student's local id)
FIELD_COLUMNS = {"identifier": "local_id", "middleName": "middle_name", "grades": "grade", "email": "email",
                 "phone": "phone"}
USER_COLUMNS = ("sourcedId", "role", "givenName", "familyName", "orgSourcedIds", "status", "middleName",
                "identifier", "email", "sms", "phone", "agentSourcedIds", "grades", ROW)


def check_users(rows, plan, report):
    """Students and guardians from users.csv (rows: a file's stream, read as
    the values of USER_COLUMNS; see oneroster._Stream). A large file is
    checked in two parts at once, its second half in a process of its own
    (rows.in_parts), when the stream can; else, or when that part finds what
    only a reading from the top can tell right, row by row here."""
    known_schools = _known_schools(plan)  # schools stored or created by this import
    lacking = getattr(rows, "lacking", None)
    if lacking is not None:
        absent = lacking(FIELD_COLUMNS.keys() | {"sms"})
        plan.kept_fields = frozenset(name for column, name in FIELD_COLUMNS.items() if column in absent
                                     and (column != "phone" or "sms" in absent))  # a guardian's phone may be sms
    lines = None  # sid -> its line, while users.csv is checked
    in_parts = getattr(rows, "in_parts", None)
    if in_parts is not None and not plan.students and not plan.guardians:
        lines = in_parts(USER_COLUMNS, partial(check_user_rows, known_schools=known_schools), plan, report)
    if lines is None:
        lines = {}
        check_user_rows(rows.values(*USER_COLUMNS), plan.students, plan.guardians, report, lines,
                        known_schools=known_schools)
    for sid, line, other, other_line in case_twins(lines):
        table = plan.students if sid in plan.students else plan.guardians if sid in plan.guardians else None
        if table is not None:
            report.problem("users.csv", line, differs_in_case(sid, other, other_line))
            del table[sid]
    _stored_twins("users.csv", plan.students, Student, lines, report)
    _stored_twins("users.csv", plan.guardians, Guardian, lines, report)
    _check_agents(plan, report, lines)


def _stored_twins(file, named, model, lines, report, also=()):
    """Leave out, each as a row problem of file, the records of named ({sid: ...}, a dict of the plan;
    their rows in lines, {sid: row}) whose sourcedId differs only in case from that of a stored record of
    model (csvfile.stored_case_twins), naming the stored record; also: other dicts of the plan by sid."""
    twins = stored_case_twins(named, ids_by_sourced_id(model))
    if not twins:
        return
    columns = (model.name,) if model is School else (model.first_name, model.last_name)
    others, names = list(set(twins.values())), {}
    for start in range(0, len(others), 500):
        for sid, *name in model.select(model.sourced_id, *columns).where(
                model.sourced_id.in_(others[start:start + 500])).tuples():
            names[sid] = " ".join(part for part in name if part)
    for sid, other in twins.items():
        report.problem(file, lines.get(sid), differs_in_case_from_stored(sid, other, names.get(other) or other))
        for kept in (named, *also):
            kept.pop(sid, None)


def check_user_rows(rows, students, guardians, report, lines, plain=False, known_schools=()):
    """Check users.csv's rows ((line, values of USER_COLUMNS)), filling
    students and guardians ({sid: StudentRow or GuardianRow, or None: to
    deactivate or unlink}), lines ({sid: line}) and report's problems and
    counts. plain: rows as plain tuples of the same fields (to be sent to
    another process), not namedtuples."""
    problem = report.problem
    new_student, new_guardian = (tuple, tuple) if plain else (_new_student, _new_guardian)
    phones = {}  # a cell's text -> the phone kept (contact_details.imported_phone), or None: no phone
    left_out, firsts = LeftOut(report, "users.csv"), FirstRows(report, "users.csv", lines)
    first = firsts.first
    # _first_pass, written out over plain values: a district's users.csv has hundreds of thousands of rows
    for line, (sid, written_role, given, family, orgs, written_status, middle, identifier, email, sms, phone,
               agents, grades, fingerprint) in rows:
        sid = _intern(sid)
        if not sid:
            problem("users.csv", line, Message("no sourcedId"))
            continue
        if not first(sid, line, fingerprint):
            continue
        status = _PLAIN_STATUSES.get(written_status) or _status_of(written_status, report, "users.csv", line)
        if not status:
            continue
        role = written_role if written_role in _PLAIN_ROLES else written_role.lower()
        if role == "student":
            target = students
        elif role in GUARDIAN_ROLES:
            target = guardians
        elif role in ROLES:
            report.add("staff users skipped")
            continue
        else:
            problem("users.csv", line, Message("role '%(role)s' is not a OneRoster role", role=written_role))
            continue
        if status == "tobedeleted":
            target[sid] = None
        elif not given or not family:
            problem("users.csv", line, Message("givenName and familyName are needed"))
        elif target is students:
            school = _school_of(orgs, known_schools)
            if school is None:
                problem("users.csv", line, Message("none of orgSourcedIds '%(orgs)s' is a known school", orgs=orgs))
                continue
            if "," in grades:  # the first grade named
                grades = next(iter(_split(grades)), "")
            if len(grades) > DETAIL_LIMIT:  # left out, noted: the stored grade is kept (None)
                left_out.note(line, "student", "grades", grades, "long")
                grades = None
            students[sid] = new_student((identifier or sid, given, middle, _intern(family),
                                         grades and _intern(grades), _intern(school),
                                         _phone_of(((phone, "phone"),), phones, left_out, line, "student")
                                         if phone else "", _agents(agents)))
        else:
            if len(email) > DETAIL_LIMIT:  # left out, noted: the stored email is kept (None)
                left_out.note(line, "guardian", "email", email, "long")
                email = None
            guardians[sid] = new_guardian((_intern(given), _intern(family), email,
                                           _phone_of(((phone, "phone"), (sms, "sms")), phones, left_out, line,
                                                     "guardian") if phone or sms else "",
                                           GUARDIAN_ROLES[role], _agents(agents)))
    left_out.close()


def _phone_of(cells, phones, left_out, line, record):
    """The phone of a row's cells ((raw, column), in the order tried: a guardian's phone, then its sms),
    kept as a phone typed on a page is (contact_details.imported_phone): "" when every cell is empty;
    None when each one given is no phone, each noted as left out (the stored phone is kept). phones:
    a cell's text -> the phone it keeps, or None, read once."""
    found = ""
    for raw, column in cells:
        if raw:
            kept = phones.get(raw, False)
            if kept is False:
                kept = phones[raw] = imported_phone(raw, column)[0]
            if kept is not None:
                return kept
            left_out.note(line, record, column, raw, "phone")
            found = None
    return found


def _stored(model):
    """The sourced ids of model's stored rows (a set)."""
    return set(ids_by_sourced_id(model))


def _known_schools(plan):
    """Schools stored or created by this import."""
    return _stored(School) | \
        {sid for sid, (_, _, active) in plan.schools.items() if active}


class _Known:
    """Sourced ids named in the file (a dict of the plan) or stored: `in`
    tries one then the other, with no merged copy of a district's ids."""

    def __init__(self, named, model):
        self.named, self.stored = named, _stored(model)

    def __contains__(self, sid):
        return sid in self.named or sid in self.stored


def _check_agents(plan, report, lines):
    """Every agentSourcedIds entry names a guardian (for a student) or a
    student (for a guardian) in the file or already stored."""
    guardians, students = _Known(plan.guardians, Guardian), _Known(plan.students, Student)
    unknown = []  # (table, sid, kind, agents): none is left out before every row is checked
    for table, others, kind in ((plan.students, guardians, "guardian"),
                                (plan.guardians, students, "student")):
        named, stored = others.named, others.stored
        for sid, fields in table.items():
            for agent in (fields.agents if fields else ()):
                if agent not in named and agent not in stored:
                    unknown.append((table, sid, kind, [a for a in fields.agents if a not in others]))
                    break
    for table, sid, kind, agents in unknown:
        report.problem("users.csv", lines[sid], Message("agentSourcedIds names no known %(kind)s: %(agents)s",
                                                        kind=kind, agents=", ".join(agents)))
        del table[sid]


def check_demographics(rows, plan, report, today):
    students, guardians = _Known(plan.students, Student), _Known(plan.guardians, Guardian)
    read = {}  # raw text -> date: a district's students share a few thousand birth dates, kept once
    first, problem = FirstRows(report, "demographics.csv").first, report.problem
    # _first_pass, written out over plain values: a district has hundreds of thousands of rows
    for line, (sid, written_status, raw, fingerprint) in rows.values("sourcedId", "status", "birthDate", ROW):
        sid = _intern(sid)
        if not sid:
            problem("demographics.csv", line, Message("no sourcedId"))
            continue
        if not first(sid, line, fingerprint):
            continue
        status = _PLAIN_STATUSES.get(written_status) or _status_of(written_status, report, "demographics.csv", line)
        if not status or sid in guardians or status == "tobedeleted" or not raw:
            continue
        if sid not in students:
            report.problem("demographics.csv", line, Message("unknown user '%(sid)s'", sid=sid))
            continue
        born = read.get(raw)
        if born is None:
            born = read[raw] = parse_date(raw, plan.date_order)
            plan.watch.saw(raw, "demographics.csv", line, "birthDate")
        if born is None:
            report.problem("demographics.csv", line, why_not_a_date(raw, "birthDate", plan.date_order))
        elif born > today:
            report.problem("demographics.csv", line, Message("bad birthDate '%(raw)s': after today", raw=raw))
        else:
            plan.births[sid] = born


def _enrollment_dates(row, report, line, order="", read=None, watch=None):
    """(begin, end) of an enrollments.csv row, or None (noted); read: raw
    text -> date, dates already read (a district's records share a few)."""
    read = {} if read is None else read

    def date_of(raw, column):
        if raw not in read:
            read[raw] = parse_date(raw, order)
            if watch is not None:
                watch.saw(raw, "enrollments.csv", line, column)
        return read[raw]
    begin, end = (date_of(row[c], c) if row[c] else None for c in ("beginDate", "endDate"))
    for column, value in (("beginDate", begin), ("endDate", end)):
        if row[column] and value is None:
            report.problem("enrollments.csv", line, why_not_a_date(row[column], column, order))
            return None
    if begin and end and begin > end:
        report.problem("enrollments.csv", line, Message("beginDate is after endDate"))
        return None
    return begin, end


def check_enrollments(rows, plan, report):
    """The students' enrollment records, checked. A tobedeleted record ends
    (on its endDate, else the day before the import); other roles are skipped."""
    students, schools, read, lines = _Known(plan.students, Student), _known_schools(plan), {}, {}
    for line, row, status in _first_pass(rows, report, "enrollments.csv", lines):
        if status == "tobedeleted" and not (row["role"] or row["userSourcedId"] or row["schoolSourcedId"]):
            plan.enrollments[row["sourcedId"]] = Record(None, None, "", None, None, status)  # roster_records.bare
            continue
        if row["role"].lower() != "student":
            continue
        student, school = row["userSourcedId"], row["schoolSourcedId"]
        if not student:
            report.problem("enrollments.csv", line, Message("userSourcedId is empty: give the student's sourcedId"))
        elif not school:
            report.problem("enrollments.csv", line, Message("schoolSourcedId is empty: give the school's sourcedId"))
        elif student not in students:
            report.problem("enrollments.csv", line, Message("unknown student '%(key)s'", key=student))
        elif school not in schools:
            report.problem("enrollments.csv", line, Message("unknown school '%(key)s'", key=school))
        else:
            dates = _enrollment_dates(row, report, line, plan.date_order, read, plan.watch)
            if dates:
                plan.enrollments[row["sourcedId"]] = Record(_intern(student), _intern(school),
                                                            _intern(row["classSourcedId"][:255]),
                                                            *dates, status)
    leave_out_case_twins(plan.enrollments, lines, report)


CHECKS = {"orgs": check_orgs, "users": check_users, "demographics": check_demographics,
          "enrollments": check_enrollments}


def check(files, modes, report, today, date_order=""):
    """A Plan from the rows of each file present, in dependency order;
    date_order says how slash dates read (imports.dates)."""
    plan = Plan(modes, date_order=date_order, watch=OrderWatch(date_order))
    for name in ("orgs", "users", "demographics", "enrollments"):
        if name in files:
            if name == "demographics":
                check_demographics(files[name], plan, report, today)
            else:
                CHECKS[name](files[name], plan, report)
    say_enrolled_elsewhere(plan, report)
    report.note_repeated()
    return plan

