"""Attendance plans on the phone: writing, signing with a finger (the PNG the
canvas posts), refusing, the PDF, and review dates on the caseload."""
import datetime

from fieldapp.models import DocumentRecord, Plan, Signature
from fieldapp.timefmt import local_today
from tests import documents_support as support
from tests.web.conftest import page_text


def _review(days=21):
    return (local_today() + datetime.timedelta(days=days)).isoformat()


def test_officer_writes_a_plan_and_fixes_what_is_missing(client, auth, world, login_as):
    login_as("officer")
    url = f"/cases/{world['case_a'].id}/plans/new"
    assert "Barriers found" in page_text(client.get(url))
    empty = auth.post(url, data={"goals": "Attend daily.", "review_on": "2001-01-01"})
    text = page_text(empty)
    assert empty.status_code == 422
    assert "Barriers found is required." in text and "today or later" in text
    assert "Attend daily." in text  # what was typed is kept
    saved = auth.post(url, data={"barriers": "Bus route changed.", "goals": "Attend daily.",
                                 "school_supports": "Bus pass.", "review_on": _review()})
    plan = Plan.get()
    assert saved.status_code == 302 and saved.headers["Location"] == f"/plans/{plan.id}"
    shown = page_text(client.get(saved.headers["Location"]))
    assert "Bus route changed." in shown and "not yet" in shown


def test_signatures_drawn_refused_and_the_pdf(client, auth, world, login_as):
    plan = support.gen_plan(world["case_a"], world["officer"])
    login_as("officer")
    page = page_text(client.get(f"/plans/{plan.id}/sign/guardian"))
    assert "data-signature" in page and "js/signature.js" in page
    blank = auth.post(f"/plans/{plan.id}/sign/guardian", data={"status": "signed", "signer_name": "Ana García",
                                                                "image": ""})
    assert blank.status_code == 422 and "Draw the signature in the box" in page_text(blank)
    assert "Ana García" in page_text(blank)
    signed = auth.post(f"/plans/{plan.id}/sign/guardian", data={
        "status": "signed", "signer_name": "Ana García", "image": support.signature_data_url()})
    assert signed.status_code == 302
    no_note = auth.post(f"/plans/{plan.id}/sign/student", data={"status": "refused"})
    assert no_note.status_code == 422 and "A note saying why is required." in page_text(no_note)
    auth.post(f"/plans/{plan.id}/sign/student", data={"status": "unavailable", "note": "At his aunt's."})
    assert auth.post(f"/plans/{plan.id}/sign/cousin", data={"status": "refused"}).status_code == 404
    stored = Signature.get(Signature.role == "guardian")
    assert bytes(stored.image).startswith(b"\x89PNG") and stored.plan_version == 1
    shown = page_text(client.get(f"/plans/{plan.id}"))
    assert "Signed · Ana García" in shown and "Not available" in shown and "At his aunt&#39;s." in shown

    made = auth.post(f"/plans/{plan.id}/pdf")
    record = DocumentRecord.get(DocumentRecord.kind == "plan")
    assert made.headers["Location"] == f"/documents/{record.id}"
    pdf = client.get(f"/documents/{record.id}/pdf")
    text = support.text_of(pdf.data)
    assert "Parent or guardian: Signed · Ana García" in text and "Student: Not available" in text


def test_editing_a_signed_plan_makes_a_new_version(client, auth, world, login_as):
    plan = support.gen_plan(world["case_a"], world["officer"])
    login_as("officer")
    auth.post(f"/plans/{plan.id}/sign/guardian", data={
        "status": "signed", "signer_name": "Ana García", "image": support.signature_data_url()})
    form = page_text(client.get(f"/plans/{plan.id}/edit"))
    assert "needs signing again" in form
    edited = auth.post(f"/plans/{plan.id}/edit", data={"barriers": "Transportation.", "goals": "Attend daily; be on time.",
                                                       "review_on": plan.review_on.isoformat()})
    assert edited.status_code == 302
    assert Plan.get_by_id(plan.id).version == 2
    shown = page_text(client.get(f"/plans/{plan.id}"))
    assert "version 2" in shown and "Signed · Ana García" not in shown


def test_review_dates_on_the_officers_caseload(client, world, login_as):
    support.gen_plan(world["case_a"], world["officer"], review_in_days=0)
    support.gen_plan(world["case_b"], world["other_officer"], review_in_days=3)
    login_as("officer")
    caseload = page_text(client.get("/caseload"))
    assert 'hx-get="/plans/reviews"' in caseload and 'hx-trigger="load"' in caseload
    fragment = client.get("/plans/reviews", headers={"HX-Request": "true"})
    text = page_text(fragment)
    assert "<html" not in text and "Plan reviews" in text
    assert "García, María" in text and "Review today" in text
    assert "Núñez" not in text  # another officer's case
    assert "<html" in page_text(client.get("/plans/reviews"))  # without JavaScript: a page


def test_plans_of_another_school_are_out_of_reach(client, auth, world, login_as):
    plan = support.gen_plan(world["case_b"], world["other_officer"])
    login_as("officer")
    assert client.get(f"/plans/{plan.id}").status_code == 403
    assert auth.post(f"/plans/{plan.id}/sign/guardian", data={"status": "refused", "note": "x"}).status_code == 403
    assert auth.post(f"/plans/{plan.id}/pdf").status_code == 403
    assert Signature.select().count() == 0 and DocumentRecord.select().count() == 0
