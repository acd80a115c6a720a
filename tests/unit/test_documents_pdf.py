"""Each document rendered from a real case file and read back as its reader
would: the text of the PDF, its page count, fingerprint and images."""
import datetime
import io
import json

import pytest
from pypdf import PdfReader, PdfWriter

from fieldapp.cases.contact_notes import notes_text
from fieldapp.rules.settings import RuleSettings
from fieldapp.documents import case_report, issue, letters, letters_due, plans
from fieldapp.documents.letters import LetterChoice
from fieldapp.models import AccessLog, AttendanceEvent, Contact, DocumentRecord, Letter
from fieldapp.students.records import guardians_of
from fieldapp.timefmt import local_today, school_year_start
from tests import documents_support as support
from fieldapp.rules.settings import from_config
from tests import factories

CA = from_config({"STATE": "CA"})


@pytest.fixture
def case_file(app):
    """A case with attendance, contacts in an order, a correction, a letter and a signed plan."""
    school = factories.gen_school("Lincoln Elementary")
    officer = factories.gen_user("officer", [school], name="Dana Ortiz")
    student = factories.gen_student(school)
    guardian = factories.gen_guardian([student], preferred_language="es")
    case = factories.gen_case(student, officer, stage="first_notice")
    support.add_attendance(student, school)
    first = support.log(case, officer, 20, method="phone", outcome="no_answer", notes="Rang the mother first.")
    second = support.log(case, officer, 10, method="home_visit", outcome="notice_at_door",
                         notes="Nobody home; left a notice.")
    third = support.log(case, officer, 5, method="conference", outcome="reached_parent",
                        reasons=["transportation", "illness"], people_present=["parent", "student"],
                        notes="Bus pass arranged.")
    correction = support.amend(case, officer, second, "The notice was handed to a neighbour.",
                               method="home_visit", outcome="notice_at_door", notes="Left with the neighbour.")
    return dict(school=school, officer=officer, student=student, guardian=guardian, case=case,
                contacts=[first, second, correction, third])


def _plan_with_signatures(case, officer, today):
    plan = plans.save_plan(officer, case, {
        "barriers": "No bus on the new route.", "goals": "Miss no more than one day a month.",
        "school_supports": "Bus pass; check-in with the counselor.", "family_commitments": "Wake-up at 7.",
        "student_commitments": "Use the alarm.", "review_on": (today + datetime.timedelta(days=30)).isoformat(),
        # The guardian reads Spanish: the plan is written in it too.
        "barriers_translated": "No hay autobús en la nueva ruta.", "goals_translated": "No faltar más de un día al mes.",
        "school_supports_translated": "Pase de autobús; ver al consejero.", "family_commitments_translated":
        "Despertarse a las 7.", "student_commitments_translated": "Usar la alarma.", "translation_language": "es",
        "translated_by": "Lucía Romero", "translator": "interpreter"})
    plans.record_signature(officer, plan, {"role": "guardian", "status": "signed", "signer_name": "Ana García",
                                           "image": support.signature_data_url()})
    plans.record_signature(officer, plan, {"role": "student", "status": "refused",
                                           "note": "Did not want to sign today."})
    plans.record_signature(officer, plan, {"role": "officer", "status": "signed", "signer_name": "Dana Ortiz",
                                           "image": support.signature_data_url(500, 160)})
    return plan


