"""Logging in through the real form: what a person sees when it works, when it
does not, and when someone keeps guessing."""
import re

import pytest

from fieldapp.models import AuditEvent, RateLimitCounter
from tests import factories
from tests.web.conftest import anonymous_token, page_text


def submit(client, email, password, next_url=None):
    token = anonymous_token(client)
    url = "/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"email": email, "password": password, "csrf_token": token})


def alert(response):
    """The message shown above the login form."""
    match = re.search(r'<p class="flash error" role="alert">([^<]*)</p>', page_text(response))
    return match.group(1) if match else None


def test_an_officer_logs_in_and_lands_on_the_caseload(client, world):
    response = submit(client, world["officer"].email.upper(), factories.PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = client.get("/")
    assert home.headers["Location"] == "/caseload"
    assert "My caseload" in page_text(client.get("/caseload"))
    assert AuditEvent.select().where(AuditEvent.action == "login").count() == 1


def test_logging_in_returns_to_the_page_asked_for(client, world):
    wanted = f"/students/{world['student_a'].id}"
    response = submit(client, world["officer"].email, factories.PASSWORD, next_url=wanted)
    assert response.headers["Location"] == wanted


def test_a_wrong_password_and_an_unknown_account_look_the_same(client, world):
    wrong = submit(client, world["officer"].email, "not-the-password-1")
    unknown = submit(client, "nobody-here@test.example", "not-the-password-1")
    assert wrong.status_code == unknown.status_code == 401
    assert alert(wrong) == alert(unknown) == "Email or password is incorrect."
    # What was typed stays in the form; the password does not.
    assert 'value="nobody-here@test.example"' in page_text(unknown)
    assert "not-the-password-1" not in page_text(unknown)


def test_an_inactive_account_gets_the_same_answer(client, world):
    officer = world["officer"]
    officer.active = False
    officer.save()
    response = submit(client, officer.email, factories.PASSWORD)
    assert response.status_code == 401
    assert alert(response) == "Email or password is incorrect."


def test_missing_fields_say_what_to_fill_in(client):
    response = submit(client, "", "")
    assert response.status_code == 422
    text = page_text(response)
    assert "Enter your email." in text and "Enter your password." in text


def test_repeated_failures_lock_the_email_whether_or_not_the_account_exists(app, client, world,
                                                                           monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES", 3)
    monkeypatch.setitem(app.config, "LOGIN_LOCK_MINUTES", 15)
    answers = {}
    for email in (world["officer"].email, "nobody-here@test.example"):
        for _ in range(3):
            assert submit(client, email, "guessing-wrongly-1").status_code == 401
        # Now even the right password is refused, with the same words for both.
        locked = submit(client, email, factories.PASSWORD)
        answers[email] = (locked.status_code, alert(locked))
    assert list(answers.values()) == [(401, "Too many failed attempts. Try again in 15 minutes.")] * 2
    # Three passwords were checked per email; the fourth attempt was refused unheard.
    assert AuditEvent.select().where(AuditEvent.action == "login.failed").count() == 6
    assert AuditEvent.select().where(AuditEvent.action == "login.throttled").count() == 2


def test_guessing_from_one_address_does_not_lock_the_user_out_from_theirs(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES", 3)
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    for _ in range(4):
        submit(attacker, world["officer"].email, "guessing-wrongly-1")
    assert alert(submit(attacker, world["officer"].email, factories.PASSWORD)).startswith("Too many")
    officer = app.test_client()
    officer.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert submit(officer, world["officer"].email, factories.PASSWORD).status_code == 302
    # ... and is told someone guessed.
    assert "3 failed log-ins to your account" in page_text(officer.get("/caseload"))


def test_guesses_from_many_addresses_lock_the_account_and_say_so_in_the_audit(app, world,
                                                                              monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_ACCOUNT", 4)
    for n in range(5):
        guesser = app.test_client()
        guesser.environ_base["REMOTE_ADDR"] = f"203.0.113.{n + 1}"
        submit(guesser, world["officer"].email, "guessing-wrongly-1")
    officer = app.test_client()
    refused = submit(officer, world["officer"].email, factories.PASSWORD)
    assert refused.status_code == 401 and alert(refused).startswith("Too many failed attempts")
    locks = AuditEvent.select().where(AuditEvent.action == "login.locked.account")
    assert [e.object_id for e in locks] == [str(world["officer"].id)]


def test_a_lock_ends_after_its_time(app, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES", 2)
    for _ in range(3):
        submit(client, world["officer"].email, "guessing-wrongly-1")
    assert submit(client, world["officer"].email, factories.PASSWORD).status_code == 401
    RateLimitCounter.update(expires_at=0).execute()  # the window has passed
    response = submit(client, world["officer"].email, factories.PASSWORD)
    assert response.status_code == 302


def test_logout_is_a_post_and_ends_the_session(client, auth, world):
    from tests.web.conftest import sign_in
    token = sign_in(client, auth, world["officer"])
    assert client.get("/logout").status_code == 405
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert "You are logged out." in page_text(client.get("/login"))
    assert client.get("/caseload").status_code == 302


@pytest.mark.parametrize("email", ["a" * 300 + "@x.org", "nul\x00@x.org", "ñandú😀@ejemplo.mx",
                                   "' OR 1=1 --", "\u202eliam@x.org"])
def test_hostile_emails_get_an_answer_never_a_crash(client, email):
    response = submit(client, email, "whatever-password-1")
    assert response.status_code in (401, 422)
    assert alert(response) or "error" in page_text(response)
