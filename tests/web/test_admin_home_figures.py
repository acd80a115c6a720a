"""The administrator's home counts in words that agree with the number
("2 attendance officers", "1 supervisor"), each figure opening its list
(users filtered by role); and one menu item only is marked as the page
you are on (Administration and Imports were both marked on it)."""
import re

import pytest

from tests import factories
from tests.web.conftest import page_text


def _current(page):
    return re.findall(r'<a href="([^"]+)"\s+aria-current="page"', page)


def test_user_counts_say_the_plural_and_open_the_users_of_that_role(auth, login_as, world):
    factories.gen_user("officer", [world["school_a"]], name="Second Officer")
    login_as("admin")
    page = page_text(auth.client.get("/admin/"))
    figures = page[page.index('<ul class="figures">'):]
    figures = figures[:figures.index("</ul>")]
    assert re.search(r'<a href="/admin/users\?role=officer&amp;status=active"><strong>3</strong> attendance officers</a>',
                     figures)
    assert re.search(r'<a href="/admin/users\?role=supervisor&amp;status=active"><strong>1</strong> supervisor</a>',
                     figures)
    assert "<strong>2</strong> schools</a>" in figures
    listed = page_text(auth.client.get("/admin/users?role=officer&status=active"))
    assert "Second Officer" in listed and world["supervisor"].email not in listed


@pytest.mark.parametrize("who,url", [
    ("admin", "/admin/"), ("admin", "/admin/imports"), ("admin", "/admin/rules"), ("admin", "/admin/schools"),
    ("admin", "/admin/users"), ("supervisor", "/supervisor"), ("supervisor", "/supervisor/cases"),
    ("supervisor", "/supervisor/contacts"), ("supervisor", "/worklist"), ("officer", "/caseload"),
    ("front_office", "/office"),
])
def test_one_menu_item_is_marked_as_the_page(auth, login_as, world, who, url):
    login_as(who)
    answer = auth.client.get(url)
    assert answer.status_code == 200
    assert len(_current(page_text(answer))) == 1, _current(page_text(answer))
