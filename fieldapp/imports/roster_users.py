"""Students and guardians from users.csv, and the links between them."""
from functools import partial
from sys import intern

from fieldapp.contact_details import imported_phone
from fieldapp.imports.bulk import ids_by_sourced_id
from fieldapp.imports.report import ImportRefused
from fieldapp.imports.repeats import ROW, FirstRows, case_twins, differs_in_case
from fieldapp.imports.roster_left_out import DETAIL_LIMIT, LeftOut
from fieldapp.imports.roster_plan import (PLAIN_STATUSES, GuardianRow, Known, StudentRow, known_schools,
                                          deleted_not_on_file, named_by_code, school_codes, status_of,
                                          stored_twins)
from fieldapp.messages import NP_, Message
from fieldapp.models import Guardian, Student

ROLES = ("administrator", "aide", "guardian", "parent", "proctor", "relative", "student", "teacher")
# A guardian's OneRoster role, kept as the relationship (codes.RELATIONSHIPS): a parent is no guardian by law.
GUARDIAN_ROLES = {"parent": "parent", "guardian": "guardian", "relative": "relative"}
_PLAIN_ROLES = frozenset(ROLES)  # as nearly every row writes them


def _split(value):
    if "," not in value:  # one value (cells are stripped), or none
        return [value] if value else []
    return [part for part in map(str.strip, value.split(",")) if part]


def _agents(value):
    if "," not in value:  # one agent (cells are stripped), or none
        return (intern(value),) if value else ()
    return tuple(dict.fromkeys(map(intern, _split(value))))  # each once, in order


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
    known = known_schools(plan)  # schools stored or created by this import
    codes = school_codes(plan)  # to tell a row naming a school by its code which sourcedId to give
    lacking = getattr(rows, "lacking", None)
    if lacking is not None:
        absent = lacking(FIELD_COLUMNS.keys() | {"sms"})
        plan.kept_fields = frozenset(name for column, name in FIELD_COLUMNS.items() if column in absent
                                     and (column != "phone" or "sms" in absent))  # a guardian's phone may be sms
    lines = None  # sid -> its line, while users.csv is checked
    in_parts = getattr(rows, "in_parts", None)
    if in_parts is not None and not plan.students and not plan.guardians:
        lines = in_parts(USER_COLUMNS, partial(check_user_rows, known_schools=known, school_codes=codes), plan,
                         report)
    bare = {}
    if lines is None:
        lines = {}
        check_user_rows(rows.values(*USER_COLUMNS), plan.students, plan.guardians, report, lines,
                        known_schools=known, school_codes=codes, bare=bare)
    _deleted_by_sourced_id(bare, plan, report)
    for sid, line, other, other_line in case_twins(lines):
        table = plan.students if sid in plan.students else plan.guardians if sid in plan.guardians else None
        if table is not None:
            report.problem("users.csv", line, differs_in_case(sid, other, other_line))
            del table[sid]
    stored_twins("users.csv", plan.students, Student, lines, report)
    stored_twins("users.csv", plan.guardians, Guardian, lines, report)
    _check_agents(plan, report, lines)


def _deleted_by_sourced_id(bare, plan, report):
    """The tobedeleted rows of users.csv that give only their sourcedId (bare: {sid: line}): a stored
    student's is deactivated, a stored guardian's unlinked, as a row giving the role does; one naming
    neither is said in a note (there is nothing to delete)."""
    if not bare:
        return
    sids = sorted(bare)
    students, guardians = set(ids_by_sourced_id(Student, sids)), set(ids_by_sourced_id(Guardian, sids))
    missing = []
    for sid in sids:
        if sid in students:
            plan.students[sid] = None
        elif sid in guardians:
            plan.guardians[sid] = None
        else:
            missing.append(sid)
    deleted_not_on_file("users.csv", missing, (Student, Guardian), bare, report, NP_(
        "users.csv: %(num)d tobedeleted row gives only its sourcedId, and no student or guardian of that "
        "sourcedId is on file: nothing to delete: %(sids)s",
        "users.csv: %(num)d tobedeleted rows give only their sourcedId, and no student or guardian of those "
        "sourcedIds is on file: nothing to delete: %(sids)s"))


def check_user_rows(rows, students, guardians, report, lines, plain=False, known_schools=(), school_codes=None,
                    bare=None):
    """Check users.csv's rows ((line, values of USER_COLUMNS)), filling
    students and guardians ({sid: StudentRow or GuardianRow, or None: to
    deactivate or unlink}), lines ({sid: line}) and report's problems and
    counts. plain: rows as plain tuples of the same fields (to be sent to
    another process), not namedtuples. school_codes: roster_plan.school_codes, to tell a row naming a school
    by its code which sourcedId to give. bare: {sid: line} filled with the tobedeleted rows giving no role
    (a OneRoster delta may delete a record by its sourcedId alone); without it (a part of a large file,
    oneroster_parts), such a row raises ImportRefused, and the whole file is read again from the top."""
    problem = report.problem
    new_student, new_guardian = (tuple, tuple) if plain else (_new_student, _new_guardian)
    phones = {}  # a cell's text -> the phone kept (contact_details.imported_phone), or None: no phone
    left_out, firsts = LeftOut(report, "users.csv"), FirstRows(report, "users.csv", lines)
    first = firsts.first
    # first_pass, written out over plain values: a district's users.csv has hundreds of thousands of rows
    for line, (sid, written_role, given, family, orgs, written_status, middle, identifier, email, sms, phone,
               agents, grades, fingerprint) in rows:
        sid = intern(sid)
        if not sid:
            problem("users.csv", line, Message("no sourcedId"))
            continue
        if not first(sid, line, fingerprint):
            continue
        status = PLAIN_STATUSES.get(written_status) or status_of(written_status, report, "users.csv", line)
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
        elif status == "tobedeleted" and not written_role:
            if bare is None:  # a part of a large file, checked on its own: the file is read again from the top
                raise ImportRefused(Message("users.csv row %(row)s deletes a record by its sourcedId alone",
                                            row=str(line)))
            bare[sid] = line  # deleted by its sourcedId alone: a stored student's or guardian's (check_users)
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
                by_code = named_by_code(_split(orgs), school_codes)
                problem("users.csv", line, Message("none of orgSourcedIds '%(orgs)s' is a known school", orgs=orgs)
                        if by_code is None else Message("none of orgSourcedIds '%(orgs)s' is a known school: %(why)s",
                                                        orgs=orgs, why=by_code))
                continue
            if "," in grades:  # the first grade named
                grades = next(iter(_split(grades)), "")
            if len(grades) > DETAIL_LIMIT:  # left out, noted: the stored grade is kept (None)
                left_out.note(line, "student", "grades", grades, "long")
                grades = None
            students[sid] = new_student((identifier or sid, given, middle, intern(family),
                                         grades and intern(grades), intern(school),
                                         _phone_of(((phone, "phone"),), phones, left_out, line, "student")
                                         if phone else "", _agents(agents)))
        else:
            if len(email) > DETAIL_LIMIT:  # left out, noted: the stored email is kept (None)
                left_out.note(line, "guardian", "email", email, "long")
                email = None
            guardians[sid] = new_guardian((intern(given), intern(family), email,
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


def _check_agents(plan, report, lines):
    """Every agentSourcedIds entry names a guardian (for a student) or a
    student (for a guardian) in the file or already stored."""
    guardians, students = Known(plan.guardians, Guardian), Known(plan.students, Student)
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
