"""A case's circumstances change after it is opened, with history, and the
law follows them (Texas Ed Code 25.0915(a-3): no court referral while the
absences result from homelessness)."""
import datetime

from fieldapp.models import Case, CaseEvent, Student
from tests.web.conftest import page_text
from tests.web.test_worklist_pages import ON, contact_on, mark, truant  # noqa: F401


def test_an_officer_adds_a_circumstance_and_the_case_history_says_so(auth, login_as, world):
    login_as("officer")
    url = f"/cases/{world['case_a'].id}/circumstances"
    missing = auth.post(url, data={"flags": ["homeless"], "note": ""})
    assert missing.status_code == 422 and "Why is required." in page_text(missing)
    assert 'value="homeless" checked' in page_text(missing)  # what was ticked stays ticked
    done = auth.post(url, data={"flags": ["homeless", "foster_care"], "note": "Family in a shelter since Monday."})
    assert done.status_code == 302
    assert Case.get_by_id(world["case_a"].id).flag_list == ["homeless", "foster_care"]
    auth.post(url, data={"flags": ["homeless"], "note": "Placement ended."})
    page = page_text(auth.client.get(f"/students/{world['student_a'].id}"))
    assert "circumstances changed: added Homelessness, Foster care" in page
    assert "circumstances changed: removed Foster care" in page and "Placement ended." in page
    assert [e.kind for e in CaseEvent.select().where(CaseEvent.case == world["case_a"])][-2:] == [
        "circumstances", "circumstances"]


def test_unchanged_or_unknown_circumstances_are_refused_and_nothing_changes(auth, login_as, world):
    login_as("officer")
    url = f"/cases/{world['case_a'].id}/circumstances"
    same = auth.post(url, data={"flags": [], "note": "No change."})
    assert same.status_code == 422 and "already recorded" in page_text(same)
    unknown = auth.post(url, data={"flags": ["astronaut"], "note": "x"})
    assert unknown.status_code == 422
    assert Case.get_by_id(world["case_a"].id).flags == ""


def test_a_circumstance_added_later_holds_the_texas_court_referral(auth, login_as, truant, app, monkeypatch):
    monkeypatch.setitem(app.config, "STATE", "TX")
    mark(truant["student_a"], *[datetime.date(2025, 9, d) for d in (22, 23, 24, 25, 26, 29, 30)])
    Student.update(birth_date=datetime.date(2012, 3, 1)).where(Student.id == truant["student_a"].id).execute()
    Case.update(school_year="2025-26").where(Case.id == truant["case_a"].id).execute()
    for method, outcome in (("letter", "letter_issued"), ("conference", "reached_parent")):
        contact_on(truant["case_a"], truant["officer"], datetime.date(2025, 9, 30), method, outcome)
    login_as("officer")
    before = page_text(auth.client.get(f"/worklist?on={ON}"))
    assert "absences result from: Homelessness" not in before
    auth.post(f"/cases/{truant['case_a'].id}/circumstances",
              data={"flags": ["homeless"], "note": "Living in the family's car."})
    after = page_text(auth.client.get(f"/worklist?on={ON}"))
    assert "absences result from: Homelessness" in after and "25.0915(a-3)" in after
