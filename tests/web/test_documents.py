"""Case reports, letters, the day's letters and checking a copy, through the
pages: who may produce what, and that every document made is a disclosure."""
import datetime
import io
import re

import pytest

from fieldapp.documents import issue, letters, letters_due
from fieldapp.models import AccessLog, AttendanceEvent, Case, Contact, DocumentRecord, Letter
from fieldapp.timefmt import local_today
from tests.jobs_support import post_job
from tests import documents_support as support
from tests import factories
from tests.web.conftest import page_text


def _disclosures(student):
    return list(AccessLog.select().where((AccessLog.student == student) & (AccessLog.action == "disclose")))


def test_officer_produces_a_case_report_for_a_board(client, auth, world, login_as):
    login_as("officer")
    page = client.get(f"/cases/{world['case_a'].id}/paperwork")
    assert page.status_code == 200 and "Produce the case report" in page_text(page)
    missing = auth.post(f"/cases/{world['case_a'].id}/report", data={"recipient": ""})
    assert missing.status_code == 422 and "Choose who it is for." in page_text(missing)
    other = auth.post(f"/cases/{world['case_a'].id}/report", data={"recipient": "other"})
    assert other.status_code == 422 and "Who it is for is required." in page_text(other)
    assert DocumentRecord.select().count() == 0

    made = post_job(auth, f"/cases/{world['case_a'].id}/report", {"recipient": "sarb"})
    record = DocumentRecord.get()
    assert made.state == "done" and made.result["document_id"] == record.id
    assert f"/documents/{record.id}" in page_text(client.get(f"/jobs/{made.id}"))
    shown = page_text(client.get(f"/documents/{record.id}"))
    assert "Case report" in shown and record.content_sha256[:8] in shown
    pdf = client.get(f"/documents/{record.id}/pdf")
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    text = support.text_of(pdf.data)
    assert "Prepared for School attendance review board" in text and "María García" in text
    # Making it, then handing out a copy: two disclosures, each naming the
    # document (and so its fingerprint) and who it went to.
    lines = sorted((log.path, log.document_id, log.recipient) for log in _disclosures(world["student_a"]))
    assert lines == [(f"/cases/{world['case_a'].id}/report", record.id, "School attendance review board"),
                     (f"/documents/{record.id}/pdf", record.id, "School attendance review board")]
    login_as("supervisor")
    log_page = page_text(client.get(f"/students/{world['student_a'].id}/access-log"))
    assert log_page.count("Disclosed:</strong>") == 2 and log_page.count(f">{record.title}</a>") == 2
    assert log_page.count(issue.grouped(record.content_sha256)) == 2
    assert log_page.count("to School attendance review board") == 2


@pytest.mark.parametrize("who", ["officer", "front"])
def test_nobody_produces_paper_for_a_student_outside_their_scope(client, auth, world, login_as, who):
    login_as("officer" if who == "officer" else "front_office")
    case_b = world["case_b"]
    assert auth.post(f"/cases/{case_b.id}/report", data={"recipient": "court"}).status_code == 403
    assert client.get(f"/cases/{case_b.id}/paperwork").status_code == 403
    assert client.get(f"/cases/{case_b.id}/letters/new").status_code == 403
    assert auth.post(f"/cases/{case_b.id}/letters/new", data={"kind": "first_notice", "language": "en"}).status_code == 403
    assert auth.post("/letters/due", data={"school": world["school_b"].id}).status_code == 403
    letter = support.gen_issued_letter(case_b, world["other_officer"])
    assert client.get(f"/documents/{letter.document_id}").status_code == 403
    assert client.get(f"/documents/{letter.document_id}/pdf").status_code == 403
    assert auth.post(f"/letters/{letter.id}/sent", data={"sent_how": "mail"}).status_code == 403
    assert DocumentRecord.select().count() == 1 and _disclosures(world["student_b"]) == []


