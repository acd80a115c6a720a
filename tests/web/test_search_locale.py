"""The look-up on a PostgreSQL database made with a language locale, as most
servers are by default (en_US, ICU): "z…" names and ids ending in 9 are found."""
import pytest

from fieldapp.db import database
from fieldapp.students.search import index_student, search
from tests import factories
from tests.web.conftest import empty_database


@pytest.fixture
def language_locale_url(tmp_path):
    """A new, empty database sorting text by an ICU language locale (SQLite: a file)."""
    with empty_database(tmp_path, "icu", "TEMPLATE template0 LOCALE_PROVIDER icu "
                                         "ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'") as url:
        yield url


def test_prefix_look_up_under_a_language_locale(language_locale_url, other_app):
    app = other_app({"DATABASE_URL": language_locale_url})
    assert app.test_cli_runner().invoke(args=["init-db"]).exit_code == 0
    with database.connection_context():
        student = factories.gen_student(factories.gen_school(), first="Ana", last="Zapata")
        student.local_id = "100239"
        student.save()
        index_student(student)
        for query in ("z", "zap", "zapata ana", "100239", "10023"):
            assert [s.full_name for s in search(query)] == ["Ana Zapata"], query
