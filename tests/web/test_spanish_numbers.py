"""Numbers are written as the reader's language writes them, and a user who
never chose a language sees their browser's. Spanish pages wrote "5,000
caracteres; no pase de 2,000" and "1341 contactos"; the date filter's "To"
was "Para" (to a person) where a range says "Hasta"; and every demo user had
English saved, so a Spanish browser never saw Spanish."""
from flask import render_template_string

from fieldapp.demo.seed import DEMO_USERS, seed
from fieldapp.models import User
from tests.web.conftest import page_text
from tests.web.test_language import html_lang


def _spanish(user):
    User.update(language="es").where(User.id == user.id).execute()


def test_a_too_long_text_is_counted_in_spanish_digits(auth, login_as, world):
    _spanish(login_as("supervisor"))
    answer = auth.post(f"/supervisor/officers/{world['officer'].id}/hand-over",
                       data={f"school_{world['school_a'].id}": "queue", "note": "x" * 5000})
    assert answer.status_code == 422
    assert "5.000 caracteres; no pase de 2.000" in page_text(answer)


def test_counts_in_a_page_are_written_with_the_languages_grouping(app):
    said = "{{ ngettext('%(num)d contact', '%(num)d contacts', 1341) }} · {{ 12345|number }}"
    with app.test_request_context("/", headers={"Accept-Language": "es"}):
        assert render_template_string(said) == "1.341 contactos · 12.345"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert render_template_string(said) == "1,341 contacts · 12,345"


def test_the_date_filter_says_from_and_until_in_spanish(auth, login_as, world):
    _spanish(login_as("supervisor"))
    page = page_text(auth.client.get("/supervisor/contacts"))
    assert '<label for="date_from">Desde</label>' in page and '<label for="date_to">Hasta</label>' in page


def test_a_user_who_never_chose_follows_the_browser_and_a_choice_wins(auth, login_as, world):
    officer = world["officer"]
    assert User.get_by_id(officer.id).language == ""  # nothing chosen yet
    login_as("officer")
    assert html_lang(auth.client.get("/caseload", headers={"Accept-Language": "es-MX,es;q=0.9"})) == "es"
    assert html_lang(auth.client.get("/caseload", headers={"Accept-Language": "en-US"})) == "en"
    User.update(language="en").where(User.id == officer.id).execute()
    assert html_lang(auth.client.get("/caseload", headers={"Accept-Language": "es-MX,es;q=0.9"})) == "en"


def test_the_demo_users_have_no_language_saved(app):
    seed(students=5, attendance=False)
    demo = User.select().where(User.email.in_([email for email, *_ in DEMO_USERS]))
    assert len(demo) == len(DEMO_USERS) and {user.language for user in demo} == {""}
