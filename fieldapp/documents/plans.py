"""Attendance improvement plans: writing them, signatures, the plan PDF and
the review dates on an officer's worklist."""
import base64
import binascii
import datetime
import io

from babel.dates import format_date, format_datetime
from PIL import Image, UnidentifiedImageError

from fieldapp import codes
from fieldapp.cases.text import clean_text, pick_one
from fieldapp.db import database
from fieldapp.documents import issue
from fieldapp.documents.letter_templates import LANGUAGES, language_for
from fieldapp.documents.pdf import gettext_in
from fieldapp.messages import Message
from fieldapp.models import AuditEvent, Case, Plan, Signature, Student, utcnow
from fieldapp.students.records import guardians_of
from fieldapp.timefmt import local_today, school_zone, to_local

TEXT_FIELDS = {
    "barriers": "Barriers found",
    "goals": "Goals",
    "school_supports": "What the school will provide",
    "family_commitments": "What the family agrees to do",
    "student_commitments": "What the student agrees to do",
}
REQUIRED = ("barriers", "goals")
TEXT_LIMIT = 4000
REVIEW_HORIZON = datetime.timedelta(days=366)
SIGNERS = {"guardian": "Parent or guardian", "student": "Student", "officer": "Attendance officer"}
SIGNATURE_STATUS = {"signed": "Signed", "refused": "Refused to sign", "unavailable": "Not available"}
# The fixed words a signer reads and the family's copy prints, in their language.
PLAN_WORDS = {
    "title": "Attendance improvement plan",
    "review_on": "Review date",
    "not_signed": "Not yet signed",
    "statement": "By signing, I agree to this attendance plan, version %(version)s, as shown above.",
}
DATA_URL_PREFIX = "data:image/png;base64,"
MAX_SIGNATURE_CHARS = 700_000  # a base64 PNG of a finger-drawn signature is far smaller
MAX_SIDE = 2000
WHEN = "%b %-d, %Y %-I:%M %p"


class PlanError(ValueError):
    """The plan or signature cannot be saved as given; errors maps field -> message."""

    def __init__(self, errors):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def parse_plan(form, today=None):
    """Typed plan fields from a form, or PlanError with a message per field."""
    today = today or local_today()
    errors, clean = {}, {}
    for name, label in TEXT_FIELDS.items():
        clean[name] = clean_text(form.get(name), TEXT_LIMIT, errors, name, label,
                                 required=name in REQUIRED)
    clean["review_on"] = None
    text = (form.get("review_on") or "").strip()
    if not text:
        errors["review_on"] = Message("Set a review date.")
    else:
        try:
            clean["review_on"] = datetime.date.fromisoformat(text)
        except ValueError:
            errors["review_on"] = Message("Give the review date as YYYY-MM-DD.")
        else:
            if clean["review_on"] < today:
                errors["review_on"] = Message("The review date must be today or later.")
            elif clean["review_on"] > today + REVIEW_HORIZON:
                errors["review_on"] = Message("The review date must be within a year.")
    if errors:
        raise PlanError(errors)
    return clean


def save_plan(user, case, form, plan=None, today=None):
    """Create a plan on case, or edit plan. An edit that changes the content
    starts a new version: signatures of the old one no longer count."""
    clean = parse_plan(form, today)
    if plan is None and not case.is_open:
        raise PlanError({"goals": Message("This case is closed; write plans on open cases.")})
    with database.atomic():
        if plan is None:
            plan = Plan.create(case=case, student=case.student_id, created_by=user, updated_by=user,
                               **clean)
            AuditEvent.create(user=user, action="plan.create", object_type="plan", object_id=str(plan.id))
            return plan
        changed = [k for k, v in clean.items() if getattr(plan, k) != v]
        if changed:
            for key in changed:
                setattr(plan, key, clean[key])
            plan.version += 1
            plan.updated_by, plan.updated_at = user, utcnow()
            plan.save()
            AuditEvent.create(user=user, action="plan.edit", object_type="plan", object_id=str(plan.id),
                              detail=f"version {plan.version}: {', '.join(changed)}")
    return plan


