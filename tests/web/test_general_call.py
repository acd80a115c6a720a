"""The front office takes a call about a student who has no open case: it is
logged as a real contact (never edited, corrected by an amendment), shown on
the student's page and in the district contact log, and opens no case."""
import datetime
import re
import uuid

import pytest

from fieldapp.models import utcnow
from fieldapp.timefmt import to_local

from fieldapp.models import AccessLog, Case, Contact
from tests import factories
from tests.web.conftest import page_text, row_counts


@pytest.fixture
def no_case(world):
    """A student of school A with no case at all."""
    return factories.gen_student(world["school_a"], first="Lucía", last="Pérez")


def _call(**overrides):
    form = dict(method="phone", outcome="reached_parent", people_present=[],
                notes="Mother called: Lucía has the flu this week.", uuid=str(uuid.uuid4()),
                occurred_at=_an_hour_ago())
    return factories.contact_form(**{**form, **overrides})


def _an_hour_ago():
    """As the form fills it in: the local time, to the minute."""
    return to_local(utcnow() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")


def test_the_front_office_logs_a_call_for_a_student_without_a_case(auth, login_as, world, no_case):
    login_as("front_office")
    page = page_text(auth.client.get(f"/students/{no_case.id}"))
    assert f'href="/students/{no_case.id}/calls/new"' in page
    form = auth.client.get(f"/students/{no_case.id}/calls/new")
    assert form.status_code == 200 and "Log a phone call" in page_text(form)
    data = _call()
    answer = auth.post(f"/students/{no_case.id}/calls/new", data=data)
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/students/{no_case.id}#timeline")
    call = Contact.get(Contact.student == no_case)
    assert (call.case_id, call.method, call.outcome, call.author_id) == (None, "phone", "reached_parent",
                                                                          world["front"].id)
    assert not Case.select().where(Case.student == no_case).exists()
    # The same form sent twice (a double tap) stores one call.
    assert auth.post(f"/students/{no_case.id}/calls/new", data=data).status_code == 302
    assert Contact.select().where(Contact.student == no_case).count() == 1
    shown = page_text(auth.client.get(f"/students/{no_case.id}"))
    assert "Mother called: Lucía has the flu this week." in shown and "No case" in shown
    login_as("supervisor")
    log = page_text(auth.client.get(f"/supervisor/contacts?student={no_case.id}"))
    assert "Mother called: Lucía has the flu this week." in log and "No case" in log


def test_a_call_form_with_mistakes_says_what_to_fix_and_keeps_what_was_typed(auth, login_as, no_case):
    login_as("front_office")
    before = row_counts()
    answer = auth.post(f"/students/{no_case.id}/calls/new", data=_call(outcome="note_received",
                                                                       notes="Left a message about Monday"))
    assert answer.status_code == 422
    page = page_text(answer)
    assert "is not an outcome of" in page and "Left a message about Monday" in page
    other = auth.post(f"/students/{no_case.id}/calls/new", data=_call(method="excuse_note",
                                                                     outcome="note_received"))
    assert other.status_code == 422 and "Only a phone call is logged without a case" in page_text(other)
    assert row_counts() == before


def test_a_student_with_an_open_case_has_the_call_logged_on_the_case(auth, login_as, world):
    student = world["student_a"]
    login_as("front_office")
    answer = auth.client.get(f"/students/{student.id}/calls/new")
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"/cases/{world['case_a'].id}/contacts/new?method=phone")
    before = Contact.select().count()
    refused = auth.post(f"/students/{student.id}/calls/new", data=_call())
    assert refused.status_code == 422 and "log the call on the case" in page_text(refused)
    assert Contact.select().count() == before


