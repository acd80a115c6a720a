"""A form shown again with what to fix keeps an address that reloads: HTMX puts
the address a form posted to in the bar, and an address only POST takes would
answer a reload with "Not allowed"."""
import re

from fieldapp.models import Letter
from tests import documents_support as support
from tests.web.conftest import page_text

HTMX = {"HX-Request": "true", "HX-Boosted": "true"}


def test_record_sending_with_an_error_names_the_letters_page(client, auth, world, login_as):
    login_as("officer")
    letter = support.gen_issued_letter(world["case_a"], world["officer"])
    wrong = auth.post(f"/letters/{letter.id}/sent", data={"sent_how": "", "sent_at": ""}, headers=HTMX)
    assert wrong.status_code == 422
    assert "Choose how it was sent." in page_text(wrong)  # not "Choose the how it was sent."
    assert wrong.headers["HX-Push-Url"] == f"/documents/{letter.document_id}"
    assert client.get(wrong.headers["HX-Push-Url"]).status_code == 200
    assert client.get(f"/letters/{letter.id}/sent").status_code == 405  # why the bar must not show it
    assert Letter.get_by_id(letter.id).sent_at is None


def test_a_number_marked_wrongly_names_the_students_page(client, auth, world, login_as):
    login_as("officer")
    student = world["student_a"]
    wrong = auth.post(f"/students/{student.id}/numbers", data={"guardian_id": "0"}, headers=HTMX)
    assert wrong.status_code == 422 and wrong.headers["HX-Push-Url"] == f"/students/{student.id}"


def test_a_case_report_without_a_recipient_names_the_paperwork_page(client, auth, world, login_as):
    login_as("officer")
    case = world["case_a"]
    wrong = auth.post(f"/cases/{case.id}/report", data={"recipient": ""}, headers=HTMX)
    assert wrong.status_code == 422 and "Choose who it is for." in page_text(wrong)
    assert wrong.headers["HX-Push-Url"] == f"/cases/{case.id}/paperwork"


def test_any_other_page_answered_at_a_post_only_address_keeps_the_forms_address(client, auth, world,
                                                                                 login_as):
    login_as("supervisor")
    wrong = auth.post("/supervisor/assign", data={"officer": "", "cases": []}, headers=HTMX)
    assert wrong.status_code == 422 and wrong.headers["HX-Push-Url"] == "false"


def test_a_form_whose_address_also_shows_it_is_left_alone(client, auth, world, login_as):
    login_as("officer")
    wrong = auth.post(f"/cases/{world['case_a'].id}/contacts/new", data={"method": ""}, headers=HTMX)
    assert wrong.status_code == 422 and "HX-Push-Url" not in wrong.headers


def test_without_htmx_the_browser_posts_again_on_reload_and_nothing_is_added(client, auth, world, login_as):
    login_as("officer")
    letter = support.gen_issued_letter(world["case_a"], world["officer"])
    wrong = auth.post(f"/letters/{letter.id}/sent", data={"sent_how": ""})
    assert wrong.status_code == 422 and "HX-Push-Url" not in wrong.headers


def _post_only_rules(app):
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and "GET" not in rule.methods and not rule.rule.startswith("/api/"):
            yield rule


def test_every_address_only_post_takes_answers_htmx_with_an_address_that_reloads(app, client, auth, world,
                                                                                   login_as):
    """Whatever form posts there, and whoever sends it, a page answered at an address a
    GET refuses names another address for the bar (or keeps the form's)."""
    rules = list(_post_only_rules(app))
    assert len(rules) > 15
    for role in ("officer", "supervisor", "admin"):
        login_as(role)
        for rule in rules:
            path = rule.rule
            for name in rule.arguments:
                path = path.replace(f"<int:{name}>", "1")
            path = re.sub(r"<any\(([^,)]+)[^>]*>", r"\1", path)  # a choice of names: the first
            if path == "/logout":
                continue
            answer = auth.post(path, data={}, headers=HTMX)
            if answer.mimetype == "text/html" and not 300 <= answer.status_code < 400:
                pushed = answer.headers.get("HX-Push-Url")
                assert pushed, f"{role}: POST {path} answered {answer.status_code} with no HX-Push-Url"
                if pushed != "false":
                    assert client.get(pushed).status_code == 200, f"{role}: {pushed} does not reload"
