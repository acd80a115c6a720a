"""An officer's work never sits with someone who cannot see it: a hand-over
moves waiting referrals with the cases (to an officer or the unassigned queue);
deactivating an officer, or taking a school from them, sends their open cases
and waiting referrals there to the unassigned queue; the officer a new referral
or case goes to still serves the school and is active."""
import pytest

from fieldapp.models import Case, CaseEvent, Referral, User, UserSchool
from tests import factories
from tests.web.conftest import page_text


@pytest.fixture
def leaving(world):
    """World plus Olivia, a second officer of school A holding nothing, and a
    student of school A without a case."""
    world["olivia"] = factories.gen_user("officer", [world["school_a"]], name="Olivia Leaving")
    world["student_c"] = factories.gen_student(world["school_a"], first="Cleo", last="Waits")
    return world


def _refer(auth, login_as, student):
    login_as("front_office")
    answer = auth.post(f"/students/{student.id}/referrals/new",
                       data={"reason": "illness", "note": "Often sick on Mondays"})
    assert answer.status_code == 302
    return Referral.get(Referral.student == student)


def test_a_hand_over_moves_the_waiting_referrals_with_the_cases(auth, login_as, leaving):
    olivia = leaving["olivia"]
    referral = _refer(auth, login_as, leaving["student_c"])
    assert referral.officer_id == olivia.id  # the least loaded of school A
    case = factories.gen_case(factories.gen_student(leaving["school_a"], first="Held", last="Case"), olivia)
    login_as("supervisor")
    page = page_text(auth.client.get(f"/supervisor/officers/{olivia.id}/hand-over"))
    assert "Lincoln Elementary — 1 open case, 1 waiting referral" in page
    answer = auth.post(f"/supervisor/officers/{olivia.id}/hand-over",
                       data={f"school_{leaving['school_a'].id}": str(leaving["officer"].id), "note": "Leaving"},
                       follow_redirects=True)
    page = page_text(answer)
    assert "1 case handed over." in page and "1 waiting referral handed over." in page
    assert Referral.get_by_id(referral.id).officer_id == leaving["officer"].id
    assert Case.get_by_id(case.id).officer_id == leaving["officer"].id
    assert CaseEvent.get((CaseEvent.case == case) & (CaseEvent.kind == "assigned")).note == "Leaving"
    login_as("officer")
    assert "Often sick on Mondays" in page_text(auth.client.get("/caseload"))


def test_a_hand_over_can_send_a_schools_work_to_the_unassigned_queue(auth, login_as, leaving):
    """No other officer serves the school: the cases could only be moved one at a time."""
    officer = leaving["other_officer"]  # alone at school B
    more = [factories.gen_case(factories.gen_student(leaving["school_b"], first=f"Riv{i}", last="Side"), officer)
            for i in range(3)]
    login_as("supervisor")
    page = page_text(auth.client.get(f"/supervisor/officers/{officer.id}/hand-over"))
    assert "Unassigned queue" in page and "No other officer serves Roosevelt Middle." in page
    answer = auth.post(f"/supervisor/officers/{officer.id}/hand-over",
                       data={f"school_{leaving['school_b'].id}": "queue", "note": "Retired"},
                       follow_redirects=True)
    assert "4 cases handed over." in page_text(answer)
    for case in more + [leaving["case_b"]]:
        assert Case.get_by_id(case.id).officer_id is None
    assert CaseEvent.get((CaseEvent.case == more[0]) & (CaseEvent.kind == "assigned")).to_value == ""
    queue = page_text(auth.client.get("/supervisor/unassigned"))
    assert "Side, Riv0" in queue and "Núñez, José" in queue
    assert "<strong>4</strong> unassigned" in page_text(auth.client.get("/supervisor"))


def test_deactivating_an_officer_sends_their_work_to_the_unassigned_queue(auth, login_as, leaving):
    olivia = leaving["olivia"]
    referral = _refer(auth, login_as, leaving["student_c"])
    case = factories.gen_case(factories.gen_student(leaving["school_a"], first="Held", last="Case"), olivia)
    login_as("admin")
    answer = auth.post(f"/admin/users/{olivia.id}/deactivate", {"confirmed": "yes"}, follow_redirects=True)
    assert "1 open case and 1 waiting referral of Olivia Leaving now wait in the unassigned queue." in (
        page_text(answer))
    assert Referral.get_by_id(referral.id).officer_id is None
    assert Case.get_by_id(case.id).officer_id is None
    event = CaseEvent.get((CaseEvent.case == case) & (CaseEvent.kind == "assigned"))
    assert (event.from_value, event.to_value, event.by_id) == ("Olivia Leaving", "", leaving["admin"].id)
    login_as("supervisor")
    queue = page_text(auth.client.get("/supervisor/unassigned"))
    assert "Waits, Cleo" in queue and "Case, Held" in queue
    assert "<strong>1</strong> unassigned" in page_text(auth.client.get("/supervisor"))
    login_as("officer")  # the queue is the supervisors': a supervisor assigns the referral
    assert "Often sick on Mondays" not in page_text(auth.client.get("/caseload"))