def test_front_office_may_not_open_a_case_report(client, auth, world, login_as):
    from fieldapp.documents.case_report import produce_case_report
    record = produce_case_report(world["officer"], world["case_a"], "CA")
    login_as("front_office")
    assert auth.post(f"/cases/{world['case_a'].id}/report", data={"recipient": "court"}).status_code == 403
    assert client.get(f"/documents/{record.id}/pdf").status_code == 403
    login_as("supervisor")
    assert client.get(f"/documents/{record.id}/pdf").status_code == 200


def test_letter_in_the_guardians_language_then_its_sending(client, auth, world, login_as):
    support.add_attendance(world["student_a"], world["school_a"], unexcused=4, tardies=0)
    guardian = factories.gen_guardian([world["student_a"]], first="Rosa", last="Díaz", preferred_language="es")
    login_as("officer")
    form = page_text(client.get(f"/cases/{world['case_a'].id}/letters/new?kind=first_notice"))
    assert 'value="es" checked' in form or 'value="en" checked' in form
    bad = auth.post(f"/cases/{world['case_a'].id}/letters/new",
                    data={"kind": "summons", "language": "fr", "guardian": "999", "letter_date": "soon"})
    assert bad.status_code == 422
    for message in ("Choose a letter from the list.", "Choose a language from the list.",
                    "Choose a guardian of this student from the list.", "Give the date as YYYY-MM-DD."):
        assert message in page_text(bad)

    made = auth.post(f"/cases/{world['case_a'].id}/letters/new",
                     data={"kind": "first_notice", "language": "es", "guardian": str(guardian.id)})
    assert made.status_code == 302
    letter = Letter.get()
    assert (letter.language, letter.guardian_id, letter.template_id) == ("es", guardian.id, "ca-first-notice")
    assert "Estimado/a Rosa Díaz" in support.text_of(letter.document)
    assert Contact.get_by_id(letter.contact_id).method == "letter"
    assert len(_disclosures(world["student_a"])) == 1

    wrong = auth.post(f"/letters/{letter.id}/sent", data={"sent_how": "", "sent_at": "2999-01-01T10:00"})
    assert wrong.status_code == 422
    assert "Choose how it was sent." in page_text(wrong) and "in the future" in page_text(wrong)
    sent_at = support.letter_sent_time(letter)
    done = auth.post(f"/letters/{letter.id}/sent", data={"sent_how": "certified_mail", "sent_at": sent_at,
                                                         "back": f"/cases/{world['case_a'].id}/paperwork"})
    assert done.status_code == 302 and done.headers["Location"] == f"/cases/{world['case_a'].id}/paperwork"
    assert "Certified mail" in page_text(client.get(done.headers["Location"]))
    offsite = auth.post(f"/letters/{letter.id}/sent", data={"sent_how": "mail", "sent_at": sent_at,
                                                            "back": "//evil.example/"})
    assert offsite.status_code == 422  # already sent: told so, and never sent elsewhere


def test_front_office_prints_the_days_letters_for_their_school(client, auth, world, login_as):
    case = support.gen_truant_case(world["school_a"], world["officer"], "Ava", "Brown")
    student = case.student
    login_as("front_office")
    page = page_text(client.get("/letters/due"))
    assert "Brown, Ava" in page and "Make and print the ticked letters as one PDF" in page
    printed = post_job(auth, "/letters/due", {"school": world["school_a"].id})
    assert printed.result["letters"] == 1
    letter = Letter.get(Letter.case == case)
    contact = Contact.get_by_id(letter.contact_id)
    assert (contact.method, contact.author_id) == ("letter", world["front"].id)
    assert len(_disclosures(student)) == 1
    again = post_job(auth, "/letters/due", {"school": world["school_a"].id})
    assert again.result["letters"] == 0 and Letter.select().count() == 1
    assert "No letters are due" in page_text(client.get(f"/jobs/{again.id}"))


