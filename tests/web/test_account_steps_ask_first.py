"""Deactivating a user, resetting their password and removing their second
step ask first, with or without JavaScript: one tap did it at once. A post
without the answer changes nothing and opens the question again."""
import pytest

from fieldapp.models import AuditEvent, User
from tests.web.conftest import page_text


@pytest.mark.parametrize("step, action", [("deactivate", "user.deactivate"),
                                          ("reset-password", "user.reset_password")])
def test_a_step_without_its_answer_changes_nothing_and_asks_again(auth, login_as, world, step, action):
    login_as("admin")
    officer = world["officer"]
    page = auth.client.get(f"/admin/users/{officer.id}").get_data(as_text=True)
    assert page.count('<details class="confirm-step">') == 2 and 'name="confirmed" value="yes"' in page
    asked = auth.post(f"/admin/users/{officer.id}/{step}")
    assert asked.status_code == 302 and asked.headers["Location"].endswith(
        f"/admin/users/{officer.id}?ask={step.replace('-', '_')}")
    assert not AuditEvent.select().where(AuditEvent.action == action).exists()
    assert User.get_by_id(officer.id).active
    again = auth.client.get(asked.headers["Location"])
    assert '<details class="confirm-step" open>' in again.get_data(as_text=True)
    assert "Nothing was changed: confirm it below." in page_text(again)
    done = auth.post(f"/admin/users/{officer.id}/{step}", {"confirmed": "yes"})
    assert done.status_code in (200, 302)
    assert AuditEvent.select().where(AuditEvent.action == action).exists()
