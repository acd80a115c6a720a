"""The case report for an attendance review board, a court or a petition.

Everything printed comes from case_facts(), which reads the record only; the
report adds nothing that is not in the file.
"""
import contextvars
import datetime
from collections import OrderedDict

from fieldapp import codes
from fieldapp.cases.contact_notes import notes_text
from fieldapp.cases.history_text import event_text, note_text
from fieldapp.cases.legal_stage import WITHOUT_RECORD
from fieldapp.cases.lifecycle import history
from fieldapp.cases.text import clean_text, pick_one
from fieldapp.db import database
from fieldapp.documents import issue, readiness
from fieldapp.documents.letter_templates import KINDS, STAGE_LETTERS, source_of
from fieldapp.documents.letters import SENT_METHODS, letters_of
from fieldapp.documents.plans import plans_facts, plans_of
from fieldapp.messages import N_
from fieldapp.models import Contact, User, utcnow
from fieldapp.rules.counting import EXCUSED_PART_DAY
from fieldapp.rules.standing import student_events
from fieldapp.students import attendance
from fieldapp.students.records import guardians_of
from fieldapp.timefmt import school_year_start, school_zone, to_local

WHEN = "%b %-d, %Y %-I:%M %p"
DAY = "%b %-d, %Y"
LONG_TARDY_MINUTES = 30
CONFERENCE_METHODS = ("conference", "school_meeting")
RECIPIENTS = {
    "sarb": "School attendance review board",
    "court": "Court",
    "petition": "Petition",
    "prosecutor": "District attorney or prosecutor",
    "file": "The district's own file",
    "other": "Other",
}


# The zone of the report's student's school, for every time the report prints.
_ZONE = contextvars.ContextVar("case_report_zone", default=None)


def _when(value):
    return to_local(value, _ZONE.get()).strftime(WHEN) if value else ""


def _labels(kind, values):
    return [codes.label(kind, v) for v in values]


def _student_facts(student, guardians):
    return {
        "name": student.full_name, "local_id": student.local_id, "sourced_id": student.sourced_id,
        "birth_date": student.birth_date.strftime(DAY) if student.birth_date else "",
        "grade": student.grade, "school": student.school.name,
        "home_language": codes.label("language", student.home_language),
        "address": student.address,
        "guardians": [{"name": g.full_name, "relationship": codes.label("relationship", rel),
                       "phone": g.phone, "email": g.email,
                       "language": codes.label("language", g.preferred_language),
                       "address": g.address or student.address} for g, rel in guardians],
    }


def _case_facts(case):
    officer = case.officer
    return {
        "number": f"{case.school_year}-{case.id:05d}", "school_year": case.school_year,
        "status": "Open" if case.is_open else "Closed",
        "stage": codes.label("stage", case.stage) + (
            f" ({WITHOUT_RECORD})" if case.stage_without_record else ""),
        "officer": officer.name if officer else "Unassigned",
        "opened": _when(case.opened_at), "closed": _when(case.closed_at),
        "closure": codes.label("closure", case.closure_reason) if case.closure_reason else "",
        "flags": _labels("flag", case.flag_list),
    }


def _attendance_facts(student, on_day):
    """Totals by category and counts by month from the school year's start."""
    start = school_year_start(on_day)
    marks = sorted(student_events(student, start, on_day))  # of the schools enrolled at (rules.counting)
    months = OrderedDict()
    for day, category, _ in marks:
        month = months.setdefault(day.strftime("%Y-%m"), {"label": day.strftime("%b %Y"),
                                                          **{c: 0 for c in codes.ATTENDANCE}, "excused_parts": 0})
        month[category] = month.get(category, 0) + 1
        if category in EXCUSED_PART_DAY:
            month["excused_parts"] += 1
    summary = attendance.summary(student, on_day)
    return {
        "from": start.strftime(DAY), "to": on_day.strftime(DAY),
        "days_enrolled": summary.days_enrolled, "percent_missed": summary.percent_missed,
        "band": codes.label("band", summary.band),
        "by_category": [{"label": label, "count": sum(m.get(code, 0) for m in months.values())}
                        for code, label in codes.ATTENDANCE.items() if code != "present"],
        "by_month": list(months.values()), "days_in_parts": _days_in_parts(marks),
        "missed_in_parts": summary.missed_in_parts,
    }, marks


