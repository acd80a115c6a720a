"""Building a case file worth printing, and reading the PDFs made from it."""
import base64
import datetime
import io
import os
import subprocess
import uuid

from PIL import Image, ImageDraw

from fieldapp.cases import contacts
from fieldapp.documents.issue import pdf_text
from fieldapp.models import AttendanceEvent
from fieldapp.timefmt import local_today, school_year_start, to_local
from fieldapp.models import utcnow
from tests import factories

SHOTS = os.path.join(os.path.dirname(__file__), "..", "screenshots")


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
