"""Is a case ready for the board or the court? A checklist per state.

Each state's list names its source. The items read plain evidence gathered
from the case (see Evidence), so they are tested without a database. This is
deliberately separate from the rule sets that drive escalation: it only says
what a board or court will look for in the file.
"""
from dataclasses import dataclass, field

from fieldapp import codes

# Ed Code 25.0915(a-3); severe illness from HB 699 (2021).
EXEMPTING_FLAGS = ("pregnant_parenting", "foster_care", "homeless", "primary_earner", "severe_illness")
CONFERENCE_METHODS = ("conference", "school_meeting")


@dataclass
class Evidence:
    """What the file shows, in counts and lists."""
    unexcused_days: int = 0
    long_tardies: int = 0  # unexcused tardies or part-day absences over 30 minutes
    absences_6_months: int = 0  # unexcused days or parts of days in the last six months
    most_in_a_month: int = 0  # unexcused absences in the worst calendar month
    letters: list = field(default_factory=list)  # dicts: kind, generated, sent ("" if not)
    methods: dict = field(default_factory=dict)  # method -> count of current contacts
    outcomes: set = field(default_factory=set)
    reasons_recorded: bool = False
    plans: int = 0
    signed_plans: int = 0  # plans whose current version the guardian signed
    flags: list = field(default_factory=list)


@dataclass
class Item:
    label: str
    citation: str
    check: object  # Evidence -> (met, detail)


def _count(n, one, many):
    """ "1 unexcused day", "3 unexcused days": n with the English word for it
    (the checklist is read by boards and courts in English)."""
    return f"{n} {one if n == 1 else many}"


def _letter(kind, label):
    def check(ev):
        letters = [x for x in ev.letters if x["kind"] == kind]
        sent = [x for x in letters if x["sent"]]
        if sent:
            return True, f"Sent {sent[0]['sent']}"
        if letters:
            return False, f"Generated {letters[0]['generated']} but not recorded as sent"
        return False, f"No {label} on file"
    return check


def _all_letters_sent(ev):
    unsent = [x for x in ev.letters if not x["sent"]]
    if not ev.letters:
        return False, "No letters on file"
    if unsent:
        return False, f"{len(unsent)} of {_count(len(ev.letters), 'letter', 'letters')} not recorded as sent"
    if len(ev.letters) == 1:
        return True, "The one letter is recorded as sent"
    return True, f"All {len(ev.letters)} letters recorded as sent"


def _method(methods, label):
    def check(ev):
        count = sum(ev.methods.get(m, 0) for m in methods)
        return (True, f"{count} on file") if count else (False, f"No {label} on file")
    return check


def _home_visit(ev):
    count = ev.methods.get("home_visit", 0)
    if count:
        return True, f"{count} home visit{'s' if count > 1 else ''} on file"
    return False, "No home visit on file: make one, or state in the file why not"


def _plan(ev):
    if not ev.plans:
        return False, "No attendance plan on file"
    if ev.signed_plans:
        return True, f"{ev.plans} on file, signed by the guardian"
    return True, f"{ev.plans} on file, not signed by the guardian"


def _reasons(ev):
    return (True, "Recorded on contacts") if ev.reasons_recorded else (
        False, "No reason for the absences recorded on any contact")


def _threshold(count_of, limit, one, many):
    """A check that count_of(evidence) reaches limit, said with the unit's
    singular `one` or plural `many`: "1 unexcused day (threshold 3)"."""
    def check(ev):
        count = count_of(ev)
        return count >= limit, f"{_count(count, one, many)} (threshold {limit})"
    return check


def _no_exemption(ev):
    found = [codes.label("flag", f) for f in ev.flags if f in EXEMPTING_FLAGS]
    if found:
        return False, "Exemption may apply: " + ", ".join(found) + "; a court referral is not allowed on these grounds"
    return True, "None of pregnancy, foster care, homelessness, severe illness or main earner is flagged"


def _prevention(ev):
    tried = []
    if sum(ev.methods.get(m, 0) for m in CONFERENCE_METHODS):
        tried.append("conference")
    if ev.plans:
        tried.append("attendance plan")
    if "referral_made" in ev.outcomes:
        tried.append("referral to services")
    return (True, "Tried: " + ", ".join(tried)) if tried else (
        False, "No conference, plan or referral to services on file")


