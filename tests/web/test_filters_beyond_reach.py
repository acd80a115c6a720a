"""A filter naming a real record outside the list's schools (an officer who
works elsewhere and has nothing there, a school that is not the user's) is
said beside its field, by name, and left out, as a filter naming nothing is:
the page answers 422 and an export is refused with the same words, rather
than an empty list said to match nothing."""
import pytest

from fieldapp.models import AccessLog, UserSchool
from tests.web.conftest import page_text


def _field(page, field_id):
    """The form field's markup, from its select to the end of its block."""
    part = page[page.index(f'id="{field_id}"'):]
    return part[:part.index("</div>")]


def test_the_front_office_is_told_an_officer_of_another_school_does_not_serve_theirs(auth, login_as, world):
    login_as("front_office")
    other = world["other_officer"]  # works Roosevelt Middle only
    answer = auth.client.get(f"/office?officer={other.id}")
    page = page_text(answer)
    assert answer.status_code == 422
    field = _field(page, "f-officer")
    assert 'aria-invalid="true"' in field and f"{other.name} does not serve Lincoln Elementary." in field
    assert "No case matches" not in page and "García, María" in page  # left out, said so: the school's list
    ours = auth.client.get(f"/office?officer={world['officer'].id}")
    assert ours.status_code == 200 and "García, María" in page_text(ours)


def test_the_front_office_is_told_a_school_that_is_not_theirs_on_the_worklist(auth, login_as, world):
    login_as("front_office")
    answer = auth.client.get(f"/worklist?school={world['school_b'].id}")
    page = page_text(answer)
    assert answer.status_code == 422 and "Roosevelt Middle is not one of your schools." in page
    answer = auth.client.get(f"/worklist?officer={world['other_officer'].id}")
    assert answer.status_code == 422
    assert f"{world['other_officer'].name} does not serve Lincoln Elementary." in page_text(answer)


# (list, a query narrowed to Lincoln Elementary by an officer of Roosevelt Middle only)
SUPERVISOR_LISTS = ["/supervisor/cases?school={a}&officer={other}&status=all",
                    "/supervisor/contacts?school={a}&officer={other}",
                    "/worklist?school={a}&officer={other}"]


@pytest.mark.parametrize("url", SUPERVISOR_LISTS)
def test_a_supervisor_is_told_an_officer_does_not_serve_the_school_chosen(auth, login_as, world, url):
    login_as("supervisor")
    other = world["other_officer"]
    answer = auth.client.get(url.format(a=world["school_a"].id, other=other.id))
    page = page_text(answer)
    assert answer.status_code == 422, url
    assert f"{other.name} does not serve Lincoln Elementary." in page and 'id="filters-not-recognised"' in page
    assert "These filters cannot be used and are left out of the list:" in page  # not "not recognised"
    at_their_school = auth.client.get(url.format(a=world["school_b"].id, other=other.id))
    assert at_their_school.status_code == 200, url


def test_an_officer_who_left_a_school_but_holds_its_cases_still_lists_them(auth, login_as, world):
    """Nothing is said when the list has rows of theirs: their cases and contacts there."""
    UserSchool.delete().where(UserSchool.user == world["officer"].id).execute()
    login_as("supervisor")
    for url in ("/supervisor/cases", "/supervisor/contacts"):
        answer = auth.client.get(f"{url}?school={world['school_a'].id}&officer={world['officer'].id}")
        assert answer.status_code == 200 and "García, María" in page_text(answer), url


@pytest.mark.parametrize("name", ["cases", "contacts", "worklist"])
def test_an_export_narrowed_to_an_officer_who_does_not_serve_the_school_is_refused(auth, login_as, world, name):
    login_as("supervisor")
    other = world["other_officer"]
    answer = auth.post(f"/supervisor/export/{name}?school={world['school_a'].id}&officer={other.id}",
                       data={"format": "csv"})
    page = page_text(answer)
    assert answer.status_code == 422 and "Not exported" in page
    assert f"{other.name} does not serve Lincoln Elementary." in page
    assert not AccessLog.select().where(AccessLog.action == "export").exists()


def test_the_front_office_narrows_to_an_officer_who_left_the_school_but_holds_its_cases(auth, login_as, world):
    """Their cases are listed, and the officer field shows them chosen, not "Anyone"."""
    import re
    UserSchool.delete().where(UserSchool.user == world["officer"].id).execute()
    login_as("front_office")
    officer = world["officer"]
    for url in ("/office", "/worklist"):
        answer = auth.client.get(f"{url}?officer={officer.id}")
        page = page_text(answer)
        assert answer.status_code == 200, url
        assert re.search(rf'<option value="{officer.id}"\s+selected>{officer.name}</option>', page), url
    assert "García, María" in page_text(auth.client.get(f"/office?officer={officer.id}"))
