"""The caseload shows follow-ups due today and overdue, and an officer marks one done."""
import datetime

from fieldapp.models import Case, FollowUp
from fieldapp.timefmt import local_today
from tests import factories




def test_caseload_counts_due_today_and_overdue_and_marks_one_done(client, login_as, auth, world):
    officer, case = world["officer"], world["case_a"]
    today = local_today().isoformat()
    factories.gen_contact(case, officer, follow_up_on=today)
    # A quick call with no date leaves it planned.
    factories.gen_contact(case, officer, method="phone", outcome="voicemail")
    late = factories.gen_case(factories.gen_student(world["school_a"], first="Ana"), officer)
    factories.gen_contact(late, officer)
    past = local_today() - datetime.timedelta(days=3)
    FollowUp.create(case=late, due_on=past, planned_by=None)
    Case.update(next_follow_up=past).where(Case.id == late.id).execute()
    login_as("officer")
    page = client.get("/caseload").get_data(as_text=True)
    assert "1 follow-up overdue" in page and "1 follow-up due today" in page
    assert page.count("Mark follow-up done") == 2
    response = auth.post(f"/cases/{case.id}/follow-up/done", {"due_on": today, "next": "/caseload"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/caseload")
    assert Case.get_by_id(case.id).next_follow_up is None
    page = client.get("/caseload").get_data(as_text=True)
    assert "Follow-up marked done." in page and "1 follow-up due today" not in page
    again = auth.post(f"/cases/{case.id}/follow-up/done", {"due_on": today}, follow_redirects=True)
    assert "no longer open" in again.get_data(as_text=True)


def test_another_schools_follow_up_cannot_be_marked_done(client, login_as, auth, world):
    factories.gen_contact(world["case_b"], world["other_officer"],
                          follow_up_on=local_today().isoformat())
    login_as("officer")
    response = auth.post(f"/cases/{world['case_b'].id}/follow-up/done",
                         {"due_on": local_today().isoformat()})
    assert response.status_code == 403
    assert Case.get_by_id(world["case_b"].id).next_follow_up == local_today()
