"""The single case's assign form refuses a change made meanwhile in another tab
(as the assign-many list does), says at once that a closed case cannot be
assigned, and the assign-many list names a ticked value that is no case number."""
from fieldapp.models import Case, CaseEvent
from tests import factories
from tests.web.conftest import page_text


def test_a_stale_tab_does_not_override_a_reassignment_made_meanwhile(auth, login_as, world):
    case = world["case_a"]
    nadia = factories.gen_user("officer", [world["school_a"]], name="Nadia Lopez")
    pat = factories.gen_user("officer", [world["school_a"]], name="Pat Kim")
    login_as("supervisor")
    tab_one = page_text(auth.client.get(f"/cases/{case.id}/assign"))
    tab_two = page_text(auth.client.get(f"/cases/{case.id}/assign"))
    seen = f'name="seen_{case.id}" value="{world["officer"].id}"'
    assert seen in tab_one and seen in tab_two
    shown = {f"seen_{case.id}": str(world["officer"].id)}
    first = auth.post(f"/cases/{case.id}/assign", data={"officer": str(nadia.id), "note": "Balance", **shown})
    assert first.status_code == 302
    second = auth.post(f"/cases/{case.id}/assign", data={"officer": str(pat.id), "note": "Closer to home", **shown})
    page = page_text(second)
    assert second.status_code == 422
    assert "Someone else changed it meanwhile: it is now with Nadia Lopez." in page
    assert "Closer to home" in page  # what was typed is kept
    assert f'name="seen_{case.id}" value="{nadia.id}"' in page  # sending again now is a deliberate choice
    assert Case.get_by_id(case.id).officer_id == nadia.id
    assert [e.to_value for e in CaseEvent.select().where(
        (CaseEvent.case == case) & (CaseEvent.kind == "assigned"))] == ["Nadia Lopez"]
    again = auth.post(f"/cases/{case.id}/assign", data={"officer": str(pat.id), "note": "Closer to home",
                                                        f"seen_{case.id}": str(nadia.id)})
    assert again.status_code == 302 and Case.get_by_id(case.id).officer_id == pat.id


def test_the_assign_form_of_a_closed_case_says_so_at_once(auth, login_as, world):
    case = world["case_a"]
    Case.update(status="closed").where(Case.id == case.id).execute()
    login_as("supervisor")
    answer = auth.client.get(f"/cases/{case.id}/assign")
    page = page_text(answer)
    assert answer.status_code == 409 and "This case is closed." in page
    assert "this form is no longer offered" in page and '<select id="officer"' not in page


def test_a_ticked_value_that_is_no_case_number_is_named(auth, login_as, world):
    login_as("supervisor")
    for typed, named in (("²", "²"), ("9" * 5000, "9" * 20 + "…")):
        answer = auth.post("/supervisor/assign", data={"officer": str(world["officer"].id), "case": [typed]})
        page = page_text(answer)
        assert answer.status_code == 422 and "Tick the cases to assign." not in page
        assert f"No case has the number {named}: nothing was assigned." in page
