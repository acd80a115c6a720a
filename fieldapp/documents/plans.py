"""Attendance improvement plans: writing them, signatures, the plan PDF and
the review dates on an officer's worklist."""
import base64
import binascii
import datetime
import io

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime
from PIL import Image, UnidentifiedImageError

from fieldapp import codes
from fieldapp.accounts import audit
from fieldapp.cases.text import clean_text, pick_one
from fieldapp.db import database, is_postgres
from fieldapp.documents import issue
from fieldapp.documents.letter_templates import LANGUAGES, language_for
from fieldapp.documents.pdf import gettext_in
from fieldapp.messages import Message
from fieldapp.models import AuditEvent, Case, Plan, Signature, Student, utcnow
from fieldapp.students.records import guardians_of
from fieldapp.timefmt import local_today, school_zone, to_local, today_for_school

TEXT_FIELDS = {
    "barriers": "Barriers found",
    "goals": "Goals",
    "school_supports": "What the school will provide",
    "family_commitments": "What the family agrees to do",
    "student_commitments": "What the student agrees to do",
}
REQUIRED = ("barriers", "goals")
# The plan's text in the family's language sits beside each part: "<part>_translated".
TRANSLATED = {key: f"{key}_translated" for key in TEXT_FIELDS}
TRANSLATION_KEYS = (*TRANSLATED.values(), "translation_language", "translated_by", "translator")
# Who typed the translation. Nothing machine-translates a plan (a family signs what a person wrote).
TRANSLATORS = {"staff": "Bilingual staff member", "interpreter": "Qualified interpreter"}
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
    "untranslated": "This plan has not been written in %(language)s: its text is shown as typed, in English.",
    "translated_by": "Text written in %(language)s by %(name)s (%(role)s) for version %(version)s of the plan.",
    "read_aloud_by": "read aloud by %(name)s",
}
DATA_URL_PREFIX = "data:image/png;base64,"
MAX_SIGNATURE_CHARS = 700_000  # a base64 PNG of a finger-drawn signature is far smaller
MAX_SIDE = 2000
WHEN = "%b %-d, %Y %-I:%M %p"


class PlanError(ValueError):
    """The plan or signature cannot be saved as given; errors maps field -> message."""

    def __init__(self, errors, version=None):
        super().__init__("; ".join(errors.values()))
        self.errors = errors
        self.version = version  # the plan's version now, when it changed while the form was open


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
    clean.update(_parse_translation(form, clean, errors))
    if errors:
        raise PlanError(errors)
    return clean


def translation_languages():
    """{code: name} of the languages a plan's text may be written in besides
    English: the code list's (fieldapp.codes.LANGUAGES), "Other" naming none."""
    return {code: label for code, label in codes.LANGUAGES.items() if code not in ("en", "other")}


def _parse_translation(form, clean, errors):
    """The plan's text in the family's language, typed by a person: every part
    that has English text needs its translation, and who wrote it. No text
    at all means no translation (the other fields are then ignored)."""
    texts = {name: clean_text(form.get(name), TEXT_LIMIT, errors, name, "Translation")
             for name in TRANSLATED.values()}
    if not any(texts.values()):
        return {**texts, "translation_language": "", "translated_by": "", "translator": ""}
    for key, name in TRANSLATED.items():
        if clean.get(key) and not texts[name] and name not in errors:
            errors[name] = Message("Write this part in the family's language too, or clear the whole translation.")
        elif texts[name] and not clean.get(key) and key not in errors:
            errors[name] = Message("This part has no English text: write it in English first.")
    return {**texts,
            "translation_language": pick_one(form.get("translation_language"), translation_languages(),
                                             errors, "translation_language", "Language of the translation") or "",
            "translated_by": clean_text(form.get("translated_by"), 120, errors, "translated_by",
                                        "Translated by", required=True),
            "translator": pick_one(form.get("translator"), TRANSLATORS, errors, "translator",
                                   "Translator") or ""}


