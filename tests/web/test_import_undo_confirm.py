"""Undoing an import needs its confirmation, with or without JavaScript: a
post without it (one tap, a page from before, a hand-made form) undoes
nothing and opens the question, saying so."""
from fieldapp.models import ImportRun, Job
from tests.web.conftest import page_text
from tests.web.test_import_pages import roster_zip, upload_and_apply


def test_an_undo_without_its_confirmation_undoes_nothing_and_asks(auth, login_as):
    login_as("admin")
    url = upload_and_apply(auth, "oneroster", roster_zip(), "roster.zip")
    page = auth.client.get(url).get_data(as_text=True)
    assert '<details class="confirm-undo">' in page and 'name="confirmed" value="yes"' in page
    asked = auth.post(url + "/undo", {})
    assert asked.status_code == 422
    said = asked.get_data(as_text=True)
    assert '<details class="confirm-undo" open>' in said
    assert "Nothing was undone: confirm with “Yes, undo this import”." in page_text(asked)
    assert Job.select().where(Job.kind == "import_undo").count() == 0
    assert ImportRun.select().where(ImportRun.undone_at.is_null(False)).count() == 0
    assert auth.post(url + "/undo", {"confirmed": "yes"}).status_code == 303
