"""A form shown again with what to fix keeps an address that reloads: HTMX puts
the address a form posted to in the bar, and an address only POST takes would
answer a reload with "Not allowed"."""
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
