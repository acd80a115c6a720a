"""Letters to families: choosing the template, generating, recording the
sending (the letters due at a school are in letters_due).

A generated letter is logged on the case as a contact with method "letter"
(through the same validation and log as any contact), and kept as a Letter
naming the template id and version it was made from.
"""
import datetime
import uuid
from dataclasses import dataclass

from peewee import IntegrityError

from fieldapp import policy
from fieldapp.accounts import audit
from fieldapp.cases import contact_notes
from fieldapp.cases.contacts import validate_contact, log_contact
from fieldapp.cases.text import pick_one
from fieldapp.db import database
from fieldapp.documents import issue, owed
from fieldapp.documents.letter_grounds import grounds_for
from fieldapp.documents.letter_templates import (
    KINDS, LANGUAGES, STAGE_LETTERS, NoTemplate, language_for, template_for,
)
from fieldapp.messages import Message, N_
from fieldapp.cases.legal_stage import STAGE_LETTERS_REQUIRED
from fieldapp.models import AuditEvent, Case, Contact, Letter, utcnow
from fieldapp.rules import stored
from fieldapp.students import attendance
from fieldapp.students.records import guardians_of
from fieldapp.timefmt import school_zone, student_id_zone, to_local, to_utc, today_for_school

SENT_METHODS = {
    "mail": "First-class mail",
    "certified_mail": "Certified mail",
    "hand_delivered": "Delivered by hand",
    "email": "Email",
    "with_student": "Sent home with the student",
}
LETTER_DATE_RANGE = datetime.timedelta(days=30)
CLOCK_SKEW = datetime.timedelta(minutes=10)
MONTHS_ES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
             "septiembre", "octubre", "noviembre", "diciembre")


def sent_detail(how, when, batch=False):
    """The audit line's detail of a letter sent: how (a SENT_METHODS code), when (UTC)."""
    return audit.detail("letter_sent_batch" if batch else "letter_sent", how=[SENT_METHODS.get(how, how)],
                        when=when.isoformat())


class LetterError(ValueError):
    """The letter cannot be made or recorded as asked; errors maps field -> message."""

    def __init__(self, errors):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass
class LetterChoice:
    """What the officer chose for one letter."""
    kind: str
    language: str
    guardian: object  # Guardian or None: "to the parent or guardian of"
    letter_date: datetime.date
    # The cycle of the letter the case owes that this one answers (owed.cycle_of),
    # "" for a letter the case does not owe; with the evidence of its step.
    owed: str = ""
    evidence: object = None


class AlreadyMade(LetterError):
    """The owed letter asked for is on file already; `left` is the owed.LeftOut saying by whom and where."""

    def __init__(self, left):
        super().__init__({"kind": owed.reason(left)})
        self.left = left


def long_date(day, language):
    if language == "es":
        return f"{day.day} de {MONTHS_ES[day.month - 1]} de {day.year}"
    return day.strftime("%B %-d, %Y")


def addressee(guardian, student):
    """Whom a letter goes to, as the access log names the recipient."""
    return guardian.full_name if guardian else f"Parent or guardian of {student.full_name}"


def recipient_of(letter):
    """The recipient of a stored Letter (its guardian, or the parent or guardian)."""
    return addressee(letter.guardian if letter.guardian_id else None, letter.student)


def default_choice(case, kind=None, today=None):
    """The primary guardian, in their language, dated today."""
    guardians = [g for g, _ in guardians_of(case.student)]
    guardian = guardians[0] if guardians else None
    kind = kind or STAGE_LETTERS.get(case.stage, "first_notice")
    return LetterChoice(kind, language_for(guardian), guardian, today or today_for_school(case.student.school_id))


def parse_choice(form, case, today=None):
    """A LetterChoice from a form, or LetterError saying what to fix."""
    today = today or today_for_school(case.student.school_id)
    errors = {}
    kind = pick_one(form.get("kind"), KINDS, errors, "kind", "Letter")
    language = pick_one(form.get("language"), LANGUAGES, errors, "language", "Language")
    guardians = {str(g.id): g for g, _ in guardians_of(case.student)}
    chosen = (form.get("guardian") or "").strip()
    if chosen and chosen not in guardians:
        errors["guardian"] = Message("Choose a guardian of this student from the list.")
    letter_date = today
    shown_kind, _, shown_cycle = (form.get("owed") or "").partition(":")
    if (form.get("letter_date") or "").strip():
        try:
            letter_date = datetime.date.fromisoformat(form["letter_date"].strip())
        except ValueError:
            errors["letter_date"] = Message("Give the date as YYYY-MM-DD.")
        else:
            if abs(letter_date - today) > LETTER_DATE_RANGE:
                errors["letter_date"] = Message("Date the letter within 30 days of today.")
    if errors:
        raise LetterError(errors)
    # The letter the page showed owed, when this is it: made once (fieldapp.documents.owed).
    cycle = owed.parse_cycle(shown_cycle) if shown_kind == kind else ""
    return LetterChoice(kind, language, guardians.get(chosen), letter_date, cycle)