def save_plan(user, case, form, plan=None, today=None, now=None):
    """Create a plan on case, or edit plan. An edit that changes the content
    (English or translation) starts a new version: signatures of the old one
    no longer count. A translation stays current (translated_version) when
    it changes with the English or form "translation_checked" says it still
    says the same; an English change alone leaves it marked out of date.
    `now` (UTC): when a new plan is written, by default now. Raises PlanError."""
    clean = parse_plan(form, today or today_for_school(case.student.school_id))
    checked = (form.get("translation_checked") or "") in ("1", "on", "yes")
    if plan is None and not case.is_open:
        raise PlanError({"goals": Message("This case is closed; write plans on open cases.")})
    with database.atomic():
        if plan is None:
            now = now or utcnow()
            plan = Plan.create(case=case, student=case.student_id, created_by=user, updated_by=user,
                               created_at=now, updated_at=now,
                               translated_version=1 if clean["translation_language"] else 0, **clean)
            AuditEvent.create(user=user, action="plan.create", object_type="plan", object_id=str(plan.id),
                              at=now, **_translation_detail(plan))
            return plan
        _check_unchanged(plan, form)
        changed = [k for k, v in clean.items() if getattr(plan, k) != v]
        if changed:
            for key in changed:
                setattr(plan, key, clean[key])
            plan.version += 1
            plan.updated_by, plan.updated_at = user, utcnow()
        before = plan.translated_version
        if not plan.translation_language:
            plan.translated_version = 0
        elif checked or any(key in TRANSLATION_KEYS for key in changed):
            plan.translated_version = plan.version
        if changed or plan.translated_version != before:
            plan.save()
            AuditEvent.create(user=user, action="plan.edit", object_type="plan", object_id=str(plan.id),
                              **_edit_detail(plan, changed))
    return plan


def _check_unchanged(plan, form):
    """Hold the plan's row until the transaction ends and refuse the edit when
    its version is no longer the one the form was opened on (form "version",
    else the one `plan` was read at): two people editing at once both made
    version N+1, the second's text over the first's, and a signature given
    between them counted for text the signer never saw. PostgreSQL: FOR
    UPDATE; SQLite's write transactions take the database's lock as they begin."""
    query = Plan.select(Plan.version).where(Plan.id == plan.id)
    now = (query.for_update() if is_postgres() else query).scalar()
    seen = str(form.get("version") or "").strip() or str(plan.version)
    if str(now) != seen or now != plan.version:
        raise PlanError({"goals": Message(
            "Someone saved version %(version)s of this plan while you were editing; nothing was changed. "
            "Your text is kept below: read the new version, then save again if your change is still "
            "needed.", version=now)}, version=now)


def _edit_detail(plan, changed):
    """The audit line's detail of an edit: the version, the fields changed (or
    the translation checked), then the translation's state."""
    values = {"version": plan.version}
    if changed:
        values["fields"] = ", ".join(changed)  # the fields' own names, as the form sends them
    if plan.translation_language:
        values["then"] = _translation_said(plan)
    return audit.detail("plan_edited" if changed else "plan_translation_checked", **values)


def _translation_detail(plan):
    """The audit line's detail of a new plan: its translation's state, if it has one."""
    if not plan.translation_language:
        return {}
    code, values = _translation_said(plan)
    return audit.detail(code, **values)


def _translation_said(plan):
    """[code, values] of what an audit line says of the plan's translation."""
    return ["translation_current" if translation_current(plan) else "translation_of_version",
            {"language": plan.translation_language, "by": plan.translated_by,
             "translator": [TRANSLATORS.get(plan.translator, plan.translator)], "version": plan.translated_version}]


def translation_current(plan):
    """Is the plan's translation written for its current version?"""
    return bool(plan.translation_language) and plan.translated_version == plan.version


def language_name(code):
    """A language named in itself ("Español", "Tiếng Việt"); the code list's
    label where babel knows no such locale ("Other")."""
    try:
        name = Locale.parse(code).get_display_name(code)
    except (UnknownLocaleError, ValueError, TypeError):
        return codes.label("language", code)
    return name[:1].upper() + name[1:]


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