def test_a_long_list_of_letters_prints_a_stack_at_a_time(client, auth, world, login_as, monkeypatch):
    monkeypatch.setattr(letters_due, "PRINT_AT_ONCE", 2)
    cases = [support.gen_truant_case(world["school_a"], world["officer"], "Ava", last)
             for last in ("Cruz", "Ávila", "Brown")]
    login_as("front_office")
    page = page_text(client.get("/letters/due"))
    assert "3 families have a letter due at" in page
    assert "Make and print the ticked letters of the first 2 as one PDF" in page
    assert "printed 2 at a time, in the order above; 1 more stays on this list for the next print" in page
    assert page.index("Ávila, Ava") < page.index("Brown, Ava") and "Cruz, Ava" not in page
    assert post_job(auth, "/letters/due", {"school": world["school_a"].id}).result["letters"] == 2
    assert [Letter.get(Letter.case == c).case_id for c in cases[1:]] == [c.id for c in cases[1:]]
    assert not Letter.select().where(Letter.case == cases[0]).exists()
    page = page_text(client.get("/letters/due"))
    assert "Cruz, Ava" in page and "Make and print the ticked letters as one PDF" in page


def test_a_letter_unticked_before_printing_is_not_made(client, auth, world, login_as):
    ava, ben = (support.gen_truant_case(world["school_a"], world["officer"], first, "Brown")
                for first in ("Ava", "Ben"))
    login_as("officer")
    page = page_text(client.get(f"/letters/due?school={world['school_a'].id}"))
    for case in (ava, ben):
        assert re.search(f'name="case" value="{case.id}:first_notice:[0-9-]+" checked', page)
    school = world["school_a"].id
    none = auth.post("/letters/due", data={"school": school, "ticks": "1"})
    assert none.status_code == 422 and "Tick at least one letter to print." in page_text(none)
    assert 'name="case" value="%d:first_notice:' % ava.id in page_text(none) and Letter.select().count() == 0
    made = post_job(auth, "/letters/due", {"school": school, "ticks": "1", "case": [f"{ben.id}:first_notice"]})
    assert made.result["letters"] == 1 and [x.case_id for x in Letter.select()] == [ben.id]
    page = page_text(client.get(f"/letters/due?school={school}"))
    assert "Brown, Ava" in page and "Brown, Ben" not in page


def test_a_letter_that_changed_since_the_list_was_shown_is_not_printed_unseen(client, auth, world, login_as):
    ava, ben = (support.gen_truant_case(world["school_a"], world["officer"], first, "Brown")
                for first in ("Ava", "Ben"))
    login_as("officer")
    school = world["school_a"].id
    page = page_text(client.get(f"/letters/due?school={school}"))
    assert f'value="{ava.id}:first_notice:' in page and f'value="{ben.id}:first_notice:' in page
    # While the list is open, Ava misses a fifth day after a call to arrange a conference:
    # she now owes the referral notice.
    factories.gen_contact(ava, world["officer"], method="phone", outcome="no_answer")
    weekday = local_today() - datetime.timedelta(days=max(0, local_today().weekday() - 4))
    AttendanceEvent.create(student=ava.student, school=world["school_a"], date=weekday,
                           category="unexcused", minutes=0)
    assert f'value="{ava.id}:referral_notice:' in page_text(client.get(f"/letters/due?school={school}"))
    made = post_job(auth, "/letters/due", {"school": school, "ticks": "1",
                                           "case": [f"{ava.id}:first_notice", f"{ben.id}:first_notice"]})
    assert made.result["letters"] == 1 and [x["why"] for x in made.result["left_out"]] == ["other"]
    assert [(x.case_id, x.kind) for x in Letter.select()] == [(ben.id, "first_notice")]
    assert ("Truancy notification for Ava Brown: the case now owes another letter, Notice of referral to the attendance review board; "
            "it stays on the list to review.") in page_text(client.get(f"/jobs/{made.id}"))
    assert "Brown, Ava" in page_text(client.get(f"/letters/due?school={school}"))


