"""Issuing a document and checking a copy of one later.

The fingerprint printed on a document cannot be the hash of that same PDF (the
hash would change the bytes it hashes). So the fingerprint is the SHA-256 of
the document's canonical content: the JSON of every fact it prints, including
its reference, author and time. Both that JSON and the PDF bytes are kept,
with the PDF's own SHA-256, so a copy can be checked two ways: a file that is
byte-for-byte the one issued matches the PDF hash; a re-saved or printed copy
carries the fingerprint, which finds the issued document to compare against.
"""
import datetime
import hashlib
import io
import json
import re
import uuid
from dataclasses import dataclass

from pypdf import PdfReader

from fieldapp.documents import reading
from fieldapp.documents.pdf import render_pdf
from fieldapp.messages import Message
from fieldapp.models import AuditEvent, DocumentRecord
from fieldapp.students.records import record_disclosure
from fieldapp.timefmt import default_zone, to_local, zone_label

# How each kind of document is titled: stored and printed in English, shown on a
# screen in its reader's language (title_of). Each pattern names its parts.
TITLES = {
    "case_report": "Case report: %(student)s, case %(case)s",
    "letter": "%(kind)s: %(student)s",
    "letter_batch": "Letters due %(day)s: %(school)s (%(num)s)",
    "plan": "Attendance improvement plan: %(student)s",
}

# Printed in eight groups of eight so a person can read it off paper.
PRINTED = re.compile(r"SHA-256\W*((?:[0-9a-f]{8}\s*){8})", re.IGNORECASE)
HEX = re.compile(r"[^0-9a-f]")
MIN_TYPED = 12  # hex characters a person must type to find a document
MAX_PREFIX_MATCHES = 50  # documents a typed prefix is checked against


# Documents whose PDF may be laid out when first opened rather than when issued
# (kind -> (template, the list laid out one item at a time)): letters, whose
# facts say all they print. The fingerprint is of the facts, so it is the same.
RENDERED_LATER = {"letter": ("letters/document.html", "letters"),
                  "letter_batch": ("letters/document.html", "letters")}


@dataclass
class Prepared:
    """A document not yet kept: rendered, or (pdf None, pages 0) to be
    rendered when first opened (RENDERED_LATER)."""
    facts: dict
    content: str
    fingerprint: str
    pdf: bytes
    pages: int


@dataclass
class Verification:
    """What a check of a copy found: status is exact, same_text, altered or unknown."""
    status: str
    record: DocumentRecord = None
    fingerprint: str = ""