# Contacts that are a meeting held with the family (a conference offered is its invitation letter).
MEETING_METHODS = ("conference", "school_meeting")


def case_history(case):
    """What the file shows a letter may say was done before it: {"notices":
    truancy notifications made on the case, "meetings": conferences or school
    meetings recorded (not since corrected) plus conference invitations made}.
    A referral says "despite the notices sent" only when notices are on file."""
    made = {kind: Letter.select().where((Letter.case == case) & (Letter.kind == kind)).count()
            for kind in ("first_notice", "conference_invitation")}
    corrected = Contact.select(Contact.amends).where((Contact.case == case) & Contact.amends.is_null(False))
    meetings = (Contact.select().where((Contact.case == case) & Contact.method.in_(MEETING_METHODS)
                                       & Contact.id.not_in(corrected)).count())
    return {"notices": made["first_notice"], "meetings": meetings + made["conference_invitation"]}


def _letter_facts(case, choice, template, now):
    student, school = case.student, case.student.school
    guardian = choice.guardian
    summary = attendance.summary(student, to_local(now, school_zone(school.id)).date())
    officer = case.officer
    return {
        "reference": str(uuid.uuid4()), "kind": choice.kind, "language": choice.language,
        "title": template.titles[choice.language], "body": template.body(choice.language),
        "template": {"id": template.id, "version": template.version,
                     "effective": template.effective_from.isoformat(), "source": template.source},
        "date": long_date(choice.letter_date, choice.language),
        "school": {"name": school.name, "district": school.district, "address": school.address,
                   "phone": school.phone},
        "student": {"name": student.full_name, "first_name": student.first_name,
                    "grade": student.grade, "local_id": student.local_id},
        "to": {"name": guardian.full_name if guardian else "",
               "address": (guardian.address if guardian and guardian.address else student.address)},
        "counts": {"unexcused": summary.unexcused, "excused": summary.excused,
                   "tardy": summary.tardy, "percent_missed": summary.percent_missed},
        "history": case_history(case),
        "officer": {"name": officer.name if officer else "", "email": officer.email if officer else "",
                    "phone": officer.phone if officer else ""},
    }


def _record_on_case(user, case, facts, choice, template, record, now):
    """Log the letter as a contact and keep the Letter; inside the caller's transaction."""
    form = {"method": "letter", "outcome": "letter_issued", "reasons": [], "people_present": [],
            "language": choice.language, "occurred_at": "", "notes": ""}
    clean, errors = validate_contact(form, user, now=now)
    # Which letter, said in each reader's language where the contact is shown.
    clean.update(contact_notes.letter_notes(choice.kind, template.id, template.version, choice.language,
                                            choice.guardian.full_name if choice.guardian else ""))
    # The contact form limits the methods each role may type; a generated
    # letter is authorised by "letter.generate" instead (the front office
    # prints the day's letters).
    if "method" in errors and policy.allowed(user, "letter.generate"):
        del errors["method"]
        clean["method"] = "letter"
    if errors:
        raise LetterError(errors)
    contact, _ = log_contact(user, case, clean, uuid.uuid4(), typed=False)
    if case.stage_without_record and STAGE_LETTERS_REQUIRED.get(case.stage) == choice.kind:
        # The letter the stage stands for is on file now.
        Case.update(stage_without_record=False).where(Case.id == case.id).execute()
        case.stage_without_record = False
    return Letter.create(
        case=case, student=case.student_id, guardian=choice.guardian, kind=choice.kind,
        template_id=template.id, template_version=template.version,
        template_effective=template.effective_from, language=choice.language,
        letter_date=choice.letter_date, generated_by=user, generated_at=now, contact=contact,
        document=record)