def test_taking_a_school_from_an_officer_sends_their_work_there_to_the_queue(auth, login_as, leaving):
    olivia = leaving["olivia"]
    UserSchool.create(user=olivia, school=leaving["school_b"])
    referral = _refer(auth, login_as, leaving["student_c"])
    at_a = factories.gen_case(factories.gen_student(leaving["school_a"], first="At", last="Lincoln"), olivia)
    at_b = factories.gen_case(factories.gen_student(leaving["school_b"], first="At", last="Roosevelt"), olivia)
    login_as("admin")
    answer = auth.post(f"/admin/users/{olivia.id}", data={"role": "officer", "schools": [str(leaving["school_b"].id)]},
                       follow_redirects=True)
    assert "1 open case and 1 waiting referral of Olivia Leaving now wait in the unassigned queue." in (
        page_text(answer))
    assert Case.get_by_id(at_a.id).officer_id is None and Referral.get_by_id(referral.id).officer_id is None
    assert Case.get_by_id(at_b.id).officer_id == olivia.id  # she still serves Roosevelt


def test_the_history_line_of_work_sent_to_the_queue_is_read_in_the_readers_language(auth, login_as, leaving):
    """The line's reason was stored as an English sentence: a Spanish-speaking
    supervisor read "Account deactivated: ..." in English on the student's page."""
    olivia, school_b = leaving["olivia"], leaving["school_b"]
    UserSchool.create(user=olivia, school=school_b)
    gone = factories.gen_case(factories.gen_student(leaving["school_a"], first="Ida", last="Gone"), olivia)
    moved = factories.gen_case(factories.gen_student(school_b, first="Rui", last="Moved"), olivia)
    login_as("admin")
    auth.post(f"/admin/users/{olivia.id}", data={"role": "officer", "schools": [str(leaving["school_a"].id)]})
    auth.post(f"/admin/users/{olivia.id}/deactivate", {"confirmed": "yes"})
    User.update(language="es").where(User.id == leaving["supervisor"].id).execute()
    login_as("supervisor")
    removed = page_text(auth.client.get(f"/students/{moved.student_id}"))
    assert "El oficial ya no atiende esta escuela: el caso espera en la cola sin asignar." in removed
    deactivated = page_text(auth.client.get(f"/students/{gone.student_id}"))
    assert "Cuenta desactivada: el caso espera en la cola sin asignar." in deactivated
    assert "unassigned queue" not in removed + deactivated
    User.update(language="en").where(User.id == leaving["supervisor"].id).execute()
    assert "Account deactivated: the case waits in the unassigned queue." in page_text(
        auth.client.get(f"/students/{gone.student_id}"))


def test_a_new_referral_or_case_never_defaults_to_an_officer_who_left(auth, login_as, leaving):
    olivia = leaving["olivia"]
    login_as("admin")
    auth.post(f"/admin/users/{olivia.id}/deactivate", {"confirmed": "yes"})
    assert _refer(auth, login_as, leaving["student_c"]).officer_id == leaving["officer"].id
    login_as("supervisor")
    student = factories.gen_student(leaving["school_a"], first="New", last="Case")
    page = page_text(auth.client.get(f"/students/{student.id}/cases/new"))
    assert f'<option value="{leaving["officer"].id}" selected>' in page and "Olivia Leaving" not in page


def test_a_hand_over_from_a_stale_tab_says_the_work_had_moved_and_keeps_the_note(auth, login_as, leaving):
    login_as("supervisor")
    leaver, school_a = leaving["officer"], leaving["school_a"]
    form = {f"school_{school_a.id}": str(leaving["olivia"].id), "note": "Moved to the county office"}
    assert auth.post(f"/supervisor/officers/{leaver.id}/hand-over", data=form).status_code == 302
    again = auth.post(f"/supervisor/officers/{leaver.id}/hand-over", data=form)  # the other tab
    page = page_text(again)
    assert again.status_code == 422
    assert (f"Nothing was handed over: {leaver.name} no longer holds open cases or waiting referrals at "
            "Lincoln Elementary; someone moved them meanwhile.") in page
    assert "Choose who takes the cases" not in page and "Moved to the county office" in page


def test_a_referral_handed_to_the_unassigned_queue_leaves_the_officers_caseload(auth, login_as, leaving):
    """The queue is the supervisors': the officer who handed her work over
    (still serving the school) neither sees the referral on her caseload nor
    declines it; a supervisor sees it in the unassigned queue."""
    olivia = leaving["olivia"]
    referral = _refer(auth, login_as, leaving["student_c"])
    assert referral.officer_id == olivia.id
    login_as(olivia)
    assert "Often sick on Mondays" in page_text(auth.client.get("/caseload"))
    login_as("supervisor")
    answer = auth.post(f"/supervisor/officers/{olivia.id}/hand-over",
                       data={f"school_{leaving['school_a'].id}": "queue", "note": "Leaving"},
                       follow_redirects=True)
    assert "1 waiting referral handed over." in page_text(answer)
    assert Referral.get_by_id(referral.id).officer_id is None
    assert "Waits, Cleo" in page_text(auth.client.get("/supervisor/unassigned"))
    for officer in (olivia, leaving["officer"]):
        login_as(officer)
        page = page_text(auth.client.get("/caseload"))
        assert "Often sick on Mondays" not in page and "Referred by the front office" not in page
        assert f"/referrals/{referral.id}/decline" not in page_text(
            auth.client.get(f"/students/{leaving['student_c'].id}"))
        refused = auth.post(f"/referrals/{referral.id}/decline", data={"answer": "Not mine"})
        assert refused.status_code == 403
    assert Referral.get_by_id(referral.id).status == "waiting"
    login_as("supervisor")
    assert f"/referrals/{referral.id}/decline" in page_text(auth.client.get(f"/students/{leaving['student_c'].id}"))