def test_a_call_is_corrected_by_an_amendment_its_author_writes(auth, login_as, world, no_case):
    login_as("front_office")
    auth.post(f"/students/{no_case.id}/calls/new", data=_call())
    original = Contact.get(Contact.student == no_case)
    page = page_text(auth.client.get(f"/students/{no_case.id}"))
    assert f'href="/contacts/{original.id}/amend"' in page
    assert auth.client.get(f"/contacts/{original.id}/amend").status_code == 200
    answer = auth.post(f"/contacts/{original.id}/amend",
                       data=_call(outcome="voicemail", amendment_reason="It was the voicemail, not the mother."))
    assert answer.status_code == 302
    correction = Contact.get(Contact.amends == original)
    assert (correction.case_id, correction.outcome, correction.student_id) == (None, "voicemail", no_case.id)
    assert Contact.get_by_id(original.id).outcome == "reached_parent"  # the original stays as it was
    # Another user's call is not theirs to correct; a supervisor may.
    assert auth.client.get(f"/contacts/{world['contact_a'].id}/amend").status_code == 403
    login_as("officer")
    assert auth.client.get(f"/contacts/{original.id}/amend").status_code == 403
    login_as("supervisor")
    assert auth.client.get(f"/contacts/{correction.id}/amend").status_code == 200


def test_showing_the_call_form_is_logged_as_a_view_of_the_record(auth, login_as, world, no_case):
    login_as("front_office")
    auth.client.get(f"/students/{no_case.id}/calls/new")
    assert AccessLog.select().where((AccessLog.student == no_case) & (AccessLog.user == world["front"])).exists()


def test_tapping_a_guardians_number_for_a_student_without_a_case_opens_the_call_form(auth, login_as, world,
                                                                                      no_case):
    """As for a student with a case, the number starts the call and the page goes on to the
    call's form, filled in with whom it was to, to finish after the call."""
    closed = factories.gen_student(world["school_a"], first="Iker", last="Soto")
    factories.gen_case(closed, world["officer"])
    Case.update(status="closed").where(Case.student == closed).execute()
    for student in (no_case, closed):
        guardian = factories.gen_guardian([student], first="Rosa", last="Pérez", phone="(555) 201-7788")
        login_as("front_office")
        page = page_text(auth.client.get(f"/students/{student.id}"))
        form_url = f"/students/{student.id}/calls/new?guardian={guardian.id}&amp;number=phone"
        assert f'href="tel:5552017788" data-log-call="{form_url}"' in page
        form = page_text(auth.client.get(form_url.replace("&amp;", "&")))
        assert "Log a phone call" in form and "Called Rosa Pérez (Mother) at (555) 201-7788." in form
        assert 'name="people_present" value="parent" checked' in form


def test_a_front_office_call_is_a_record_of_contact_not_the_truancy_notification(auth, login_as, world,
                                                                                   no_case):
    """A reviewer logged 'Reached parent, called mum' for a truant student with no
    case: 'Next step' went from the overdue first notification to 'None due', the
    one call counted as the EC 48260.5 notification and the EC 48261 second report,
    and the student left the worklist's Overdue section."""
    from tests import documents_support
    documents_support.add_attendance(no_case, world["school_a"], unexcused=4, tardies=0)
    login_as("front_office")
    assert _next_step(auth, no_case).startswith(DUE)
    assert "Pérez" in page_text(auth.client.get("/worklist?section=overdue"))
    answer = auth.post(f"/students/{no_case.id}/calls/new", data=_call(notes="called mum"))
    assert answer.status_code == 302
    assert "called mum" in page_text(auth.client.get(f"/students/{no_case.id}"))
    step = _next_step(auth, no_case)
    assert step.startswith(DUE) and "A call logged without a case is a record of contact, not this step" in step
    assert "Pérez" in page_text(auth.client.get("/worklist?section=overdue"))


DUE = "First truancy notification to the parent (EC 48260(a), 48260.5): overdue since"


def _next_step(auth, student):
    """The student page's 'Next step', as words."""
    page = page_text(auth.client.get(f"/students/{student.id}"))
    said = page[page.index("Next step</dt>"):]
    return " ".join(re.sub(r"<[^>]+>", " ", said[:said.index("</dd>")]).split()[2:])