def check_grounds(settings, items, now):
    """Refuse letters whose statements the record does not show (letter_grounds):
    items is a list of (Case, LetterChoice); each is judged on the standing of
    its student under `settings` (RuleSettings) on the day `now` (UTC) is at
    the student's school. Raises LetterError {"kind": what the record shows}
    for the first letter refused (naming the student in a batch)."""
    by_day = {}
    for case, _ in items:
        day = to_local(now, school_zone(case.student.school_id)).date()
        by_day.setdefault(day, []).append(case.student_id)
    results = {}
    for day, student_ids in by_day.items():
        results.update(stored.standings_of(settings, day, student_ids))
    for case, choice in items:
        grounds = grounds_for(choice.kind, results.get(case.student_id))
        if not grounds.allowed:
            refused = grounds.refused if len(items) == 1 else Message(
                "%(student)s: %(refused)s", student=case.student.full_name, refused=grounds.refused)
            raise LetterError({"kind": refused})


def issue_letters(user, school, items, settings, now, origin, title, progress=None, render=True, left_out=None,
                  on_kept=None):
    """Render letters, a list of (Case, LetterChoice), into one PDF, keep it,
    and log each on its case; returns (DocumentRecord, [Letter]), or (None,
    []) when every letter was left out. `settings` is the RuleSettings in
    force (its state picks the templates). Raises LetterError when the
    record does not show what a letter states (check_grounds) or no template
    of a kind is in force on its date.

    A letter the case owes (choice.owed) is made once (fieldapp.documents.owed):
    one found on file already when the cases' rows are held is left out and
    said in `left_out` (a list the caller gives, given owed.LeftOut), and the
    rest are laid out again without it.
    progress(done, total, step), when given, hears of each letter and the PDF.
    render False keeps the document to be laid out when first opened
    (issue.pdf_of): everything else is made and logged as when printed.
    on_kept(record, letters), when given, is called in the transaction that
    keeps them, `left_out` complete (a job keeps its result with them:
    fieldapp.jobs.runner.keep)."""
    check_grounds(settings, items, now)
    left_out = [] if left_out is None else left_out
    for _attempt in range(3):  # a letter made meanwhile by another: the rest, laid out again
        if not items:
            return None, []
        prepared = _prepare_letters(user, school, items, settings, now, title, progress, render)
        try:
            with database.atomic():
                owed.lock_cases([case.id for case, choice in items if choice.owed])
                taken = owed.answered([(case, choice.kind, choice.owed, choice.evidence)
                                       for case, choice in items if choice.owed])
                if not taken:
                    record, letters = _keep_letters(user, school, items, prepared, now, origin)
                    if on_kept is not None:
                        on_kept(record, letters)
                    return record, letters
        except IntegrityError:  # another server's letter, made without waiting on these rows
            taken = owed.answered([(case, choice.kind, choice.owed, choice.evidence)
                                   for case, choice in items if choice.owed])
            if not taken:
                raise
        left_out.extend(taken.values())
        items = [(case, choice) for case, choice in items if case.id not in taken]
    return None, []


def _prepare_letters(user, school, items, settings, now, title, progress, render):
    prepared_items, progress = [], progress or (lambda *said: None)
    progress(0, len(items), N_("Gathering each family's letter"))
    for case, choice in items:
        try:
            template = template_for(settings.state, choice.kind, choice.letter_date)
        except NoTemplate as missing:
            raise LetterError({"kind": Message("No template of “%(kind)s” is in force on %(day)s here.",
                                               kind=KINDS[choice.kind], day=choice.letter_date)})
        prepared_items.append((case, choice, template, _letter_facts(case, choice, template, now)))
        progress(len(prepared_items), len(items), N_("Gathering each family's letter"))
    kind = "letter" if len(items) == 1 else "letter_batch"
    facts = {"document": issue.stamp(kind, _counted(title, len(items)), user, now, settings.state,
                                     school_zone(school.id)),
             "letters": [f for _, _, _, f in prepared_items]}
    # Laying the letters out is most of a batch's time: a step of its own, counted letter by letter.
    progress(0, len(items), N_("Laying out the pages"))
    prepared = issue.prepare("letters/document.html", facts, each="letters", render=render,
                             laid_out=lambda done, total: progress(done, total, N_("Laying out the pages"))
                             if done is not None else progress(0, 0, N_("Writing the PDF")))
    progress(0, 0, N_("Keeping the document and logging each letter"))
    return prepared, prepared_items