def parse_signature(form, plan):
    """(role, status, name, note, png, language shown, interpreter) from the
    signing form, or PlanError. The language must be one the plan can be
    shown in (plan_languages)."""
    errors = {}
    role = pick_one(form.get("role"), SIGNERS, errors, "role", "Who is signing")
    shown = pick_one(form.get("language"), plan_languages(plan), errors, "language", "Language")
    status = pick_one(form.get("status"), SIGNATURE_STATUS, errors, "status", "Signature")
    name = clean_text(form.get("signer_name"), 120, errors, "signer_name", "Name",
                      required=status == "signed")
    note = clean_text(form.get("note"), 1000, errors, "note", "A note saying why",
                      required=status in ("refused", "unavailable"))
    interpreter = clean_text(form.get("interpreter"), 120, errors, "interpreter", "Interpreter")
    png = None
    if status == "signed":
        png = signature_png(form.get("image"))
        if png is None:
            errors["image"] = Message("Draw the signature in the box, then save.")
    if errors:
        raise PlanError(errors)
    return role, status, name, note, png, shown, interpreter


def _check_seen(plan, form, role, status, shown, interpreter):
    """Errors when the signer did not see this version, or would sign a text
    not written in the family's language with nobody named who read it to
    them in it (Title VI: a family with limited English is told what it
    agrees to in a language it understands)."""
    seen = (form.get("version") or "").strip()
    if seen and seen != str(plan.version):
        return {"status": Message("The plan changed to version %(version)s while this screen was open: "
                                  "show it to the signer again before they sign.", version=plan.version)}
    if role == "guardian" and status == "signed" and not interpreter:
        wanted = family_language_code(plan)
        if wanted != "en" and not written_in(plan, shown, wanted):
            return {"interpreter": Message(
                "The family reads %(language)s and this plan is not written in it. Add the plan's text "
                "in %(language)s (Edit the plan), or name the interpreter who read it aloud to the signer.",
                language=codes.label("language", wanted))}
    return {}


def record_signature(user, plan, form, now=None):
    """Keep a signature (or a refusal, or an absence) on the plan's current
    version, with the language the plan was shown in (form "language"; by
    default the signer's, see signer_language) and exactly the text shown.
    Form "version", when given, must be the plan's current version."""
    if not form.get("language"):
        form = {**form, "language": signer_language(plan, form.get("role"), user)}
    role, status, name, note, png, shown, interpreter = parse_signature(form, plan)
    errors = _check_seen(plan, form, role, status, shown, interpreter)
    if errors:
        raise PlanError(errors)
    text = shown_text(plan_text(plan, shown))
    return Signature.create(plan=plan, plan_version=plan.version, role=role, signer_name=name,
                            status=status, note=note, image=png, signed_at=now or utcnow(),
                            recorded_by=user, language=shown, text_shown=text,
                            text_sha256=issue.sha256(text.encode("utf-8")), interpreter=interpreter)


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
    """A local time as the document's language writes it (English keeps WHEN;
    a language the app has no words for keeps English, as its fixed words do)."""
    if language not in LANGUAGES or language == "en":
        return moment.strftime(WHEN)
    return format_datetime(moment, "d MMM y, H:mm", locale=language)


def _day(day, language):
    if language not in LANGUAGES or language == "en":
        return day.strftime("%b %-d, %Y")
    return format_date(day, "d MMM y", locale=language)


def right_to_left(code):
    """Is the language written right to left (Arabic)? Its text is laid out so."""
    try:
        return Locale.parse(code).character_order == "right-to-left"
    except (UnknownLocaleError, ValueError, TypeError):
        return False