def test_case_report_reads_as_the_file_stands(case_file):
    case, officer = case_file["case"], case_file["officer"]
    _plan_with_signatures(case, officer, local_today())
    record = case_report.produce_case_report(officer, case, "CA", recipient="Court", origin=("/test", "127.0.0.1"))
    text = support.text_of(record)
    support.first_page_png(bytes(record.pdf), "case-report")

    assert "Case report" in text and "María García" in text and "Prepared for Court" in text
    assert "Ana García" in text and "Lincoln Elementary" in text
    # Contacts in the order they happened, the correction right after what it corrects.
    order = [text.index(s) for s in ("#1 Phone call", "#2 Home visit", "#3 Home visit", "#4 Conference")]
    assert order == sorted(order)
    assert "Corrected by #3" in text and "Correction of #2" in text
    assert "Why corrected: The notice was handed to a neighbour." in text
    assert "Rang the mother first." in text and "Transportation, Illness" in text
    assert "Occurred" in text and "Received" in text
    # Escalation, plans, and the readiness checklist of California.
    assert "Case opened at First notice sent" in text
    assert "Attendance improvement plan (version 1)" in text and "Student: Refused to sign" in text
    assert "Readiness checklist: California" in text
    assert "Conscientious effort: a conference with parent and student attempted" in text
    # Page numbers, the fingerprint printed and stored.
    pages = len(PdfReader(io.BytesIO(bytes(record.pdf))).pages)
    assert pages == record.page_count and f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    assert issue.grouped(record.content_sha256) in text
    assert record.content_sha256 == issue.sha256(record.content)
    assert record.pdf_sha256 == issue.sha256(bytes(record.pdf))
    assert "Generated by Dana Ortiz" in text
    log = AccessLog.get(AccessLog.student == case.student)
    assert (log.action, log.user_id, log.ip) == ("disclose", officer.id, "127.0.0.1")


def test_a_copy_is_checked_against_what_was_issued(case_file):
    record = case_report.produce_case_report(case_file["officer"], case_file["case"], "CA")
    original = bytes(record.pdf)
    assert issue.verify_copy(original).status == "exact"

    resaved = io.BytesIO()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(original)))
    writer.add_metadata({"/Producer": "another program"})
    writer.write(resaved)
    assert resaved.getvalue() != original
    same = issue.verify_copy(resaved.getvalue())
    assert (same.status, same.record.id) == ("same_text", record.id)

    # A forged page that carries the real fingerprint but other words.
    from fieldapp.documents.pdf import html_to_pdf
    forged, _ = html_to_pdf(f"<p>Case report: all letters were sent.</p><p>Fingerprint (SHA-256): "
                            f"{issue.grouped(record.content_sha256)}</p>")
    assert issue.verify_copy(forged).status == "altered"
    assert issue.verify_copy(b"not a pdf at all").status == "unknown"

    assert issue.find_by_fingerprint(record.content_sha256[:12].upper()).id == record.id
    assert issue.find_by_fingerprint(record.content_sha256[:6]) is None  # too short to be sure
    assert issue.intact(record)


def test_spanish_letter_is_in_spanish_and_logged_on_the_case(case_file):
    case, officer = case_file["case"], case_file["officer"]
    choice = letters.default_choice(case)
    assert (choice.language, choice.guardian.id) == ("es", case_file["guardian"].id)
    letter = letters.generate_letter(officer, case, choice, RuleSettings())
    text = support.text_of(letter.document)
    support.first_page_png(bytes(letter.document.pdf), "letter-es")

    for spanish in ("Notificación de ausentismo escolar", "Estimado/a Ana García", "Atentamente",
                    "Oficial de asistencia escolar", "Página 1 de 1", "Huella digital (SHA-256)"):
        assert spanish in text
    for english in ("Dear", "Sincerely", "Page 1", "Generated by"):
        assert english not in text
    # The share of days missed is written as Spanish writes it, with a decimal comma.
    share = json.loads(letter.document.content)["letters"][0]["counts"]["percent_missed"]
    assert share is not None and f"{share:.1f}".replace(".", ",") + "%" in text
    assert f"{share:.1f}%" not in text
    assert letter.document.page_count == 1
    contact = Contact.get_by_id(letter.contact_id)
    assert (contact.method, contact.outcome, contact.case_id) == ("letter", "letter_issued", case.id)
    assert "ca-first-notice v2" in notes_text(contact) and contact.notes == ""  # the app's words: said per reader
    assert (letter.template_id, letter.template_version, letter.language) == ("ca-first-notice", 2, "es")


