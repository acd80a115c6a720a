"""The menu at the top of every page: the places of the reader's role, in the
reader's language, the page they are on marked as such. It is the same for
everyone of a role in a language on one page, so the server renders it once
and keeps it (fieldapp.web.kept): a page served to one role or in one language
must never hand its menu to another."""
import re

from tests.web.conftest import page_text
from tests.web.test_language import choose_language


def menu(response):
    """The header's links as (label, marked as the current page), in order."""
    header = re.search(r'<header class="bar">(.*?)</header>', page_text(response), re.S).group(1)
    links = re.findall(r'<a ([^>]*)>([^<]*)', header)
    return [(label.strip(), 'aria-current="page"' in attributes) for attributes, label in links if label.strip()]


def current(response):
    return [label for label, marked in menu(response) if marked]


def test_each_page_marks_itself_in_the_menu_of_its_readers_role_and_language(client, auth, world, login_as):
    login_as("officer")
    for _ in range(2):  # the second time from what the server kept
        caseload, find = client.get("/caseload"), client.get("/students")
        assert current(caseload) == ["Caseload"] and current(find) == ["Find"]
        assert [label for label, _ in menu(caseload)] == [
            "fieldapp", "Caseload", "Worklist", "Find", "Outbox", "Your work", "Account"]
    assert current(client.get("/account")) == ["Account"]

    login_as("supervisor")
    district = client.get("/supervisor")
    labels = [label for label, _ in menu(district)]
    assert current(district) == ["District"] and "Caseload" not in labels
    assert {"Cases", "Contact log", "Letters sent", "Sync review"} <= set(labels)
    find = client.get("/students")  # a page the officer was shown first
    assert current(find) == ["Find"] and [label for label, _ in menu(find)] == labels

    login_as("front_office")
    labels = [label for label, _ in menu(client.get("/office"))]
    assert "School" in labels and "District" not in labels and "Caseload" not in labels

    login_as("officer")
    choose_language(auth, "es")
    for _ in range(2):
        caseload = client.get("/caseload")
        assert current(caseload) == ["Casos"]
        assert [label for label, _ in menu(caseload)] == [
            "fieldapp", "Casos", "Tareas", "Buscar", "Por enviar", "Su trabajo", "Cuenta"]
        assert current(client.get("/students")) == ["Buscar"]
    login_as("supervisor")  # still in English, after the officer's Spanish menus
    assert current(client.get("/supervisor")) == ["District"]