def _days_in_parts(marks):
    """Each day holding more than one mark (an Ed-Fi split day: an unexcused and an excused
    share), with every part and its minutes: the counts by category and by month put its parts
    in different columns, and the reader needs to see they are one day."""
    by_day = OrderedDict()
    for day, category, minutes in marks:
        if category == "present":
            continue
        part = codes.ATTENDANCE[category]
        if minutes and category not in attendance.ABSENCE_CATEGORIES:
            part += f", {minutes} minute{'' if minutes == 1 else 's'}"
        by_day.setdefault(day, []).append(part)
    return [{"day": day.strftime(DAY), "parts": parts} for day, parts in by_day.items() if len(parts) > 1]


def _steps(case, letters):
    """Each escalation step with when it was reached and when its letter went out."""
    sent = {}
    for letter in letters:
        sent.setdefault(letter.kind, letter)
    rows = []
    for event in history(case):
        what = {"opened": f"Case opened at {codes.label('stage', event.to_value)}",
                "stage": f"{codes.label('stage', event.from_value)} → {codes.label('stage', event.to_value)}",
                "closed": f"Case closed: {codes.label('closure', event.to_value)}"}.get(event.kind)
        if what is None:  # an officer assigned, circumstances, a transfer: said as the student's page says it
            text = str(event_text(event))
            what = text[:1].upper() + text[1:]
        rows.append({"reached": _when(event.at), "what": what, "by": event.by.name, "note": note_text(event),
                     "done": _step_done(event, sent)})
    return rows


def _step_done(event, sent):
    """When the step of a row of the case's history was done: a stage whose law asks a
    letter is done when the letter went out; any other change is done as it is recorded."""
    kind = STAGE_LETTERS.get(event.to_value) if event.kind in ("opened", "stage") else None
    letter = sent.get(kind) if kind else None
    if kind and letter is None:
        return f"Not yet: no “{KINDS[kind]}” on record"
    if letter is None:
        return _when(event.at)
    if letter.is_sent:
        return f"{KINDS[kind]} sent {_when(letter.sent_at)} ({SENT_METHODS.get(letter.sent_how, letter.sent_how)})"
    return f"{KINDS[kind]} generated {_when(letter.generated_at)}, not yet recorded as sent"


def ordered_contacts(case):
    """Contacts in the order they happened, each followed by its corrections."""
    contacts = list(Contact.select(Contact, User).join(User, on=(Contact.author == User.id))
                    .where(Contact.case == case).order_by(Contact.occurred_at, Contact.id))
    corrections = {}
    for c in contacts:
        if c.amends_id:
            corrections.setdefault(c.amends_id, []).append(c)
    ordered = []

    def place(contact):
        ordered.append(contact)
        for correction in corrections.get(contact.id, []):
            place(correction)
    for contact in contacts:
        if not contact.amends_id:
            place(contact)
    return ordered


def _contact_facts(contacts):
    numbers = {c.id: index for index, c in enumerate(contacts, 1)}
    corrected_by = {c.amends_id: numbers[c.id] for c in contacts if c.amends_id}
    return [{
        "number": numbers[c.id], "method": codes.label("method", c.method),
        "outcome": codes.label("outcome", c.outcome), "reasons": _labels("reason", c.reason_list),
        "people": _labels("people", c.people_list), "notes": notes_text(c), "author": c.author.name,
        "occurred": _when(c.occurred_at), "received": _when(c.received_at),
        "interpreter": codes.label("language", c.language) if c.interpreter_used else "",
        "follow_up": c.follow_up_on.strftime(DAY) if c.follow_up_on else "",
        "amends": numbers.get(c.amends_id), "amendment_reason": c.amendment_reason,
        "corrected_by": corrected_by.get(c.id),
        "household_visit": bool(c.household_visit),
        "location": (f"{c.latitude:.5f}, {c.longitude:.5f}"
                     if c.latitude is not None and c.longitude is not None else ""),
    } for c in contacts]


def _letter_facts(letters):
    return [{"kind": KINDS.get(x.kind, x.kind), "template": f"{x.template_id} v{x.template_version}",
             "source": source_of(x.template_id, x.template_version),
             "language": codes.label("language", x.language),
             "to": x.guardian.full_name if x.guardian_id else "Parent or guardian",
             "dated": x.letter_date.strftime(DAY), "generated": _when(x.generated_at),
             "sent": _when(x.sent_at), "sent_how": SENT_METHODS.get(x.sent_how, x.sent_how)}
            for x in letters]


