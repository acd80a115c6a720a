"""Attendance improvement plans: writing them, signatures, the plan PDF and
the review dates on an officer's worklist."""
import base64
import binascii
import datetime
import io

from PIL import Image, UnidentifiedImageError

from fieldapp.cases.text import clean_text, pick_one
from fieldapp.db import database
from fieldapp.documents import issue
from fieldapp.messages import Message
from fieldapp.models import AuditEvent, Case, Plan, Signature, Student, utcnow
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
    """(role, status, name, note, png) from the signing form, or PlanError."""
    errors = {}
    role = pick_one(form.get("role"), SIGNERS, errors, "role", "Who is signing")
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
    return role, status, name, note, png


def record_signature(user, plan, form, now=None):
    """Keep a signature (or a refusal, or an absence) on the plan's current version."""
    role, status, name, note, png = parse_signature(form)
    return Signature.create(plan=plan, plan_version=plan.version, role=role, signer_name=name,
                            status=status, note=note, image=png, signed_at=now or utcnow(),
                            recorded_by=user)


def current_signatures(plan):
    """The latest signature of each signer on the plan's current version, by role."""
    latest = {}
    for sig in (Signature.select().where((Signature.plan == plan) & (Signature.plan_version == plan.version))
                .order_by(Signature.signed_at, Signature.id)):
        latest[sig.role] = sig
    return latest


def plans_of(case):
    return list(Plan.select().where(Plan.case == case).order_by(Plan.created_at, Plan.id))


def plans_facts(plans, with_images=False):
    """Plain facts of plans (signature images named by their SHA-256);
    with_images also returns {sha256: data URI} to print them."""
    facts, images = [], {}
    for plan in plans:
        signatures = current_signatures(plan)
        rows = []
        for role, label in SIGNERS.items():
            sig = signatures.get(role)
            row = {"role": label, "status": "Not yet signed", "name": "", "note": "", "when": "", "image": ""}
            if sig is not None:
                row.update(status=SIGNATURE_STATUS[sig.status], name=sig.signer_name, note=sig.note,
                           when=to_local(sig.signed_at).strftime(WHEN))
                if sig.image:
                    png = bytes(sig.image)
                    row["image"] = issue.sha256(png)
                    images[row["image"]] = DATA_URL_PREFIX + base64.b64encode(png).decode()
            rows.append(row)
        facts.append({
            "version": plan.version, **{k: getattr(plan, k) for k in TEXT_FIELDS},
            "review_on": plan.review_on.strftime("%b %-d, %Y"),
            "written": to_local(plan.created_at).strftime(WHEN),
            "updated": to_local(plan.updated_at).strftime(WHEN),
            "signatures": rows,
            "guardian_signed": "guardian" in signatures and signatures["guardian"].status == "signed",
        })
    return (facts, images) if with_images else facts


def produce_plan_pdf(user, plan, state, now=None, origin=("", "")):
    """Render, keep and log the plan as a PDF with its signatures."""
    now = now or utcnow()
    case, student = plan.case, plan.student
    facts_list, images = plans_facts([plan], with_images=True)
    title = f"Attendance improvement plan: {student.full_name}"
    facts = {"document": issue.stamp("plan", title, user, now, state, school_zone(student.school_id)),
             "plan": facts_list[0],
             "labels": TEXT_FIELDS,
             "student": {"name": student.full_name, "local_id": student.local_id,
                         "grade": student.grade, "school": case.student.school.name},
             "case": {"number": f"{case.school_year}-{case.id:05d}",
                      "officer": case.officer.name if case.officer_id else "Unassigned"}}
    prepared = issue.prepare("plans/plan_pdf.html", facts, attachments=images)
    with database.atomic():
        return issue.keep(prepared, user, case.student.school, [student], now, case=case, origin=origin)


def reviews_for(officer, limit=100):
    """Plans on the officer's open cases with their review dates, soonest first."""
    return list(Plan.select(Plan, Case, Student).join(Case).switch(Plan).join(Student)
                .where((Case.officer == officer) & (Case.status == "open"))
                .order_by(Plan.review_on, Student.sort_key, Plan.id).limit(limit))
