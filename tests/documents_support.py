"""Building a case file worth printing, and reading the PDFs made from it."""
import base64
import datetime
import io
import os
import re
import subprocess
import uuid

from PIL import Image, ImageDraw
from pypdf import PdfReader
from pypdf.generic import ContentStream

from fieldapp.cases import contacts
from fieldapp.documents.issue import pdf_text
from fieldapp.models import AttendanceEvent
from fieldapp.timefmt import local_today, school_year_start, to_local
from fieldapp.models import utcnow
from tests import factories

# Another folder for a run beside another (see tests/browser/conftest.py).
SHOTS = os.environ.get("FIELDAPP_TEST_SCREENSHOTS") or os.path.join(os.path.dirname(__file__), "..", "screenshots")


def signature_data_url(width=600, height=200):
    """A PNG like the one a finger draws on the canvas: ink on transparency."""
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(30, 150), (120, 40), (200, 160), (320, 50), (560, 120)],
                               fill=(17, 17, 17, 255), width=6)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def local_time(days_ago, hour=10):
    """A form's datetime-local value some days back, at hour (district time)."""
    day = to_local(utcnow()).date() - datetime.timedelta(days=days_ago)
    return f"{day.isoformat()}T{hour:02d}:15"


def add_attendance(student, school, unexcused=6, tardies=3):
    """Unexcused days and long tardies on weekdays since the school year began."""
    today = local_today()
    day, made = max(school_year_start(today), today - datetime.timedelta(days=90)), []
    while day <= today and len(made) < unexcused + tardies:
        if day.weekday() < 5:
            category = "unexcused" if len(made) < unexcused else "tardy"
            made.append(AttendanceEvent.create(student=student, school=school, date=day,
                                               category=category, minutes=45 if category == "tardy" else 0))
        day += datetime.timedelta(days=2)
    return made


def gen_truant_case(school, officer, first, last, stage="first_notice", truancies=4):
    """An open case whose student has `truancies` unexcused days on record: a
    truancy notification states what this record shows."""
    student = factories.gen_student(school, first=first, last=last)
    add_attendance(student, school, unexcused=truancies, tardies=0)
    return factories.gen_case(student, officer, stage=stage)


def log(case, author, days_ago, **fields):
    return factories.gen_contact(case, author, occurred_at=local_time(days_ago), **fields)


def amend(case, author, original, reason, **fields):
    clean, errors = contacts.validate_contact(factories.contact_form(**fields), author)
    assert not errors, errors
    contact, _ = contacts.log_contact(author, case, clean, uuid.uuid4(), amends=original,
                                      amendment_reason=reason)
    return contact


def text_of(record_or_bytes):
    data = record_or_bytes if isinstance(record_or_bytes, bytes) else bytes(record_or_bytes.pdf)
    return " ".join(pdf_text(data).split())


def first_page_png(pdf_bytes, name):
    """Render page 1 to screenshots/<name>.png (pdftoppm) to look at; returns its path."""
    os.makedirs(SHOTS, exist_ok=True)
    source = os.path.join(SHOTS, f"{name}.pdf")
    with open(source, "wb") as handle:
        handle.write(pdf_bytes)
    base = os.path.join(SHOTS, name)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", source, base],
                   check=True)
    return base + ".png"


def gen_issued_letter(case, author):
    """A letter and its stored document as generation leaves them, without
    rendering a PDF (for tests about who may reach them)."""
    from fieldapp.models import DocumentRecord, Letter
    contact = factories.gen_contact(case, author, method="letter", outcome="letter_issued", notes="Letter.")
    record = DocumentRecord.create(
        reference=uuid.uuid4(), kind="letter", title=f"First notice: {case.student.full_name}",
        school=case.school_id, student=case.student_id, case=case, generated_by=author,
        content="{}", content_sha256=uuid.uuid4().hex * 2, pdf_sha256=uuid.uuid4().hex * 2,
        pdf=b"%PDF-1.4 stand-in", page_count=1)
    return Letter.create(case=case, student=case.student_id, kind="first_notice",
                         template_id="ca-first-notice", template_version=2,
                         template_effective=datetime.date(2025, 7, 1), language="en",
                         letter_date=local_today(), generated_by=author, contact=contact, document=record)