def test_the_letter_text_follows_the_version_in_force_on_its_date(case_file):
    case, officer = case_file["case"], case_file["officer"]
    guardian = guardians_of(case.student)[0][0]
    old = letters.generate_letter(officer, case, LetterChoice("first_notice", "en", guardian,
                                                              datetime.date(2025, 6, 30)), RuleSettings())
    new = letters.generate_letter(officer, case, LetterChoice("first_notice", "en", guardian,
                                                              datetime.date(2025, 7, 1)), RuleSettings())
    old_text, new_text = support.text_of(old.document), support.text_of(new.document)
    assert "attend classes with your child for one day" in old_text and "June 30, 2025" in old_text
    assert "mental health and supportive services" not in old_text
    assert "mental health and supportive services" in new_text and "July 1, 2025" in new_text
    assert "subject to prosecution" not in new_text
    assert (old.template_version, new.template_version) == (1, 2)
    assert "Dear Ana García" in new_text and "Sincerely" in new_text
    report = support.text_of(case_report.produce_case_report(officer, case, "CA"))
    assert "ca-first-notice v1 Education Code 48260.5 (text in force until 30 June 2025)" in report
    assert "ca-first-notice v2 Education Code 48260.5 as amended by SB 691" in report


def test_letters_due_today_print_one_right_letter_per_family(case_file):
    school, officer = case_file["school"], case_file["officer"]
    other = factories.gen_student(school, first="Luis", last="Alvarez")
    other_case = factories.gen_case(other, officer, stage="conference")
    quiet = factories.gen_student(school, first="Zoe", last="Young")
    factories.gen_case(quiet, officer)  # monitoring, no absences: no letter due
    today = local_today()
    due = letters_due.letters_due(CA, school.id, today)
    # Luis: his stage's letter. María: truant nine times and a conference held, so the
    # referral may go ahead: its notice is her one letter. The notices the law asked
    # for before it were never sent: listed for review, not printed beside it.
    assert [(d.case.id, d.kind) for d in due] == [(other_case.id, "conference_invitation"),
                                                  (case_file["case"].id, "referral_notice")]
    assert due[0].step is None and due[0].earlier == ()
    assert due[1].step.step.code == "ca_sarb_referral"
    assert [s.step.code for s in due[1].earlier] == ["ca_first_notice", "ca_second_report",
                                                     "ca_habitual_truant"]

    record, made = letters_due.print_due_letters(officer, school, CA)
    text = support.text_of(record)
    assert len(made) == 2 and record.kind == "letter_batch" and record.page_count == 2
    assert "Invitation to an attendance conference" in text  # Luis: no guardian, English
    assert "Aviso de remisión a la Junta de Revisión de Asistencia Escolar" in text  # María, in Spanish
    assert "Notificación de ausentismo escolar" not in text
    assert "Parent or Guardian of Luis Alvarez" in text
    assert Letter.select().where(Letter.document == record).count() == 2
    assert AccessLog.select().where(AccessLog.action == "disclose").count() == 2
    assert letters_due.letters_due(CA, school.id, today) == []
    assert letters_due.print_due_letters(officer, school, CA) == (None, [])


def test_a_letter_left_unticked_stays_due(case_file):
    school, officer = case_file["school"], case_file["officer"]
    other_case = factories.gen_case(factories.gen_student(school, first="Luis", last="Alvarez"), officer,
                                    stage="conference")
    record, made = letters_due.print_due_letters(officer, school, CA, case_ids=[other_case.id])
    assert [letter.case_id for letter in made] == [other_case.id] and record.page_count == 1
    assert [d.case.id for d in letters_due.letters_due(CA, school.id, local_today())] == [case_file["case"].id]
    assert letters_due.print_due_letters(officer, school, CA, case_ids=[]) == (None, [])


def _weekdays(first, last):
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)
            if (first + datetime.timedelta(days=n)).weekday() < 5]


def test_the_law_asks_for_a_letter_before_the_case_moves_and_again_at_a_new_report(app):
    school = factories.gen_school("Lincoln Elementary")
    officer = factories.gen_user("officer", [school])
    student = factories.gen_student(school, first="Ana", last="Ruiz")
    case = factories.gen_case(student, officer)  # still at monitoring: the stage asks for nothing
    # Four weeks inside one school year that ended by today (last May, early in the year).
    today = local_today()
    end = today if (today - school_year_start(today)).days > 40 else school_year_start(today) - \
        datetime.timedelta(days=40)
    weeks = _weekdays(end - datetime.timedelta(days=27), end)
    for day in weeks[:3]:
        AttendanceEvent.create(student=student, school=school, date=day, category="unexcused")
    letter_day = weeks[5]
    due = letters_due.letters_due(CA, school.id, letter_day)
    assert [(d.kind, d.step.step.code) for d in due] == [("first_notice", "ca_first_notice")]
    noon = datetime.datetime.combine(letter_day, datetime.time(19))  # UTC: midday in the district
    letters_due.print_due_letters(officer, school, CA, now=noon)
    assert letters_due.letters_due(CA, school.id, letter_day) == []
    # A fourth truancy is a second report: the law asks for a notice again.
    AttendanceEvent.create(student=student, school=school, date=weeks[8], category="unexcused")
    due = letters_due.letters_due(CA, school.id, weeks[10])
    assert [(d.kind, d.step.step.code) for d in due] == [("first_notice", "ca_second_report")]
    # A phone call that reached the parent is a notice the statute accepts too.
    factories.gen_contact(case, officer, method="phone", outcome="reached_parent",
                          occurred_at=f"{weeks[10].isoformat()}T10:00")
    assert letters_due.letters_due(CA, school.id, weeks[10]) == []


