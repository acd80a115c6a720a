"""A filter that names nothing (a school or officer no record has, a code of
no list, a date that is not one) is said by name on the list, next to its
field with what was typed, and left out; an export asked with one is refused
(422, the same words), never a file of everything."""
import re

import pytest

from fieldapp.models import AccessLog, Job
from tests.web.conftest import page_text

NOWHERE = "999999"
# (role, list, filters that name nothing, the words the page says)
LISTS = [
    ("supervisor", "/supervisor/cases", "school=999999", "No school has the number “999999”"),
    ("supervisor", "/supervisor/cases", "officer=999999", "No officer has the number “999999”"),
    ("supervisor", "/supervisor/cases", "stage=zz", "“zz” is not one of the choices"),
    ("supervisor", "/supervisor/cases", "follow_up=someday", "“someday” is not one of the choices"),
    ("supervisor", "/supervisor/cases", "sort=age", "“age” is not one of the choices"),
    ("supervisor", "/supervisor/students", "school=999999", "No school has the number “999999”"),
    ("supervisor", "/supervisor/students", "band=worst", "“worst” is not one of the choices"),
    ("supervisor", "/supervisor/unassigned", "school=999999", "No school has the number “999999”"),
    ("supervisor", "/supervisor/unassigned", "flag=zz", "“zz” is not one of the choices"),
    ("supervisor", "/supervisor/contacts", "school=999999", "No school has the number “999999”"),
    ("supervisor", "/supervisor/contacts", "officer=999999", "No officer has the number “999999”"),
    ("supervisor", "/supervisor/contacts", "student=999999", "No student has the number “999999”"),
    ("supervisor", "/supervisor/contacts", "date_from=2026-13-01", "“2026-13-01” is not a date"),
    ("supervisor", "/worklist", "officer=999999", "No officer has the number “999999”"),
    ("supervisor", "/worklist", "school=999999", "No school has the number “999999”"),
    ("front_office", "/office", "officer=999999", "No officer has the number “999999”"),
    ("front_office", "/office", "stage=zz", "“zz” is not one of the choices"),
]


@pytest.mark.parametrize("role, url, query, words", LISTS)
def test_a_filter_that_names_nothing_is_said_by_name(auth, login_as, world, role, url, query, words):
    login_as(role)
    answer = auth.client.get(f"{url}?{query}")
    page = page_text(answer)
    assert answer.status_code == 422 and words in page
    assert 'id="filters-not-recognised"' in page and "left out of the list" in page


def test_the_worklist_shows_the_rest_of_its_filters_when_one_names_nothing(auth, login_as, world):
    login_as("supervisor")
    for query in ("school=999999&section=overdue", "on=1900-01-01&section=overdue", "on=someday"):
        page = page_text(auth.client.get(f"/worklist?{query}"))
        assert 'class="muted rule-version"' in page and 'id="filters-not-recognised"' in page, query
        if "section" in query:
            assert re.search(r'<option value="overdue"\s+selected>', page), query


def test_a_filter_id_of_another_kind_of_record_names_nothing(auth, login_as, world):
    """An officer filter of a supervisor's id names no officer: an empty list said nothing."""
    login_as("supervisor")
    page = page_text(auth.client.get(f"/supervisor/cases?officer={world['supervisor'].id}"))
    assert f"No officer has the number “{world['supervisor'].id}”" in page
    assert "García, María" in page  # left out, said so: the list is the district's


def test_what_is_repeated_back_is_short_and_printable(auth, login_as, world):
    login_as("supervisor")
    page = page_text(auth.client.get("/supervisor/cases?stage=" + "x" * 300 + "%00<b>"))
    page = page[page.index('id="filters-not-recognised"'):]
    assert "x" * 39 + "…" in page and "x" * 41 not in page and "<b>" not in page


EXPORTS = [("cases", "school=999999"), ("cases", "officer=999999"), ("cases", "band=worst"), ("cases", "sort=age"),
           ("contacts", "school=999999"), ("contacts", "date_to=yesterday"), ("contacts", "reason=zz"),
           ("letters", "school=999999"), ("worklist", "school=999999")]


@pytest.mark.parametrize("name, query", EXPORTS)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_with_a_filter_that_names_nothing_is_refused(auth, login_as, world, name, query, fmt):
    login_as("supervisor")
    jobs = Job.select().count()
    answer = auth.post(f"/supervisor/export/{name}?{query}", data={"format": fmt})
    page = page_text(answer)
    assert answer.status_code == 422 and "Not exported" in page
    assert ("“999999”" in page) if NOWHERE in query else ("is not" in page)
    assert not AccessLog.select().where(AccessLog.action == "export").exists()
    assert Job.select().count() == jobs


def test_an_unknown_sort_is_said_beside_the_sort_field(auth, login_as, world):
    """A sort the list does not offer is not a silent name order: the field
    says what was typed, the list is shown in name order and says so."""
    login_as("supervisor")
    answer = auth.client.get("/supervisor/cases?sort=Age&status=all")
    page = page_text(answer)
    assert answer.status_code == 422
    field = page[page.index('id="f-sort"'):]
    field = field[:field.index("</div>")]
    assert 'aria-invalid="true"' in field and "“Age” is not one of the choices" in field
    assert "<strong>Sort by</strong>" in page
    assert "García, María" in page  # the rest of the list still shows, in name order
    for sort in ("student", "school", "officer", "stage", "opened", "follow_up", "last_contact"):
        known = auth.client.get(f"/supervisor/cases?sort={sort}")
        assert known.status_code == 200 and "filters-not-recognised" not in page_text(known), sort