def plans_facts(plans, with_images=False, language="en"):
    """Plain facts of plans (signature images named by their SHA-256), their
    fixed words in `language` and their text written in it when the plan has
    a current translation in it (else as typed, with "untranslated" saying
    so); with_images also returns {sha256: data URI} to print them."""
    facts, images, tr = [], {}, gettext_in(language)
    for plan in plans:
        zone_name = school_zone(plan.student.school_id)  # times as local at the student's school
        signatures = current_signatures(plan)
        rows = []
        for role, label in SIGNERS.items():
            sig = signatures.get(role)
            row = {"role": tr(label), "status": tr(PLAN_WORDS["not_signed"]), "name": "", "note": "", "when": "",
                   "image": "", "shown_in": "", "read_aloud_by": ""}
            if sig is not None:
                row.update(status=tr(SIGNATURE_STATUS[sig.status]), name=sig.signer_name, note=sig.note,
                           when=_when(to_local(sig.signed_at, zone_name), language),
                           shown_in=tr(codes.label("language", sig.language)) if sig.language else "",
                           read_aloud_by=tr(PLAN_WORDS["read_aloud_by"], name=sig.interpreter)
                           if sig.interpreter else "")
                if sig.image:
                    png = bytes(sig.image)
                    row["image"] = issue.sha256(png)
                    images[row["image"]] = DATA_URL_PREFIX + base64.b64encode(png).decode()
            rows.append(row)
        said = plan_text(plan, language)
        facts.append({
            "version": plan.version, **dict(zip(TEXT_FIELDS, (text for _, text in said["parts"]))),
            "untranslated": said["untranslated"], "translated_by": said["translated_by"],
            "text_dir": said["text_dir"],
            "translation": _translation_line(plan, language),
            "review_on": _day(plan.review_on, language),
            "written": _when(to_local(plan.created_at, zone_name), language),
            "updated": _when(to_local(plan.updated_at, zone_name), language),
            "signatures": rows,
            "guardian_signed": "guardian" in signatures and signatures["guardian"].status == "signed",
        })
    return (facts, images) if with_images else facts


def _translation_line(plan, language):
    """What the file says of the plan's translation, in the document's words
    (`language`): "Text written in Spanish by ...", "Texto escrito en español por ..."."""
    if not plan.translation_language:
        return ""
    tr = gettext_in(language)
    words = language if language in LANGUAGES else "en"  # the language of the document's fixed words
    return tr(PLAN_WORDS["translated_by"], language=_named_in(plan.translation_language, words),
              name=plan.translated_by, role=tr(TRANSLATORS.get(plan.translator, plan.translator)),
              version=plan.translated_version)


def produce_plan_pdf(user, plan, state, now=None, origin=("", ""), language="en", recipient=""):
    """Render, keep and log the plan as a PDF with its signatures, in
    `language` (one of plan_languages(plan)): the family's copy in theirs,
    its text as the translator wrote it, its fixed words from the catalog
    (English where the app has none)."""
    now = now or utcnow()
    language = language if language in plan_languages(plan) else "en"
    case, student = plan.case, plan.student
    facts_list, images = plans_facts([plan], with_images=True, language=language)
    title = issue.TITLES["plan"] % {"student": student.full_name}
    tr = gettext_in(language)
    zone = school_zone(student.school_id)
    facts = {"document": issue.stamp("plan", title, user, now, state, zone),
             "plan": facts_list[0], "language": language, "zone": zone,
             "labels": {key: tr(label) for key, label in TEXT_FIELDS.items()},
             "student": {"name": student.full_name, "local_id": student.local_id,
                         "grade": student.grade, "school": case.student.school.name},
             "case": {"number": f"{case.school_year}-{case.id:05d}",
                      "officer": case.officer.name if case.officer_id else "Unassigned"}}
    prepared = issue.prepare("plans/plan_pdf.html", facts, attachments=images)
    with database.atomic():
        return issue.keep(prepared, user, case.student.school, [student], now, case=case, origin=origin,
                          recipient=recipient, language=language)


def written_in(plan, shown, wanted):
    """Is the plan's text, shown in language `shown`, written in `wanted`?
    English is as typed; another language only through a current
    translation (for a family whose language is "other", any current one)."""
    if shown == "en":
        return wanted == "en"
    current = translation_current(plan) and plan.translation_language == shown
    return current and wanted in (shown, "other")