def test_recording_how_and_when_a_letter_was_sent(case_file):
    letter = letters.generate_letter(case_file["officer"], case_file["case"],
                                     letters.default_choice(case_file["case"]), RuleSettings())
    with pytest.raises(letters.LetterError) as refused:
        letters.record_sent(case_file["officer"], letter, {"sent_how": "pigeon", "sent_at": "yesterday"})
    assert set(refused.value.errors) == {"sent_how", "sent_at"}
    with pytest.raises(letters.LetterError) as early:
        letters.record_sent(case_file["officer"], letter, {"sent_how": "mail", "sent_at": "2020-01-01T09:00"})
    assert "before the letter was made" in early.value.errors["sent_at"]
    letters.record_sent(case_file["officer"], letter, {"sent_how": "mail",
                                                       "sent_at": letter_time_after(letter)})
    assert Letter.get_by_id(letter.id).sent_how == "mail"
    with pytest.raises(letters.LetterError) as twice:
        letters.record_sent(case_file["officer"], letter, {"sent_how": "email",
                                                           "sent_at": letter_time_after(letter)})
    assert "already recorded as sent" in twice.value.errors["sent_how"]


def letter_time_after(letter):
    from fieldapp.timefmt import to_local
    return (to_local(letter.generated_at) + datetime.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M")


def test_plan_pdf_carries_the_signature_images(case_file):
    case, officer = case_file["case"], case_file["officer"]
    plan = _plan_with_signatures(case, officer, local_today())
    record = plans.produce_plan_pdf(officer, plan, "CA")
    support.first_page_png(bytes(record.pdf), "plan")
    reader = PdfReader(io.BytesIO(bytes(record.pdf)))
    images = list({image.name: image for page in reader.pages for image in page.images}.values())
    assert len(images) == 2  # guardian and officer signed; the student refused
    assert sorted(i.image.size for i in images) == [(500, 160), (600, 200)]
    text = support.text_of(record)
    assert "Attendance improvement plan" in text and "No bus on the new route." in text
    assert "Parent or guardian: Signed · Ana García" in text and record.page_count == 1
    assert "Student: Refused to sign" in text and "Did not want to sign today." in text
    assert issue.grouped(record.content_sha256) in text
    # The images are part of what the fingerprint covers.
    assert issue.sha256(bytes(plan.signatures.where(plans.Signature.role == "guardian").get().image)) in record.content


def test_changing_a_signed_plan_asks_for_new_signatures(case_file):
    case, officer = case_file["case"], case_file["officer"]
    plan = _plan_with_signatures(case, officer, local_today())
    form = {k: getattr(plan, k) for k in (*plans.TEXT_FIELDS, *plans.TRANSLATION_KEYS)}
    same = plans.save_plan(officer, case, {**form, "review_on": plan.review_on.isoformat()}, plan)
    assert same.version == 1 and len(plans.current_signatures(same)) == 3
    changed = plans.save_plan(officer, case, {**form, "goals": "Attend every day.",
                                              "review_on": plan.review_on.isoformat()}, plan)
    assert changed.version == 2 and plans.current_signatures(changed) == {}
    # The translation is part of what the family signs: changing it alone asks for new signatures too.
    retranslated = plans.save_plan(officer, case, {**form, "goals": "Attend every day.", "goals_translated":
                                                   "Asistir todos los días.",
                                                   "review_on": plan.review_on.isoformat()}, changed)
    assert retranslated.version == 3 and retranslated.translated_version == 3


def test_a_plan_needs_its_barriers_goals_and_a_sensible_review_date(app):
    with pytest.raises(plans.PlanError) as missing:
        plans.parse_plan({"review_on": "2020-01-01"})
    assert set(missing.value.errors) == {"barriers", "goals", "review_on"}
    assert "today or later" in missing.value.errors["review_on"]
    with pytest.raises(plans.PlanError) as far:
        plans.parse_plan({"barriers": "x", "goals": "y", "review_on": "2999-01-01"})
    assert "within a year" in far.value.errors["review_on"]


def test_only_a_drawn_png_is_kept_as_a_signature(app):
    import base64
    assert plans.signature_png(support.signature_data_url()).startswith(b"\x89PNG")
    blank = support.signature_data_url().split(",")[0]  # no data
    assert plans.signature_png(blank) is None
    from PIL import Image
    empty = io.BytesIO()
    Image.new("RGBA", (100, 50), (0, 0, 0, 0)).save(empty, format="PNG")
    assert plans.signature_png("data:image/png;base64," + base64.b64encode(empty.getvalue()).decode()) is None
    assert plans.signature_png("data:image/png;base64,not base64!") is None
    assert plans.signature_png("data:image/png;base64," + base64.b64encode(b"GIF89a....").decode()) is None
    assert plans.signature_png("data:image/svg+xml;base64,PHN2Zz4=") is None
    assert plans.signature_png("data:image/png;base64," + "A" * 800_000) is None


def test_every_document_is_kept_with_both_hashes(case_file):
    case_report.produce_case_report(case_file["officer"], case_file["case"], "TX")
    record = DocumentRecord.get()
    assert len(record.content_sha256) == len(record.pdf_sha256) == 64
    assert "Texas: truancy court referral" in support.text_of(record)


@pytest.mark.parametrize("typed", ["9999-12-31T23:59", "0001-01-01T00:00", "2026-02-30T10:00", "x" * 5000, ""])
def test_a_sending_time_that_is_no_time_is_an_error_not_a_crash(app, typed):
    letter = Letter(generated_at=datetime.datetime(2026, 1, 5, 17, 0))
    with pytest.raises(letters.LetterError) as refused:
        letters.parse_sent({"sent_how": "mail", "sent_at": typed}, letter,
                           now=datetime.datetime(2026, 1, 6, 17, 0))
    assert "sent_at" in refused.value.errors


def test_letters_due_read_the_stored_standings_instead_of_recomputing_them(case_file):
    """Once stored, a school's standings are read back: listing the letters
    again reads no attendance (before, every listing recomputed the year)."""
    from fieldapp.db import database
    school, today = case_file["school"], local_today()
    first = [(d.case.id, d.kind) for d in letters_due.letters_due(CA, school.id, today)]
    statements = []
    hook = lambda event: statements.append(event.sql)  # noqa: E731
    database.obj.query_hooks.append(hook)
    try:
        again = [(d.case.id, d.kind) for d in letters_due.letters_due(CA, school.id, today)]
    finally:
        database.obj.query_hooks.remove(hook)
    assert again == first == [(case_file["case"].id, "referral_notice")]
    assert statements and not [sql for sql in statements if "attendance_event" in sql]


def test_every_step_of_the_case_report_says_when_it_was_done(case_file):
    """The steps table's "Done" column read "—" on every row: each row now says the
    day its step was done, or what is still missing."""
    from fieldapp.cases import lifecycle
    case, officer = case_file["case"], case_file["officer"]
    lifecycle.change_stage(officer, case, {"stage": "conference", "note": "Two more days missed."})
    steps = case_report.case_facts(case, "CA", local_today())["steps"]
    assert [s["what"] for s in steps] == ["Case opened at First notice sent", "First notice sent → Conference"]
    assert all(s["done"] and s["done"] != "—" for s in steps), steps
    assert steps[0]["done"] == "Not yet: no “Truancy notification” on record"
    assert steps[1]["done"] == "Not yet: no “Invitation to an attendance conference” on record"
    support.gen_issued_letter(case, officer)
    steps = case_report.case_facts(case, "CA", local_today())["steps"]
    assert steps[0]["done"].startswith("Truancy notification generated ")