def test_checking_a_copy_by_file_and_by_fingerprint(client, auth, world, login_as):
    from fieldapp.documents.case_report import produce_case_report
    record = produce_case_report(world["officer"], world["case_a"], "CA")
    login_as("supervisor")
    exact = auth.post("/documents/verify", data={"copy": (io.BytesIO(bytes(record.pdf)), "copy.pdf")},
                      content_type="multipart/form-data")
    assert exact.status_code == 200 and "This is the document as issued" in page_text(exact)
    junk = auth.post("/documents/verify", data={"copy": (io.BytesIO(b"%PDF-1.4 nonsense"), "x.pdf")},
                     content_type="multipart/form-data")
    assert "No document you may open matches" in page_text(junk)
    typed = client.get("/documents/verify", query_string={"fingerprint": record.content_sha256[:16].upper()})
    assert "Issued document found" in page_text(typed) and record.title in page_text(typed)
    login_as(world["other_officer"])  # school B: the document is outside their scope
    elsewhere = client.get("/documents/verify", query_string={"fingerprint": record.content_sha256})
    assert elsewhere.status_code == 200 and record.title not in page_text(elsewhere)


def test_cli_writes_the_report_and_logs_the_disclosure(app, world, tmp_path):
    out = tmp_path / "report.pdf"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["case-report", str(world["case_a"].id), "--out", str(out), "--for", "Court"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF") and "fingerprint" in result.output
    log = _disclosures(world["student_a"])[0]
    assert log.user.email == "command-line@fieldapp.invalid" and not log.user.active
    assert log.ip.startswith("cli:")
    checked = runner.invoke(args=["verify-document", str(out)])
    assert checked.exit_code == 0 and "Exact copy" in checked.output
    refused = runner.invoke(args=["case-report", str(world["case_b"].id), "--out", str(out),
                                  "--user", world["officer"].email])
    assert refused.exit_code != 0 and "may not produce" in refused.output
    missing = runner.invoke(args=["case-report", "987654", "--out", str(out)])
    assert missing.exit_code != 0 and "no case 987654" in missing.output


def test_cli_makes_the_days_letters_with_a_progress_bar(app, world, tmp_path):
    students = [support.gen_truant_case(world["school_a"], world["officer"], first, "Brown").student
                for first in ("Ava", "Ben")]
    out = tmp_path / "letters.pdf"
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["letters-due", str(world["school_a"].id), "--out", str(out),
                                  "--user", world["admin"].email])
    assert refused.exit_code != 0 and "may not make letters" in refused.output and not out.exists()
    result = runner.invoke(args=["letters-due", world["school_a"].sourced_id, "--out", str(out),
                                 "--user", world["front"].email])
    assert result.exit_code == 0, result.output
    assert "Wrote" in result.stdout and "2 letters" in result.stdout
    assert out.read_bytes().startswith(b"%PDF") and Letter.select().count() == 2
    for step in ("Gathering each family's letter", "Laying out the pages",
                 "Keeping the document and logging each letter"):
        assert step in result.stderr and step not in result.stdout
    assert all(len(_disclosures(student)) == 1 for student in students)
    again = runner.invoke(args=["letters-due", str(world["school_a"].id), "--out", str(out)])
    assert again.exit_code == 0 and "No letters are due" in again.output and Letter.select().count() == 2


@pytest.mark.parametrize("url,data", [
    ("/cases/{case}/letters/new", {"kind": "first_notice", "language": "en", "letter_date": "9999-12-31"}),
    ("/cases/{case}/letters/new", {"kind": "first_notice\x00", "language": "en" * 5000}),
    ("/cases/{case}/report", {"recipient": "other", "recipient_other": "x" * 500}),
    ("/letters/due", {"school": "9" * 40}),
    ("/cases/{case}/plans/new", {"barriers": "x" * 4001, "goals": "y", "review_on": "9999-12-31"}),
    ("/cases/{case}/plans/new", {"barriers": "x", "goals": "y", "review_on": "31/12/2026"}),
])
def test_hostile_input_gets_an_answer_not_a_crash(client, auth, world, login_as, url, data):
    login_as("officer")
    response = auth.post(url.format(case=world["case_a"].id), data=data)
    assert response.status_code in (404, 422), response.status_code
    assert DocumentRecord.select().count() == 0 and Letter.select().count() == 0


def test_looking_up_odd_fingerprints(client, world, login_as):
    login_as("officer")
    for typed in ("\x00\x01" + "ab" * 8, "zz" * 100, "0" * 64, "%_%_%_%_%_%_%_"):
        page = client.get("/documents/verify", query_string={"fingerprint": typed})
        assert page.status_code == 200 and "No document you may open matches" in page_text(page)
    controls = client.get("/documents/verify", query_string={"fingerprint": "\x00\x01"})
    assert controls.status_code == 200 and "verdict" not in page_text(controls)  # nothing was typed


