"""What a signed-in session can do to the account itself asks for the
password, and guessing that password there is throttled like the log-in:
a phone left unlocked in a car, or a stolen cookie, must not become a way to
learn the password or to switch off the second step."""
from fieldapp.models import AuditEvent, User
from tests import factories
from tests.web.conftest import page_text


def change(auth, current, new="orchard-lantern-47-quill"):
    return auth.post("/account/password", data={"current": current, "new": new, "repeat": new})


def test_guessing_the_current_password_is_throttled(app, login_as, auth, world, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES", 3)
    login_as("officer")
    for guess in range(3):
        answer = change(auth, f"guess-{guess}")
        assert answer.status_code == 422 and "not your current password" in page_text(answer)
    # The right password now is refused unchecked, with the wait, next to the field.
    refused = change(auth, factories.PASSWORD)
    assert refused.status_code == 429
    assert "Too many failed attempts" in page_text(refused)
    assert User.get_by_id(world["officer"].id).password_changed_at is None
    assert AuditEvent.select().where(AuditEvent.action == "password.check_failed").count() == 3


def test_the_right_password_clears_the_count(app, login_as, auth, world, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES", 3)
    login_as("officer")
    change(auth, "guess-1")
    change(auth, "guess-2")
    assert change(auth, factories.PASSWORD).status_code == 302


def enrol(app, auth):
    import re
    import pyotp
    from tests.conftest import csrf_token_from
    page = page_text(auth.client.get("/account/mfa"))
    secret = re.search(r'<code class="totp-secret">([A-Z2-7]+)</code>', page).group(1)
    auth.client.post("/account/mfa", data={"code": pyotp.TOTP(secret).now(),
                                           "csrf_token": csrf_token_from(page)})


def test_turning_the_second_step_off_asks_for_the_password(app, login_as, auth, world):
    login_as("officer")
    enrol(app, auth)
    page = page_text(auth.client.get("/account/mfa"))
    assert 'name="password"' in page
    refused = auth.post("/account/mfa/remove", data={})
    assert refused.status_code == 422 and "not your current password" in page_text(refused)
    refused = auth.post("/account/mfa/remove", data={"password": "not-it"})
    assert refused.status_code == 422
    assert User.get_by_id(world["officer"].id).totp_enabled_at is not None
    done = auth.post("/account/mfa/remove", data={"password": factories.PASSWORD})
    assert done.status_code == 302
    assert User.get_by_id(world["officer"].id).totp_enabled_at is None