def sha256(data):
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def canonical(facts):
    """The one serialisation of a document's facts that is hashed."""
    return json.dumps(facts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def title_of(record):
    """A kept document's title (a DocumentRecord's English title) as a Message
    a screen says in its reader's language; a title that does not read as its
    kind's pattern (TITLES) is given as it is."""
    pattern = TITLES.get(record.kind)
    parts = re.split(r"%\((\w+)\)s", pattern) if pattern else []
    regex = "".join(re.escape(part) if n % 2 == 0 else f"(?P<{part}>.+)" for n, part in enumerate(parts))
    found = re.fullmatch(regex, record.title) if pattern else None
    return Message(pattern, **_dated(found.groupdict())) if found else record.title


def _dated(parts):
    """A title's parts, its day (kept as ISO text: a batch's "Letters due
    2026-12-01") a date, said as the reader's language says dates."""
    try:
        return {**parts, "day": datetime.date.fromisoformat(parts["day"])} if "day" in parts else parts
    except ValueError:
        return parts


def grouped(fingerprint):
    return " ".join(fingerprint[i:i + 8] for i in range(0, len(fingerprint), 8))


def stamp(kind, title, user, now, state, zone_name=None):
    """The facts every document carries about itself; its times are in
    zone_name (the IANA zone of the student's school; None: the installation's)."""
    zone_name = zone_name or default_zone()
    return {"reference": str(uuid.uuid4()), "kind": kind, "title": title,
            "generated_by": user.name, "generated_at": to_local(now, zone_name).strftime("%b %-d, %Y %-I:%M %p"),
            "generated_local": to_local(now, zone_name).strftime("%Y-%m-%d %H:%M"),
            "generated_at_utc": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "state": state,
            "time_zone": zone_name, "zone_label": zone_label(zone_name)}


def prepare(template, facts, attachments=None, each=None, render=True, laid_out=None):
    """Fingerprint the facts and render them; attachments (images by their
    hash, which the facts name) are printed but hashed through the facts.
    each: a list in facts laid out one item at a time, each numbering its own
    pages (a batch of letters; see pdf.render_pdf). render False (a kind of
    RENDERED_LATER only): fingerprint now, lay the PDF out when first opened.
    laid_out: hears how many items of `each` are laid out (pdf.render_pdf)."""
    content = canonical(facts)
    fingerprint = sha256(content)
    if not render:
        assert RENDERED_LATER.get(facts["document"]["kind"]) == (template, each), template
        return Prepared(facts, content, fingerprint, None, 0)
    pdf, pages = _render(template, each, facts, fingerprint, attachments, laid_out)
    return Prepared(facts, content, fingerprint, pdf, pages)


def _render(template, each, facts, fingerprint, attachments=None, laid_out=None):
    return render_pdf(template, each=each, facts=facts, fingerprint=fingerprint, laid_out=laid_out,
                      fingerprint_printed=grouped(fingerprint), attachments=attachments or {})


def pdf_of(record):
    """The PDF bytes of a kept document (a DocumentRecord), laying them out
    from its stored facts, and keeping them, the first time one kept
    unrendered is opened (prepare(render=False))."""
    if record.pdf_sha256:
        return bytes(record.pdf)
    template, each = RENDERED_LATER[record.kind]
    pdf, pages = _render(template, each, json.loads(record.content), record.content_sha256)
    # The same facts lay out the same pages: whoever stores them first, the bytes agree.
    DocumentRecord.update(pdf=pdf, pdf_sha256=sha256(pdf), page_count=pages).where(
        (DocumentRecord.id == record.id) & (DocumentRecord.pdf_sha256 == "")).execute()
    record.pdf, record.pdf_sha256, record.page_count = pdf, sha256(pdf), pages
    return pdf


def keep(prepared, user, school, students, now, case=None, origin=("", ""), recipient="",
         recipients=None, language="en"):
    """Store an issued document and log it as a disclosure of each student's
    record, naming the document and its recipient: `recipient` (a board, a
    court, a family), or per student `recipients` {student id: recipient} for a
    batch of letters. Call inside the transaction that writes what goes with it."""
    head = prepared.facts["document"]
    record = DocumentRecord.create(
        reference=uuid.UUID(head["reference"]), kind=head["kind"], title=head["title"][:255],
        school=school, student=students[0] if len(students) == 1 else None, case=case,
        generated_by=user, generated_at=now, content=prepared.content,
        content_sha256=prepared.fingerprint, pdf_sha256=sha256(prepared.pdf) if prepared.pdf else "",
        pdf=prepared.pdf or b"", page_count=prepared.pages, recipient=recipient[:255], language=language)
    path, ip = origin
    for student in students:
        record_disclosure(user, student, record, (recipients or {}).get(student.id, recipient),
                          path or f"document {head['reference']}", ip)
    return record


def pdf_text(pdf_bytes):
    """All text of a PDF, page after page."""
    reader = PdfReader(io.BytesIO(pdf_bytes))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def find_by_fingerprint(typed, may_open=None):
    """The DocumentRecord whose fingerprint begins with what was typed (spaces
    and case ignored; at least MIN_TYPED hex digits), or None. may_open(record)
    -> bool, when given, is the reader's policy: the one document the reader
    may open that begins so is found, so a document they may not open never
    hides it nor shows, by an ambiguous answer, that it exists; with none they
    may open, the match only when it is the only one (the caller answers it as
    unknown and logs the look-up)."""
    digits = HEX.sub("", (typed or "").lower())[:64]
    if len(digits) < MIN_TYPED:
        return None
    matches = list(DocumentRecord.select().where(
        DocumentRecord.content_sha256.startswith(digits)).limit(MAX_PREFIX_MATCHES))
    if may_open is not None:
        opened = [record for record in matches if may_open(record)]
        if opened:
            return opened[0] if len(opened) == 1 else None
    return matches[0] if len(matches) == 1 else None


def printed_fingerprint(text):
    """The fingerprint printed in a document's text, or "" when there is none."""
    match = PRINTED.search(text)
    return HEX.sub("", match.group(1).lower()) if match else ""


def verify_copy(pdf_bytes, budget=reading.BUDGET):
    """Check a copy someone uploaded against what was issued.

    exact: the very file issued; same_text: another file (re-saved, printed to
    PDF) whose text is the issued text; altered: it names an issued document
    but its text differs; unknown: no issued document matches, or the file is
    no PDF that can be read. The upload is read in a child process within
    budget (fieldapp.documents.reading); raises reading.Unreadable when the
    file is past it (too many pages, too much content, too slow to read).
    """
    record = DocumentRecord.get_or_none(DocumentRecord.pdf_sha256 == sha256(pdf_bytes))
    if record is not None:
        return Verification("exact", record, record.content_sha256)
    try:
        text = "\n".join(reading.read_text(pdf_bytes, budget))
    except reading.Unreadable as refused:
        if refused.reason != "broken":
            raise
        return Verification("unknown")
    fingerprint = printed_fingerprint(text)
    record = DocumentRecord.get_or_none(DocumentRecord.content_sha256 == fingerprint) if fingerprint else None
    if record is None:
        return Verification("unknown", None, fingerprint)
    same = _words(text) == _words(pdf_text(pdf_of(record)))  # our own PDF: read here
    return Verification("same_text" if same else "altered", record, fingerprint)


def log_lookup(user, status, record, shown, ip=""):
    """Write a check of a document to the audit trail: who, what it found
    (status, the document's id) and whether the user was shown it. A document
    found but not shown is how someone probing other schools' paperwork shows up."""
    detail = status if record is None or shown else f"{status}, not shown: not the user's to open"
    AuditEvent.create(user=user.id, action="document.verify", object_type="document",
                      object_id=str(record.id) if record else "", detail=detail, ip=ip[:64])


def intact(record):
    """True when the stored content and PDF (once laid out) still hash to what was recorded."""
    return (sha256(record.content) == record.content_sha256
            and (not record.pdf_sha256 and not record.pdf or sha256(bytes(record.pdf)) == record.pdf_sha256))


def _words(text):
    return text.split()