def _counted(title, num):
    """A batch's title naming how many letters it holds, once some were left out."""
    return title(num) if callable(title) else title


def _keep_letters(user, school, items, prepared, now, origin):
    """Inside the transaction holding the cases' rows: keep the document, log
    each letter on its case and record the owed ones as made."""
    prepared, prepared_items = prepared
    recipients = {case.student_id: addressee(choice.guardian, case.student) for case, choice in items}
    recipient = (next(iter(recipients.values())) if len(items) == 1
                 else f"The families of {len(recipients)} students, one letter each")
    record = issue.keep(prepared, user, school, [c.student for c, _, _, _ in prepared_items],
                        now, case=items[0][0] if len(items) == 1 else None, origin=origin,
                        recipient=recipient, recipients=recipients,
                        language=items[0][1].language if len(items) == 1 else "")
    letters = [_record_on_case(user, case, f, choice, template, record, now)
               for case, choice, template, f in prepared_items]
    owed.claim(user, [(letter, choice.owed) for letter, (_, choice) in zip(letters, items)], now)
    return record, letters


def generate_letter(user, case, choice, settings, now=None, origin=("", "")):
    """Make one letter (a LetterChoice) for an open case under `settings`
    (RuleSettings); returns the Letter. Raises LetterError {"kind": ...} when
    the case is closed or the record does not show what the letter states
    (letter_grounds: EC 48260.5, 48263 and the other states' notices)."""
    if not case.is_open:
        raise LetterError({"kind": Message("This case is closed; letters go out on open cases only.")})
    now = now or utcnow()
    from fieldapp.documents.letters_due import owed_now
    cycle, evidence = owed_now(settings, case, choice.kind, now)
    if not choice.owed or choice.owed == cycle:  # the letter the case owes now, when this is it
        choice.owed, choice.evidence = cycle, evidence
    title = issue.TITLES["letter"] % {"kind": KINDS[choice.kind], "student": case.student.full_name}
    left = []
    _, letters = issue_letters(user, case.student.school, [(case, choice)], settings, now, origin, title,
                               left_out=left)
    if not letters:
        raise AlreadyMade(left[0])
    return letters[0]


def parse_sent(form, letter, now=None):
    """(how, when in UTC) from the "record sending" form, or LetterError.
    The time is typed in the zone of the student's school, as shown."""
    now = now or utcnow()
    errors = {}
    how = pick_one(form.get("sent_how"), SENT_METHODS, errors, "sent_how", "How it was sent")
    when = None
    try:
        when = to_utc(datetime.datetime.fromisoformat((form.get("sent_at") or "").strip()[:40]),
                      student_id_zone(letter.student_id))
    except (ValueError, OverflowError):  # not a time, or beyond what a calendar holds
        errors["sent_at"] = Message("Give the date and time as YYYY-MM-DD HH:MM.")
    if when is not None:
        if when > now + CLOCK_SKEW:
            errors["sent_at"] = Message("This is in the future; give when it was sent.")
        elif when < letter.generated_at - CLOCK_SKEW:
            errors["sent_at"] = Message("This is before the letter was made.")
    if letter.is_sent:
        errors["sent_how"] = Message("This letter is already recorded as sent.")
    if errors:
        raise LetterError(errors)
    return how, when.replace(second=0, microsecond=0)


def record_sent(user, letter, form, now=None):
    """Record how and when a letter was sent (once); LetterError when it is
    already recorded, by this form's check or by another user meanwhile."""
    how, when = parse_sent(form, letter, now)
    with database.atomic():
        # Only if nobody recorded it since the page was read: never overwrite
        # their record, nor log a sending this request did not record.
        changed = Letter.update(sent_how=how, sent_at=when, sent_recorded_by=user).where(
            (Letter.id == letter.id) & Letter.sent_at.is_null()).execute()
        if changed != 1:
            raise LetterError({"sent_how": Message("This letter is already recorded as sent.")})
        letter.sent_how, letter.sent_at, letter.sent_recorded_by = how, when, user
        AuditEvent.create(user=user, action="letter.sent", object_type="letter", object_id=str(letter.id),
                          **sent_detail(how, when))
    return letter


def letters_of(case):
    return list(Letter.select().where(Letter.case == case).order_by(Letter.generated_at, Letter.id))
