"""A stage the law ties to a letter and the record agree; closing a case the
law is not done with is confirmed and explained."""
from fieldapp.rules.settings import RuleSettings
from fieldapp.cases.history_text import note_text
from fieldapp.documents import case_report, letters
from fieldapp.models import Case, CaseEvent
from tests import documents_support as support
from tests import factories
from tests.web.conftest import page_text

WITHOUT = "recorded without a letter on file"


def test_first_notice_sent_needs_the_notice_or_says_it_is_not_on_file(client, auth, world, login_as):
    case = world["case_a"]
    login_as("officer")
    refused = auth.post(f"/cases/{case.id}/stage", data={"stage": "first_notice", "note": "Threshold reached."})
    assert refused.status_code == 422 and "No letter of this step is on file" in page_text(refused)
    assert Case.get_by_id(case.id).stage == "monitoring"
    on_purpose = auth.post(f"/cases/{case.id}/stage", data={
        "stage": "first_notice", "without_record": "yes", "note": "Notice mailed on paper in August."})
    assert on_purpose.status_code == 302
    student_page = page_text(client.get(f"/students/{world['student_a'].id}"))
    assert f"First notice sent — {WITHOUT}" in student_page
    assert f"First notice sent — {WITHOUT}" in page_text(client.get("/caseload"))
    report = support.text_of(case_report.produce_case_report(world["officer"], Case.get_by_id(case.id), "CA"))
    assert f"First notice sent ({WITHOUT})" in report
    # The notice made in the app, on a record that shows the truancies, puts the record straight.
    support.add_attendance(world["student_a"], world["school_a"])
    stored = Case.get_by_id(case.id)
    letters.generate_letter(world["officer"], stored, letters.default_choice(stored, "first_notice"), RuleSettings())
    assert not Case.get_by_id(case.id).stage_without_record
    assert f"First notice sent — {WITHOUT}" not in page_text(client.get(f"/students/{world['student_a'].id}"))


def test_a_referral_with_its_notice_on_file_needs_nothing_more(client, auth, world, login_as):
    case = world["case_a"]
    support.add_attendance(world["student_a"], world["school_a"])
    support.log(case, world["officer"], 1, method="phone", outcome="no_answer")  # the effort to meet (EC 48262)
    letters.generate_letter(world["officer"], case, letters.default_choice(case, "referral_notice"), RuleSettings())
    login_as("officer")
    moved = auth.post(f"/cases/{case.id}/stage", data={"stage": "referral", "note": "Referred to SARB."})
    assert moved.status_code == 302
    stored = Case.get_by_id(case.id)
    assert (stored.stage, stored.stage_without_record) == ("referral", False)


def test_closing_with_overdue_steps_of_the_law_is_confirmed_and_says_why(client, auth, world, login_as):
    support.add_attendance(world["student_a"], world["school_a"])  # truant for weeks: the referral is overdue
    case = world["case_a"]
    login_as("officer")
    form = page_text(client.get(f"/cases/{case.id}/close"))
    assert "The law still asks for steps on this case" in form
    assert "Refer to the School Attendance Review Board, with written notice to the parent (EC 48263): overdue since" in form
    plain = auth.post(f"/cases/{case.id}/close", data={"closure_reason": "attendance_improved"})
    assert plain.status_code == 422 and "Tick to confirm closing it anyway." in page_text(plain)
    assert "Say why the case closes with these steps outstanding." in page_text(plain)
    assert Case.get_by_id(case.id).is_open
    closed = auth.post(f"/cases/{case.id}/close", data={
        "closure_reason": "moved_away", "confirm_legal": "yes", "closure_note": "Family moved to Oregon."})
    assert closed.status_code == 302 and not Case.get_by_id(case.id).is_open
    event = CaseEvent.get((CaseEvent.case == case) & (CaseEvent.kind == "closed"))
    assert (event.note, event.note_code) == ("Family moved to Oregon.", "closed_outstanding")
    said = str(note_text(event))  # in the case report, and on screen in the reader's language
    assert said.startswith("Family moved to Oregon. (Closed with the law's steps outstanding, confirmed: ")
    assert "(EC 48263): overdue since" in said


def test_a_case_with_nothing_outstanding_closes_as_before(client, auth, world, login_as):
    login_as("officer")
    form = page_text(client.get(f"/cases/{world['case_a'].id}/close"))
    assert "The law still asks" not in form
    done = auth.post(f"/cases/{world['case_a'].id}/close", data={"closure_reason": "attendance_improved"})
    assert done.status_code == 302


def test_a_spanish_officer_reads_the_outstanding_steps_in_spanish(client, auth, world, login_as):
    """The close form listed the law's outstanding steps in English with an ISO date
    ('…(EC 48263): overdue since 2026-11-25') on a Spanish screen; the case history keeps
    the record's English lines."""
    from fieldapp.models import User
    support.add_attendance(world["student_a"], world["school_a"])
    User.update(language="es").where(User.id == world["officer"].id).execute()
    case = world["case_a"]
    login_as("officer")
    form = page_text(client.get(f"/cases/{case.id}/close"))
    assert "Remitir a la junta de revisión de asistencia escolar (SARB), con aviso por escrito al padre o la madre (EC 48263): atrasado desde el" in form
    assert "overdue since" not in form and "Refer to the School" not in form
    closed = auth.post(f"/cases/{case.id}/close", data={
        "closure_reason": "moved_away", "confirm_legal": "yes", "closure_note": "Se mudó a Oregón."})
    assert closed.status_code == 302
    event = CaseEvent.get((CaseEvent.case == case) & (CaseEvent.kind == "closed"))
    assert (event.note, event.note_code) == ("Se mudó a Oregón.", "closed_outstanding")
    report = support.text_of(case_report.produce_case_report(world["officer"], Case.get_by_id(case.id), "CA"))
    assert "Se mudó a Oregón. (Closed with the law's steps outstanding" in report  # the report is English
