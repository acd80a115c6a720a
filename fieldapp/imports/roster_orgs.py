"""Schools from orgs.csv: each with its district's name and its code."""
from fieldapp.imports.repeats import case_twins, differs_in_case
from fieldapp.imports.roster_left_out import LeftOut
from fieldapp.imports.roster_plan import deleted_not_on_file, first_pass, stored_twins
from fieldapp.imports.school_details import details_of
from fieldapp.messages import Message, N_, NP_, plural_message
from fieldapp.models import School

ORG_TYPES = (N_("department"), N_("school"), N_("district"), N_("local"), N_("state"), N_("national"))


def check_orgs(rows, plan, report):
    """Schools (with their district's name and their code) from orgs.csv; other
    orgs are counted: districts name schools' districts, the rest (departments,
    local, state, national) are not kept."""
    districts = {row["sourcedId"]: row["name"] for _, row in rows
                 if row["type"].lower() == "district"}
    skipped = {}  # org type -> names of the orgs of that type left aside
    codes = _SchoolCodes(rows)
    left_out, lines = LeftOut(report, "orgs.csv"), {}
    missing = []  # tobedeleted rows giving only a sourcedId that no stored school has
    for line, row, status in first_pass(rows, report, "orgs.csv", lines):
        kind = row["type"].lower()
        if status == "tobedeleted" and not kind and not row["name"]:  # deleted by its sourcedId alone
            _deleted_by_sourced_id(row["sourcedId"], plan, missing)
        elif kind not in ORG_TYPES:
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
    deleted_not_on_file("orgs.csv", missing, (School,), lines, report, NP_(
        "orgs.csv: %(num)d tobedeleted row gives only its sourcedId, and no school of that sourcedId is on "
        "file: nothing to delete: %(sids)s",
        "orgs.csv: %(num)d tobedeleted rows give only their sourcedId, and no school of those sourcedIds is on "
        "file: nothing to delete: %(sids)s"))
    for sid, line, other, other_line in case_twins(lines):
        if sid in plan.schools:
            report.problem("orgs.csv", line, differs_in_case(sid, other, other_line))
            for kept in (plan.schools, plan.school_details, plan.school_codes):
                kept.pop(sid, None)
    stored_twins("orgs.csv", plan.schools, School, lines, report, (plan.school_details, plan.school_codes))
    _say_keys_naming_two(plan, report)
    for kind, names in sorted(skipped.items()):
        report.note(plural_message("orgs.csv: %(num)d %(kind)s org not kept (not a school): %(names)s",
                                   "orgs.csv: %(num)d %(kind)s orgs not kept (not schools): %(names)s",
                                   len(names), num=len(names), kind=Message(kind),
                                   names=", ".join(names[:10]) + (" …" if len(names) > 10 else "")))


def _deleted_by_sourced_id(sid, plan, missing):
    """A stored school deleted by a tobedeleted row giving only its sourcedId is deactivated, its name,
    district and code kept as stored, as a row giving them would; a sourcedId no school has goes in missing."""
    stored = School.get_or_none(School.sourced_id == sid)
    if stored is None:
        missing.append(sid)
        return
    plan.schools[sid] = (stored.name, stored.district or None, False)
    if stored.identifier:
        plan.school_codes[sid] = stored.identifier


def _say_keys_naming_two(plan, report):
    """Say which schools of this file have a sourcedId that is another school's code, or a code that is
    another school's sourcedId, once the file is applied: an attendance or calendar row naming that key
    could mean either, and is refused (fieldapp.imports.schools), so the district hears it here first."""
    names = {sid: (name, code) for sid, name, code in School.select(
        School.sourced_id, School.name, School.identifier).tuples()}
    for sid, (name, _, _) in plan.schools.items():
        names[sid] = (name, plan.school_codes.get(sid, names.get(sid, ("", ""))[1]))
    by_code = {code: sid for sid, (_, code) in names.items() if code}
    clashes = sorted(Message("'%(key)s' is the sourcedId of %(school)s and the code of %(other)s", key=key,
                             school=names[key][0], other=names[by_code[key]][0])
                     for key in names if key in by_code and by_code[key] != key
                     and (key in plan.schools or by_code[key] in plan.schools))
    if clashes:
        report.note(plural_message(
            "orgs.csv: %(num)d key names two schools, one by its sourcedId and one by its code: attendance and "
            "calendar rows naming it will be refused until one of the two changes (a sourcedId, or an "
            "identifier): %(keys)s",
            "orgs.csv: %(num)d keys name two schools, one by its sourcedId and one by its code: attendance and "
            "calendar rows naming them will be refused until one of the two changes (a sourcedId, or an "
            "identifier): %(keys)s", len(clashes), num=len(clashes), keys=tuple(clashes)))


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