def _named_in(code, words=None):
    """A language named as a sentence in `words` (default: itself) says it:
    "español", "Spanish", "tiếng Việt"."""
    try:
        return Locale.parse(code).get_display_name(words or code)
    except (UnknownLocaleError, ValueError, TypeError):
        return codes.label("language", code)


def plan_text(plan, language):
    """What a signer reads before signing, in `language`: (heading, text) for
    each part, the review date and the statement they sign. The text is the
    translation when the plan has a current one in `language`; otherwise as
    typed, with `untranslated` saying so in the reader's words."""
    tr = gettext_in(language)
    written = language != "en" and translation_current(plan) and plan.translation_language == language
    parts = [(tr(label), getattr(plan, TRANSLATED[key] if written else key)) for key, label in TEXT_FIELDS.items()]
    parts.append((tr(PLAN_WORDS["review_on"]), _day(plan.review_on, language)))
    untranslated = "" if written or language == "en" else tr(PLAN_WORDS["untranslated"],
                                                            language=_named_in(language))
    return {"parts": parts, "statement": tr(PLAN_WORDS["statement"], version=plan.version),
            "title": tr(PLAN_WORDS["title"]), "language": language, "untranslated": untranslated,
            "text_dir": "rtl" if written and right_to_left(language) else "",
            "translated_by": _translation_line(plan, language) if written else ""}


def shown_text(said):
    """The plain text of plan_text's result, as kept with a signature."""
    lines = [said["title"]]
    if said["untranslated"]:
        lines.append(said["untranslated"])
    for heading, text in said["parts"]:
        lines += [heading, text or "—"]
    if said["translated_by"]:
        lines.append(said["translated_by"])
    lines.append(said["statement"])
    return "\n".join(lines)


def plan_languages(plan):
    """{code: name in itself} of the languages the plan can be shown in:
    English, those the app's catalog has fixed words for, and its current
    translation's."""
    codes_ = list(LANGUAGES)
    if translation_current(plan) and plan.translation_language not in codes_:
        codes_.append(plan.translation_language)
    return {code: LANGUAGES.get(code) or language_name(code) for code in codes_}


def family_language_of(student):
    """The primary guardian's preferred language as on record (any code of
    fieldapp.codes.LANGUAGES), English without a guardian."""
    guardians = guardians_of(student)
    return (getattr(guardians[0][0], "preferred_language", "") or "en") if guardians else "en"


def family_language_code(plan):
    """The preferred language of the plan's family (family_language_of)."""
    return family_language_of(plan.student)


def family_language(plan):
    """The language of the family's copy: the family's own when the plan is
    written in it (a current translation) or the app has its words, else
    English."""
    wanted = family_language_code(plan)
    if translation_current(plan) and written_in(plan, plan.translation_language, wanted):
        return plan.translation_language
    return language_for(guardians_of(plan.student)[0][0]) if wanted != "en" else "en"


def translation_missing(plan):
    """The family's language code when its reader would need the plan written
    in it and it is not (no translation, or one of an older version); ""
    when the plan reads in the family's language."""
    wanted = family_language_code(plan)
    if wanted == "en" or (translation_current(plan) and written_in(plan, plan.translation_language, wanted)):
        return ""
    return wanted


def signer_language(plan, role, user):
    """The language a signer is first shown the plan in: the family's for the
    guardian, the student's home language for the student when the plan can
    be shown in it (else the family's), the user's own for the officer."""
    if role == "officer":
        return user.language if user.language in LANGUAGES else "en"
    if role == "student" and plan.student.home_language in plan_languages(plan):
        return plan.student.home_language
    return family_language(plan)


def reviews_for(officer, limit=100):
    """Plans on the officer's open cases with their review dates, soonest first."""
    return list(Plan.select(Plan, Case, Student).join(Case).switch(Plan).join(Student)
                .where((Case.officer == officer) & (Case.status == "open"))
                .order_by(Plan.review_on, Student.sort_key, Plan.id).limit(limit))