def _evidence(case, contacts, letters, plans, marks, on_day):
    current = [c for c in contacts if c.id not in {x.amends_id for x in contacts if x.amends_id}]
    methods = {}
    for c in current:
        methods[c.method] = methods.get(c.method, 0) + 1
    unexcused_days = [d for d, cat, _ in marks if cat == "unexcused"]
    long_tardies = [d for d, cat, minutes in marks
                    if cat in ("tardy", "partial", "early_departure") and minutes > LONG_TARDY_MINUTES]
    six_months_ago = on_day - datetime.timedelta(days=183)
    by_month = {}
    for day in unexcused_days:
        by_month[(day.year, day.month)] = by_month.get((day.year, day.month), 0) + 1
    return readiness.Evidence(
        unexcused_days=len(unexcused_days), long_tardies=len(long_tardies),
        absences_6_months=len([d for d in unexcused_days + long_tardies if d >= six_months_ago]),
        most_in_a_month=max(by_month.values(), default=0),
        letters=[{"kind": x.kind, "generated": _when(x.generated_at), "sent": _when(x.sent_at)}
                 for x in letters],
        methods=methods, outcomes={c.outcome for c in current},
        reasons_recorded=any(c.reason_list for c in current),
        plans=len(plans), signed_plans=sum(1 for p in plans if p["guardian_signed"]),
        flags=case.flag_list)


def case_facts(case, state, on_day):
    """Every fact the case report prints, as plain data."""
    student = case.student
    letters = letters_of(case)
    contacts = ordered_contacts(case)
    plans = plans_facts(plans_of(case))
    attendance_facts, marks = _attendance_facts(student, on_day)
    evidence = _evidence(case, contacts, letters, plans, marks, on_day)
    return {
        "student": _student_facts(student, guardians_of(student)),
        "case": _case_facts(case),
        "attendance": attendance_facts,
        "steps": _steps(case, letters),
        "contacts": _contact_facts(contacts),
        "conferences": [n for n, c in enumerate(contacts, 1) if c.method in CONFERENCE_METHODS],
        "letters": _letter_facts(letters),
        "plans": plans,
        "checklist": readiness.checklist(state, evidence),
    }


class ReportError(ValueError):
    """The report cannot be made as asked; errors maps field -> message."""

    def __init__(self, errors):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def parse_recipient(form):
    """Who the report is for, as printed and logged (34 CFR 99.32 asks for the
    party that receives a disclosure)."""
    errors = {}
    code = pick_one(form.get("recipient"), RECIPIENTS, errors, "recipient", "Who it is for")
    other = clean_text(form.get("recipient_other"), 120, errors, "recipient_other", "Who it is for",
                       required=code == "other")
    if errors:
        raise ReportError(errors)
    return other if code == "other" else RECIPIENTS[code]


def produce_case_report(user, case, state, recipient="", now=None, origin=("", ""), progress=None, on_kept=None):
    """Render, keep and log the case report; returns its DocumentRecord.
    progress(done, total, step), when given, hears of each of its three steps
    as it starts and of the last as it ends (3 of 3);
    on_kept(record), when given, is called in the transaction that keeps it
    (a job keeps its result with it: fieldapp.jobs.runner.keep)."""
    now, progress = now or utcnow(), progress or (lambda *said: None)
    zone_name = school_zone(case.student.school_id)
    title = issue.TITLES["case_report"] % {"student": case.student.full_name,
                                            "case": f"{case.school_year}-{case.id:05d}"}
    progress(0, 3, N_("Gathering the record"))
    token = _ZONE.set(zone_name)
    try:
        facts = {"document": {**issue.stamp("case_report", title, user, now, state, zone_name),
                              "recipient": recipient},
                 **case_facts(case, state, to_local(now, zone_name).date())}
    finally:
        _ZONE.reset(token)
    progress(1, 3, N_("Laying out the pages"))
    prepared = issue.prepare("documents/case_report.html", facts)
    progress(2, 3, N_("Keeping the document"))
    with database.atomic():
        record = issue.keep(prepared, user, case.student.school, [case.student], now, case=case, origin=origin,
                            recipient=recipient)
        if on_kept is not None:
            on_kept(record)
    progress(3, 3, N_("Keeping the document"))  # the third step done: the count ends full
    return record
