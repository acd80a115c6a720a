"""Any page number typed into a list's address shows a page of the list: a
page past the end shows the last page and says so; a number of 5,000 digits,
zero, a sign or text never answers with an error page."""
import pytest

from tests import factories
from tests.web.conftest import page_text

PAST_END = "this is its last page"
# (role, address) of every paged list
LISTS = [("supervisor", "/supervisor/cases"), ("supervisor", "/supervisor/students"),
         ("supervisor", "/supervisor/unassigned"), ("supervisor", "/supervisor/contacts"),
         ("supervisor", "/supervisor/letters"),
         ("supervisor", "/worklist"), ("supervisor", "/worklist?section=overdue"),
         ("officer", "/caseload"), ("front_office", "/office")]
ODD_PAGES = ["1" * 5000, "-1", "0", "abc", "1e5", "2.5", "%EF%BC%93", "0" * 40 + "1", " "]


@pytest.mark.parametrize("role, url", LISTS)
def test_no_page_number_gives_an_error_page(auth, login_as, world, role, url):
    login_as(role)
    joiner = "&" if "?" in url else "?"
    for number in ODD_PAGES:
        response = auth.client.get(f"{url}{joiner}page={number}")
        assert response.status_code == 200, (url, number[:12])


# the contact log pages by "older than", and the whole worklist shows the first of each section
@pytest.mark.parametrize("role, url", [item for item in LISTS if item[1] not in ("/supervisor/contacts", "/worklist")])
def test_a_page_past_the_end_is_the_last_page_and_says_so(auth, login_as, world, role, url):
    login_as(role)
    joiner = "&" if "?" in url else "?"
    for number in ("2", "999999", "1" * 5000):
        assert PAST_END in page_text(auth.client.get(f"{url}{joiner}page={number}")), (url, number[:12])
    assert PAST_END not in page_text(auth.client.get(url))
    assert PAST_END not in page_text(auth.client.get(f"{url}{joiner}page=abc"))


def test_a_huge_page_number_shows_the_last_page_of_cases(auth, login_as, world):
    for i in range(60):
        factories.gen_case(factories.gen_student(world["school_a"], first=f"Kid{i:03d}", last="Many"),
                           world["officer"])
    login_as("supervisor")
    for number in ("1" * 5000, "1000000", "3"):
        page = page_text(auth.client.get(f"/supervisor/cases?page={number}"))
        assert "Page 2 of 2" in page and "Many, Kid059" in page and PAST_END in page
    login_as("officer")
    page = page_text(auth.client.get("/caseload?page=" + "9" * 40))
    assert "Many, Kid059" in page and PAST_END in page
