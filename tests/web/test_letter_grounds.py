"""The one-letter form makes only a letter whose statements the record shows:
California's truancy notification ("three or more occasions ... classified as
truant") needs three truancies on record, a referral notice the referral step
reached and allowed; the form names the step that is due, and a refusal says
next to the field what the record shows, in the officer's language."""
from fieldapp.models import Letter, User
from tests import documents_support as support
from tests import factories
from tests.web.conftest import page_text


def _case(world, unexcused, stage="first_notice"):
    """An open case on the officer's caseload, no contact yet, with this many
    unexcused full days on school days since the school year began."""
    student = factories.gen_student(world["school_a"], first="Leo", last="Ruiz")
    support.add_attendance(student, world["school_a"], unexcused=unexcused, tardies=0)
    return factories.gen_case(student, world["officer"], stage=stage)


def _post(auth, case, kind):
    return auth.post(f"/cases/{case.id}/letters/new", data={"kind": kind, "language": "en", "guardian": ""})


def test_no_truancy_notification_without_three_truancies_on_record(client, auth, world, login_as):
    case = _case(world, 2, stage="referral")
    login_as("officer")
    form = page_text(client.get(f"/cases/{case.id}/letters/new"))
    assert "No letter is due on this case now." in form
    for kind in ("first_notice", "referral_notice"):
        refused = _post(auth, case, kind)
        text = page_text(refused)
        assert refused.status_code == 422 and 'id="kind-error"' in text
        assert "the record shows 2 truancies this school year" in text
    assert "comes at 3 truancies" in page_text(_post(auth, case, "first_notice"))
    assert "comes at 5 truancies" in page_text(_post(auth, case, "referral_notice"))
    assert Letter.select().count() == 0
    # An invitation states only the counts on record: a school may offer a meeting at any time.
    assert _post(auth, case, "conference_invitation").status_code == 302


def test_the_form_names_the_step_due_and_makes_its_letter(client, auth, world, login_as):
    case = _case(world, 3)
    login_as("officer")
    form = page_text(client.get(f"/cases/{case.id}/letters/new"))
    assert "Due now:" in form and "First truancy notification to the parent (EC 48260(a), 48260.5)" in form
    assert '<option value="first_notice" selected' in form
    # The referral is not reached yet: said before it is tried.
    assert "comes at 5 truancies" in form
    assert _post(auth, case, "first_notice").status_code == 302
    assert [x.kind for x in Letter.select()] == ["first_notice"]
    refused = _post(auth, case, "referral_notice")
    assert refused.status_code == 422 and "the record shows 3 truancies this school year" in page_text(refused)


def test_a_refusal_is_said_in_spanish(client, auth, world, login_as):
    User.update(language="es").where(User.id == world["officer"].id).execute()
    case = _case(world, 1)
    login_as("officer")
    refused = page_text(_post(auth, case, "first_notice"))
    assert "El expediente no muestra lo que afirma esta carta" in refused
    assert "el expediente muestra 1 falta por ausentismo este año escolar" in refused
    assert "No hay ninguna carta pendiente en este caso." in page_text(client.get(f"/cases/{case.id}/letters/new"))
