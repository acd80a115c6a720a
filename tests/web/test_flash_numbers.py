"""A count a view says in a flash message is written as pages write it: with
digit groups in the reader's language ("1,341"; "1.341" in Spanish)."""
import pytest

from fieldapp.models import UserSession, utcnow
from tests.conftest import csrf_token_from
from tests.web.conftest import page_text
from tests.web.test_sessions import log_in

OTHERS = 1341


@pytest.mark.parametrize("language, said", [("en", "1,341 other sessions ended."),
                                            ("es", "1.341 sesiones más terminadas.")])
def test_a_flashed_count_has_the_readers_digit_groups(app, world, language, said):
    user = world["officer"]
    user.language = language
    user.save()
    client = app.test_client()
    log_in(client, user)
    now = utcnow()
    UserSession.insert_many([{"token_hash": f"{n:064x}", "user": user.id, "created_at": now, "last_seen_at": now}
                             for n in range(OTHERS)]).execute()
    page = page_text(client.get("/account"))
    assert client.post("/account/sessions/end-others", data={"csrf_token": csrf_token_from(page)}).status_code == 302
    assert said in page_text(client.get("/account"))