def test_a_forged_forwarded_address_is_not_written_as_the_disclosures_origin(client, auth, world, login_as):
    login_as("officer")
    post_job(auth, f"/cases/{world['case_a'].id}/report", {"recipient": "court"},
             headers={"X-Forwarded-For": "203.0.113.9"})
    assert [log.ip for log in _disclosures(world["student_a"])] == ["127.0.0.1"]


def test_a_batch_is_recorded_as_sent_at_once_with_its_exceptions(client, auth, world, login_as):
    cases = [support.gen_truant_case(world["school_a"], world["officer"], first, "Brown")
             for first in ("Ava", "Ben", "Cy")]
    login_as("officer")
    printed = post_job(auth, "/letters/due", {"school": world["school_a"].id})
    doc = f"/documents/{printed.result['document_id']}"
    page = page_text(client.get(doc))
    assert "Record the sending of the whole batch" in page
    assert "all 3 letters not yet sent are ticked" in page
    batch = [Letter.get(Letter.case == case) for case in cases]
    when = support.letter_sent_time(batch[0])
    nothing = auth.post(f"{doc}/sent", data={"sent_how": "mail", "sent_at": when, "ticks": "1"})
    assert nothing.status_code == 422 and "Tick the letters that went out this way." in page_text(nothing)
    bad = auth.post(f"{doc}/sent", data={"sent_how": "owl", "sent_at": "", "letter": [str(batch[0].id)]})
    assert bad.status_code == 422 and "Give the date and time as YYYY-MM-DD HH:MM." in page_text(bad)
    assert not Letter.select().where(Letter.sent_at.is_null(False)).exists()
    # Cy's letter came back from the printer smudged: left unticked.
    done = auth.post(f"{doc}/sent", data={"sent_how": "mail", "sent_at": when,
                                           "letter": [str(batch[0].id), str(batch[1].id)]})
    assert done.status_code == 302
    after = page_text(client.get(doc))
    assert "Sending recorded for 2 letters." in after and "1 letter left unticked" in after
    sent = {x.case_id: (x.sent_how, x.sent_recorded_by_id) for x in Letter.select()}
    assert sent == {cases[0].id: ("mail", world["officer"].id), cases[1].id: ("mail", world["officer"].id),
                    cases[2].id: ("", None)}
    assert "Record the sending of the whole batch" not in after  # one left: its own form
    assert after.count('action="/letters/') == 1


def test_an_administrator_gives_a_school_its_address_and_phone(client, auth, world, login_as):
    login_as("officer")
    form = page_text(client.get(f"/cases/{world['case_a'].id}/letters/new"))
    assert "Lincoln Elementary has no phone or address on file" in form and "Your phone is not on file" in form
    login_as("admin")
    school = world["school_a"]
    listing = page_text(client.get("/admin/schools"))
    assert "Lincoln Elementary" in listing and "missing" in listing
    bad = auth.post(f"/admin/schools/{school.id}", data={"address": "400 Lincoln Ave", "phone": "call us"})
    assert bad.status_code == 422 and "Give a phone number of 7 to 15 digits" in page_text(bad)
    assert 'value="call us"' in page_text(bad) and "400 Lincoln Ave" in page_text(bad)  # kept to fix
    saved = auth.post(f"/admin/schools/{school.id}", data={"address": "400 Lincoln Ave", "phone": "(951) 555-0100"})
    assert saved.status_code == 303
    assert "(951) 555-0100" in page_text(client.get("/admin/schools"))
    login_as("officer")
    assert client.get("/admin/schools").status_code == 403
    mine = auth.post("/account/phone", data={"phone": "(951) 555-0177"})
    assert mine.status_code == 302 and world["officer"].__class__.get_by_id(world["officer"].id).phone == "(951) 555-0177"
    form = page_text(client.get(f"/cases/{world['case_a'].id}/letters/new"))
    assert "no phone or address on file" not in form and "Your phone is not on file" not in form


