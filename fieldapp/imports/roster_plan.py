"""What a roster's files ask for, checked (a Plan), and what the check of
each file shares: a row's status, its sourcedId read once, and the records
stored already."""
from collections import namedtuple
from dataclasses import dataclass, field
from sys import intern  # values many rows repeat (sourced ids, schools, grades, family names) are kept once

from fieldapp.imports.bulk import ids_by_sourced_id
from fieldapp.imports.repeats import ROW, FirstRows, differs_in_case_from_stored, stored_case_twins
from fieldapp.imports.dates import OrderWatch
from fieldapp.messages import Message, plural_message
from fieldapp.models import School

STATUSES = ("", "active", "tobedeleted")
PLAIN_STATUSES = {"": "active", "active": "active", "tobedeleted": "tobedeleted"}
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
    return status_of(row.get("status", ""), report, name, line)


def status_of(written, report, name, line):
    """The status a row's cell says (active or tobedeleted), or None, noted as a problem of row line of name."""
    if written in PLAIN_STATUSES:  # as nearly every row writes it
        return PLAIN_STATUSES[written]
    status = written.lower()
    if status not in STATUSES:
        report.problem(name, line, Message("status '%(status)s' must be active or tobedeleted", status=written))
        return None
    return status or "active"


def first_pass(rows, report, name, lines=None):
    """Rows with a sourcedId seen once, with their status; the rest noted
    (an exact repeat of a row read once: FirstRows). lines: {sid: row},
    filled as rows are read, when given."""
    firsts = FirstRows(report, name, lines)
    for line, row in rows:
        # one string per sourced id, however many rows and links name it
        sid = row["sourcedId"] = intern(row["sourcedId"])
        if not sid:
            report.problem(name, line, Message("no sourcedId"))
        elif firsts.first(sid, line, row[ROW]):
            status = _status(row, report, name, line)
            if status:
                yield line, row, status


def stored_twins(file, named, model, lines, report, also=()):
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


def _stored(model):
    """The sourced ids of model's stored rows (a set)."""
    return set(ids_by_sourced_id(model))


def deleted_not_on_file(file, missing, models, lines, report, said):
    """Say which tobedeleted rows giving only their sourcedId (missing: those of no stored record of
    models) have nothing to delete, in the note said ((singular, plural) taking num and sids); one whose
    sourcedId differs only in case from a stored record's is that record typed anew, a row problem as on a
    whole row (stored_twins; lines: {sid: row})."""
    missing = dict.fromkeys(missing)
    for model in models:
        stored_twins(file, missing, model, lines, report)
    if missing:
        sids = list(missing)
        report.note(plural_message(*said, len(sids), num=len(sids),
                                   sids=", ".join(sids[:10]) + (" …" if len(sids) > 10 else "")))


def known_schools(plan):
    """Schools stored or created by this import."""
    return _stored(School) | \
        {sid for sid, (_, _, active) in plan.schools.items() if active}


def school_codes(plan):
    """{code: (sourcedId, name)} of the schools stored or created by this import that have a code (orgs.csv
    identifier, Ed-Fi's schoolId): a roster row naming a school by its code is told which sourcedId to give."""
    codes = {code: (sid, name) for sid, code, name in School.select(
        School.sourced_id, School.identifier, School.name).where(School.identifier != "").tuples()}
    for sid, code in plan.school_codes.items():
        if code and plan.schools.get(sid, (None, None, False))[2]:
            codes[code] = (sid, plan.schools[sid][0])
    return codes


def named_by_code(keys, codes):
    """Why keys (a row's school keys) name no school when one of them is a school's code, or None."""
    key = next((key for key in keys if key in codes), None) if codes else None
    if key is None:
        return None
    sid, name = codes[key]
    return Message("'%(key)s' is the code (orgs.csv identifier) of %(school)s; OneRoster names a school by its "
                   "sourcedId, '%(sid)s'", key=key, school=name, sid=sid)


class Known:
    """Sourced ids named in the file (a dict of the plan) or stored: `in`
    tries one then the other, with no merged copy of a district's ids."""

    def __init__(self, named, model):
        self.named, self.stored = named, _stored(model)

    def __contains__(self, sid):
        return sid in self.named or sid in self.stored