STATES = {
    "CA": ("California: School Attendance Review Board (SARB) referral",
           "Education Code 48260-48263, 48262", [
               Item("Truant: 3 unexcused days or tardies over 30 minutes this year", "EC 48260(a)",
                    _threshold(lambda ev: ev.unexcused_days + ev.long_tardies, 3,
                               "unexcused day or long tardy", "unexcused days and long tardies")),
               Item("First truancy notification sent to the parent", "EC 48260.5",
                    _letter("first_notice", "first truancy notification")),
               Item("Conscientious effort: a conference with parent and student attempted", "EC 48262",
                    _method(CONFERENCE_METHODS, "conference")),
               Item("Home visit made, or the reason why not", "district practice", _home_visit),
               Item("Attendance improvement plan offered", "district practice", _plan),
               Item("Causes of the absences recorded", "district practice", _reasons),
               Item("Written notice of the SARB referral to the parent", "EC 48263",
                    _letter("referral_notice", "referral notice")),
               Item("Every letter generated is recorded as sent", "EC 48260.5, 48263", _all_letters_sent),
           ]),
    "TX": ("Texas: truancy court referral", "Education Code 25.095, 25.0915, 25.0951; Family Code 65.003", [
        Item("Warning notice to the parent sent", "Ed Code 25.095(b)",
             _letter("first_notice", "warning notice")),
        Item("10 or more days or parts of days absent within six months", "Ed Code 25.0951(a)",
             _threshold(lambda ev: ev.absences_6_months, 10, "day or part of a day in the last six months",
                        "days or parts of days in the last six months")),
        Item("Truancy prevention measures tried", "Ed Code 25.0915(a-1), (c)", _prevention),
        Item("No exemption applies", "Ed Code 25.0915(a-3)", _no_exemption),
        Item("Home visit made, or the reason why not", "district practice", _home_visit),
        Item("Every letter generated is recorded as sent", "Ed Code 25.095(b)", _all_letters_sent),
    ]),
    "WA": ("Washington: truancy petition", "RCW 28A.225.020, 28A.225.030", [
        Item("Parent notified in a language they are fluent in", "RCW 28A.225.020(1)(a)",
             _letter("first_notice", "notice")),
        Item("Conference with parent and student after 3 unexcused absences in a month",
             "RCW 28A.225.020(1)(b)", _method(CONFERENCE_METHODS, "conference")),
        Item("Attendance agreement (plan) tried", "RCW 28A.225.030(2)(a)", _plan),
        Item("7 unexcused absences in a month (agreement, board or petition due)", "RCW 28A.225.030(1), (2)",
             _threshold(lambda ev: ev.most_in_a_month, 7, "unexcused absence in the worst month",
                        "unexcused absences in the worst month")),
        Item("Causes of the absences recorded", "RCW 28A.225.020", _reasons),
    ]),
    "PA": ("Pennsylvania: habitual truancy referral", "24 P.S. 13-1326, 13-1333, 13-1333.1 (Act 138)", [
        Item("Truant: 3 unexcused days", "24 P.S. 13-1326",
             _threshold(lambda ev: ev.unexcused_days, 3, "unexcused day", "unexcused days")),
        Item("Written notice to the parent after the 3rd unexcused day", "24 P.S. 13-1333(a)",
             _letter("first_notice", "notice")),
        Item("School Attendance Improvement Conference offered", "24 P.S. 13-1333(b), 13-1333.1(d)",
             _method(CONFERENCE_METHODS, "conference")),
        Item("School Attendance Improvement Plan written", "24 P.S. 13-1333(b)", _plan),
        Item("Habitually truant: 6 unexcused days", "24 P.S. 13-1326, 13-1333.1",
             _threshold(lambda ev: ev.unexcused_days, 6, "unexcused day", "unexcused days")),
    ]),
}

DEFAULT = ("Attendance review: general readiness", "district practice", [
    Item("Notice sent to the parent", "district practice", _letter("first_notice", "notice")),
    Item("Conference with parent and student attempted", "district practice",
         _method(CONFERENCE_METHODS, "conference")),
    Item("Home visit made, or the reason why not", "district practice", _home_visit),
    Item("Attendance improvement plan offered", "district practice", _plan),
    Item("Causes of the absences recorded", "district practice", _reasons),
])


def checklist(state, evidence):
    """The state's checklist evaluated on evidence, as plain facts."""
    name, source, items = STATES.get((state or "").upper(), DEFAULT)
    rows = []
    for item in items:
        met, detail = item.check(evidence)
        rows.append({"label": item.label, "citation": item.citation, "met": bool(met), "detail": detail})
    return {"state": (state or "").upper(), "name": name, "source": source, "items": rows,
            "met": sum(r["met"] for r in rows), "total": len(rows)}