def gen_plan(case, author, review_in_days=14):
    from fieldapp.documents import plans
    review = local_today() + datetime.timedelta(days=review_in_days)
    return plans.save_plan(author, case, {"barriers": "Transportation.", "goals": "Attend daily.",
                                          "review_on": review.isoformat()})


def letter_sent_time(letter):
    """A 'when sent' a minute after the letter was made, as the form takes it."""
    return (to_local(letter.generated_at) + datetime.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M")


# -- reading what a PDF draws -------------------------------------------------
# WeasyPrint writes text with Type0 fonts whose glyph ids are the codes shown
# (CIDToGIDMap Identity); a character no font has gets a code past the font's
# glyphs that its Encoding CMap sends to CID 0, the empty box (.notdef).

_CMAP_PAIR = re.compile(rb"<([0-9a-fA-F]+)>\s*<?([0-9a-fA-F]+)>?")


def _cmap_pairs(stream, section):
    """{code: value} from the begin<section>...end<section> blocks of a CMap."""
    data, pairs = stream.get_object().get_data(), {}
    for block in re.findall(rb"begin" + section + rb"(.*?)end" + section, data, re.S):
        for code, value in _CMAP_PAIR.findall(block):
            pairs[int(code, 16)] = value
    return pairs


def _shown_codes(page, reader):
    """(font dictionary, code) of every glyph a page shows."""
    fonts = page["/Resources"].get("/Font", {})
    current = None
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"Tf":
            current = fonts[operands[0]].get_object()
        elif operator in (b"Tj", b"TJ"):
            for item in operands[0] if operator == b"TJ" else [operands[0]]:
                raw = getattr(item, "original_bytes", None)
                if raw is not None:
                    for i in range(0, len(raw), 2):
                        yield current, int.from_bytes(raw[i:i + 2], "big")


def missing_glyphs(pdf_bytes):
    """The characters a PDF prints as an empty box (.notdef), as a set."""
    reader = PdfReader(io.BytesIO(pdf_bytes))
    missing, cache = set(), {}
    for page in reader.pages:
        for font, code in _shown_codes(page, reader):
            key = id(font)
            if key not in cache:
                encoding = font.get("/Encoding")
                to_notdef = ({c for c, cid in _cmap_pairs(encoding, b"cidchar").items() if int(cid) == 0}
                             if hasattr(encoding.get_object(), "get_data") else set())
                text = _cmap_pairs(font["/ToUnicode"], b"bfchar") if "/ToUnicode" in font else {}
                cache[key] = (to_notdef | {0}, text)
            to_notdef, text = cache[key]
            if code in to_notdef:
                value = text.get(code, b"")
                missing.add(bytes.fromhex(value.decode()).decode("utf-16-be") if value else f"<{code}>")
    return missing


def font_names(pdf_bytes):
    """The names of the fonts a PDF embeds, without their subset prefix."""
    reader = PdfReader(io.BytesIO(pdf_bytes))
    return {str(font.get_object()["/BaseFont"]).split("+")[-1]
            for page in reader.pages for font in page["/Resources"].get("/Font", {}).values()}


def text_beyond_margin(pdf_bytes, right_margin_pt=16 * 72 / 25.4):
    """Text fragments a PDF starts or runs past the right margin, as
    (page number, text): where a line would leave the paper."""
    reader, beyond = PdfReader(io.BytesIO(pdf_bytes)), []
    for number, page in enumerate(reader.pages, 1):
        limit = float(page.mediabox.width) - right_margin_pt + 2

        def visit(text, cm, tm, font_dict, font_size, number=number, limit=limit):
            x = tm[4] * cm[0] + cm[4]
            size = font_size * (tm[0] or 1) * (cm[0] or 1)
            # Half an em per character is less than any of our fonts' advance for
            # letters and digits: a conservative estimate of where the run ends.
            if text.strip() and x + 0.45 * size * len(text.rstrip()) > limit:
                beyond.append((number, text))
        page.extract_text(visitor_text=visit)
    return beyond
