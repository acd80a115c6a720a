"""Numbers in query strings and paths: a Unicode digit, a 5,000-digit number or
an id past what the database holds is a message next to the field or a 404,
never a 500."""
import pytest

from tests.web.conftest import page_text
from tests.web.test_access_matrix import ALL_ROUTES

ODD_NUMBERS = ["²", "①", "٣", "9" * 5000, str(2**63), str(2**64 + 1), "-1", "1e9"]


@pytest.mark.parametrize("url,field", [
    ("/worklist?school={}", "school"),
    ("/supervisor/contacts?officer={}", "officer"),
    ("/supervisor/contacts?school={}", "school"),
])
@pytest.mark.parametrize("number", ODD_NUMBERS)
def test_a_number_that_is_not_one_is_a_message_next_to_the_field(client, login_as, url, field, number):
    login_as("supervisor")
    response = client.get(url.format(number))
    assert response.status_code == 422, (url, number[:20], response.status_code)
    assert f'id="{field}-error"' in page_text(response)


@pytest.mark.parametrize("number", ODD_NUMBERS)
def test_paging_and_hours_ignore_or_explain_what_is_not_a_number(client, login_as, number):
    login_as("supervisor")
    assert client.get(f"/supervisor/contacts?after={number}").status_code == 200
    hours = client.get(f"/supervisor/sync/devices?hours={number}")
    assert hours.status_code == 200
    assert "Give a whole number of hours from 1 to 720." in page_text(hours)


@pytest.mark.parametrize("number", ODD_NUMBERS)
def test_letters_due_for_a_school_that_cannot_exist_is_not_found(client, login_as, number):
    login_as("supervisor")  # two schools to choose from, so none is chosen for them
    assert client.get(f"/letters/due?school={number}").status_code == 404


INT_ROUTES = sorted({rule for _, method, rule in ALL_ROUTES if "<int:" in rule})


@pytest.mark.parametrize("rule", INT_ROUTES)
@pytest.mark.parametrize("number", [str(2**63), str(2**63 - 1), "9" * 5000, "٣"])
def test_an_id_the_database_cannot_hold_is_not_found_on_every_route(client, login_as, rule, number):
    import re
    login_as("supervisor")
    url = re.sub(r"<int:[^>]+>", number, re.sub(r"<(?!int:)[^>]+>", "guardian", rule))
    for method in ("GET", "POST"):
        response = client.open(url, method=method, data={"csrf_token": ""})
        assert response.status_code in (400, 403, 404, 405), (method, url[:80], response.status_code)