def signature_png(data_url):
    """The PNG bytes of a drawn signature, re-encoded; None when the data is
    not a PNG with some ink on it."""
    text = (data_url or "").strip()
    if not text.startswith(DATA_URL_PREFIX) or len(text) > MAX_SIGNATURE_CHARS:
        return None
    try:
        raw = base64.b64decode(text[len(DATA_URL_PREFIX):], validate=True)
        with Image.open(io.BytesIO(raw)) as image:
            if image.format != "PNG" or max(image.size) > MAX_SIDE:
                return None
            image = image.convert("RGBA")
    except (binascii.Error, UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    if image.getchannel("A").getbbox() is None:  # nothing drawn
        return None
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def parse_signature(form):
    """(role, status, name, note, png, language shown) from the signing form, or PlanError."""
    errors = {}
    role = pick_one(form.get("role"), SIGNERS, errors, "role", "Who is signing")
    shown = pick_one(form.get("language"), LANGUAGES, errors, "language", "Language")
    status = pick_one(form.get("status"), SIGNATURE_STATUS, errors, "status", "Signature")
    name = clean_text(form.get("signer_name"), 120, errors, "signer_name", "Name",
                      required=status == "signed")
    note = clean_text(form.get("note"), 1000, errors, "note", "A note saying why",
                      required=status in ("refused", "unavailable"))
    png = None
    if status == "signed":
        png = signature_png(form.get("image"))
        if png is None:
            errors["image"] = Message("Draw the signature in the box, then save.")
    if errors:
        raise PlanError(errors)
    return role, status, name, note, png, shown


def record_signature(user, plan, form, now=None):
    """Keep a signature (or a refusal, or an absence) on the plan's current
    version, with the language the plan was shown in (form "language"; by
    default the signer's, see signer_language)."""
    if not form.get("language"):
        form = {**form, "language": signer_language(plan, form.get("role"), user)}
    role, status, name, note, png, shown = parse_signature(form)
    return Signature.create(plan=plan, plan_version=plan.version, role=role, signer_name=name,
                            status=status, note=note, image=png, signed_at=now or utcnow(),
                            recorded_by=user, language=shown)


def current_signatures(plan):
    """The latest signature of each signer on the plan's current version, by role."""
    latest = {}
    for sig in (Signature.select().where((Signature.plan == plan) & (Signature.plan_version == plan.version))
                .order_by(Signature.signed_at, Signature.id)):
        latest[sig.role] = sig
    return latest


def plans_of(case):
    return list(Plan.select().where(Plan.case == case).order_by(Plan.created_at, Plan.id))


def _when(moment, language):
    """A local time as the document's language writes it (English keeps WHEN)."""
    if language == "en":
        return moment.strftime(WHEN)
    return format_datetime(moment, "d MMM y, H:mm", locale=language)


def _day(day, language):
    return day.strftime("%b %-d, %Y") if language == "en" else format_date(day, "d MMM y", locale=language)


def plans_facts(plans, with_images=False, language="en"):
    """Plain facts of plans (signature images named by their SHA-256), their
    fixed words in `language`; with_images also returns {sha256: data URI}
    to print them."""
    facts, images, tr = [], {}, gettext_in(language)
    for plan in plans:
        signatures = current_signatures(plan)
        rows = []
        for role, label in SIGNERS.items():
            sig = signatures.get(role)
            row = {"role": tr(label), "status": tr(PLAN_WORDS["not_signed"]), "name": "", "note": "", "when": "",
                   "image": "", "shown_in": ""}
            if sig is not None:
                row.update(status=tr(SIGNATURE_STATUS[sig.status]), name=sig.signer_name, note=sig.note,
                           when=_when(to_local(sig.signed_at), language),
                           shown_in=tr(codes.label("language", sig.language)) if sig.language else "")
                if sig.image:
                    png = bytes(sig.image)
                    row["image"] = issue.sha256(png)
                    images[row["image"]] = DATA_URL_PREFIX + base64.b64encode(png).decode()
            rows.append(row)
        facts.append({
            "version": plan.version, **{k: getattr(plan, k) for k in TEXT_FIELDS},
            "review_on": _day(plan.review_on, language),
            "written": _when(to_local(plan.created_at), language),
            "updated": _when(to_local(plan.updated_at), language),
            "signatures": rows,
            "guardian_signed": "guardian" in signatures and signatures["guardian"].status == "signed",
        })
    return (facts, images) if with_images else facts


def produce_plan_pdf(user, plan, state, now=None, origin=("", ""), language="en", recipient=""):
    """Render, keep and log the plan as a PDF with its signatures, its fixed
    words in `language` (fieldapp.documents.letter_templates.LANGUAGES): the
    family's copy in theirs. The text the officer typed is printed as typed."""
    now = now or utcnow()
    language = language if language in LANGUAGES else "en"
    case, student = plan.case, plan.student
    facts_list, images = plans_facts([plan], with_images=True, language=language)
    title = f"Attendance improvement plan: {student.full_name}"
    tr = gettext_in(language)
    facts = {"document": issue.stamp("plan", title, user, now, state, school_zone(student.school_id)),
             "plan": facts_list[0], "language": language,
             "labels": {key: tr(label) for key, label in TEXT_FIELDS.items()},
             "student": {"name": student.full_name, "local_id": student.local_id,
                         "grade": student.grade, "school": case.student.school.name},
             "case": {"number": f"{case.school_year}-{case.id:05d}",
                      "officer": case.officer.name if case.officer_id else "Unassigned"}}
    prepared = issue.prepare("plans/plan_pdf.html", facts, attachments=images)
    with database.atomic():
        return issue.keep(prepared, user, case.student.school, [student], now, case=case, origin=origin,
                          recipient=recipient, language=language)


def plan_text(plan, language):
    """What a signer reads before signing, in `language`: (heading, text as
    typed) for each part, and the statement they sign."""
    tr = gettext_in(language)
    parts = [(tr(label), getattr(plan, key)) for key, label in TEXT_FIELDS.items()]
    parts.append((tr(PLAN_WORDS["review_on"]), plan.review_on.isoformat()))
    return {"parts": parts, "statement": tr(PLAN_WORDS["statement"], version=plan.version),
            "title": tr(PLAN_WORDS["title"])}


def family_language(plan):
    """The language of the family's copy: the primary guardian's, when the
    app writes it, else English."""
    guardians = guardians_of(plan.student)
    return language_for(guardians[0][0] if guardians else None)


def signer_language(plan, role, user):
    """The language a signer is first shown the plan in: the family's for the
    guardian, the student's home language for the student (else the
    family's), the user's own for the officer."""
    if role == "officer":
        return user.language if user.language in LANGUAGES else "en"
    if role == "student" and plan.student.home_language in LANGUAGES:
        return plan.student.home_language
    return family_language(plan)


def reviews_for(officer, limit=100):
    """Plans on the officer's open cases with their review dates, soonest first."""
    return list(Plan.select(Plan, Case, Student).join(Case).switch(Plan).join(Student)
                .where((Case.officer == officer) & (Case.status == "open"))
                .order_by(Plan.review_on, Student.sort_key, Plan.id).limit(limit))