def _verdict(response, fingerprint=""):
    """The answer section of the check page, with the fingerprint asked about blanked out."""
    import re
    text = page_text(response)
    section = re.search(r'<section class="verdict.*?</section>', text, re.S).group(0)
    return section.replace(fingerprint, "FINGERPRINT") if fingerprint else section


def test_a_document_the_user_may_not_open_is_answered_as_unknown(client, auth, world, login_as):
    from fieldapp.documents.case_report import produce_case_report
    from fieldapp.models import AuditEvent
    record = produce_case_report(world["officer"], world["case_a"], "CA")
    unknown = "0123456789abcdef" * 4
    # An officer of another school; roles that may not open a case report.
    for who in (world["other_officer"], "admin", "front_office"):
        login_as(who)
        found = client.get("/documents/verify", query_string={"fingerprint": record.content_sha256})
        nothing = client.get("/documents/verify", query_string={"fingerprint": unknown})
        assert _verdict(found, record.content_sha256) == _verdict(nothing, unknown), str(who)
        assert record.title not in page_text(found) and world["officer"].name not in page_text(found)
        upload = auth.post("/documents/verify", data={"copy": (io.BytesIO(bytes(record.pdf)), "c.pdf")},
                           content_type="multipart/form-data")
        assert upload.status_code == 200 and record.title not in page_text(upload)
    # Each look-up is in the audit trail, those refused included; no access line was written.
    checks = list(AuditEvent.select().where(AuditEvent.action == "document.verify"))
    assert len(checks) == 9
    assert sum("not shown" in c.detail for c in checks) == 6
    assert _disclosures(world["student_a"]) and not [
        line for line in AccessLog.select().where(AccessLog.action == "verify")]


def test_a_look_up_that_shows_a_document_is_on_the_students_access_log(client, world, login_as):
    from fieldapp.documents.case_report import produce_case_report
    record = produce_case_report(world["officer"], world["case_a"], "CA")
    supervisor = login_as("supervisor")
    client.get("/documents/verify", query_string={"fingerprint": record.content_sha256[:20]})
    line = AccessLog.get(AccessLog.action == "verify")
    assert (line.student_id, line.user_id, line.path) == (
        world["student_a"].id, supervisor.id, f"/documents/verify?fingerprint={record.content_sha256[:20]}")


def test_a_copy_past_the_reading_budget_gets_a_message_not_a_stuck_worker(client, auth, world, login_as):
    from tests.unit.test_documents_reading import inflating_pdf
    login_as("officer")
    response = auth.post("/documents/verify", data={"copy": (io.BytesIO(inflating_pdf(20)), "big.pdf")},
                         content_type="multipart/form-data")
    assert response.status_code == 422
    assert "cannot be checked here. Type the fingerprint" in page_text(response)
    assert 'id="copy-error"' in page_text(response)


def test_a_hidden_document_sharing_a_typed_prefix_changes_nothing_a_user_is_told(client, world, login_as):
    """A fingerprint typed short finds the one document the user may open that
    begins with it: a document of another school sharing the prefix neither
    hides it nor tells that it exists."""
    from fieldapp.documents.case_report import produce_case_report
    from fieldapp.models import DocumentRecord
    mine = produce_case_report(world["officer"], world["case_a"], "CA")
    theirs = produce_case_report(world["other_officer"], world["case_b"], "CA")
    prefix = mine.content_sha256[:12]
    DocumentRecord.update(content_sha256=prefix + theirs.content_sha256[12:]).where(
        DocumentRecord.id == theirs.id).execute()
    login_as("officer")
    found = client.get("/documents/verify", query_string={"fingerprint": prefix})
    assert mine.title in page_text(found) and world["student_b"].first_name not in page_text(found)
    # The other school's officer is answered as if the officer's document were not there.
    login_as(world["other_officer"])
    theirs_found = client.get("/documents/verify", query_string={"fingerprint": prefix})
    assert theirs.title in page_text(theirs_found) and world["student_a"].last_name not in \
        _verdict(theirs_found, prefix)
