"""A second step at log-in: time-based codes from an authenticator app
(RFC 6238), recovery codes, set up in the browser, required by a setting."""
import re
import time

import pyotp

from fieldapp.models import AuditEvent, User
from tests import factories
from tests.conftest import csrf_token_from
from tests.web.conftest import anonymous_token, page_text


def password_step(client, user):
    return client.post("/login", data={"email": user.email, "password": factories.PASSWORD,
                                       "csrf_token": anonymous_token(client)})


def code_step(client, code):
    page = client.get("/login/code")
    return client.post("/login/code", data={"code": code,
                                            "csrf_token": csrf_token_from(page_text(page))})


def _not_a_code_of(page):
    """Six digits that are none of the codes the set-up page's key gives now or a step
    either way (a fixed wrong code is right for 90 s in every million steps)."""
    totp = pyotp.TOTP(re.search(r'<code class="totp-secret">([A-Z2-7]+)</code>', page).group(1))
    right = {totp.at(time.time() + offset * 30) for offset in (-2, -1, 0, 1, 2)}
    return next(code for code in ("000000", "135791", "246802") if code not in right)


def enrol(client):
    """Set up the second step as a user does: read the key off the page, type a code."""
    page = page_text(client.get("/account/mfa"))
    assert "<svg" in page  # the QR code, drawn inline
    secret = re.search(r'<code class="totp-secret">([A-Z2-7]+)</code>', page).group(1)
    answer = client.post("/account/mfa", data={"code": pyotp.TOTP(secret).now(),
                                               "csrf_token": csrf_token_from(page)})
    assert answer.status_code == 200, page_text(answer)
    codes = re.findall(r"<li><code>([0-9a-f]{4}-[0-9a-f]{4})</code></li>", page_text(answer))
    assert len(codes) == 10
    return secret, codes


def test_a_supervisor_must_set_up_the_second_step_when_the_setting_asks(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "MFA_REQUIRED_ROLES", "supervisor,admin")
    client = app.test_client()
    assert password_step(client, world["supervisor"]).status_code == 302
    assert client.get("/supervisor/contacts").headers["Location"] == "/account/mfa"
    page = page_text(client.get("/account/mfa"))
    wrong = client.post("/account/mfa", data={"code": _not_a_code_of(page),
                                              "csrf_token": csrf_token_from(page)})
    assert wrong.status_code == 422 and "does not match" in page_text(wrong), page_text(wrong)[-2000:]
    enrol(client)
    assert client.get("/supervisor/contacts").status_code == 200
    # An officer is not asked.
    officer = app.test_client()
    password_step(officer, world["officer"])
    assert officer.get("/caseload").status_code == 200


def test_once_set_up_the_password_alone_opens_nothing(app, world):
    client = app.test_client()
    password_step(client, world["officer"])
    secret, codes = enrol(client)
    thief = app.test_client()
    answer = password_step(thief, world["officer"])
    assert answer.headers["Location"] == "/login/code"
    assert thief.get("/caseload").status_code == 302
    assert code_step(thief, "123456").status_code == 401
    assert thief.get("/caseload").status_code == 302
    # The code that turned it on is spent: the next one of the app opens the session.
    assert code_step(thief, pyotp.TOTP(secret).at(time.time() + 30)).status_code == 302
    assert thief.get("/caseload").status_code == 200


def test_a_recovery_code_works_once(app, world):
    client = app.test_client()
    password_step(client, world["officer"])
    _, codes = enrol(client)
    first, second = app.test_client(), app.test_client()
    password_step(first, world["officer"])
    assert code_step(first, codes[0].upper()).status_code == 302
    password_step(second, world["officer"])
    assert code_step(second, codes[0]).status_code == 401
    assert AuditEvent.select().where(AuditEvent.action == "mfa.recovery_code").count() == 1


def test_wrong_codes_are_throttled(app, world):
    client = app.test_client()
    password_step(client, world["officer"])
    secret, _ = enrol(client)
    guesser = app.test_client()
    password_step(guesser, world["officer"])
    for _ in range(5):
        code_step(guesser, "999999")
    refused = code_step(guesser, pyotp.TOTP(secret).now())
    assert refused.status_code == 401 and "Too many wrong codes" in page_text(refused)


def test_an_admin_removes_the_second_step_of_someone_who_lost_their_phone(app, world, login_as,
                                                                          auth):
    client = app.test_client()
    password_step(client, world["officer"])
    enrol(client)
    login_as("admin")
    auth.post(f"/admin/users/{world['officer'].id}/reset-mfa", {"confirmed": "yes"})
    assert not User.get_by_id(world["officer"].id).totp_enabled_at
    assert password_step(app.test_client(), world["officer"]).headers["Location"] == "/"


def test_a_code_opens_one_session_only(app, world):
    """RFC 6238 section 5.2: a code that was accepted once is refused after,
    within its 30 seconds and the step of grace either side, so a code read
    over a shoulder or from a phishing page is spent once the user typed it."""
    client = app.test_client()
    password_step(client, world["officer"])
    secret, _ = enrol(client)
    totp = pyotp.TOTP(secret)
    user = app.test_client()
    password_step(user, world["officer"])
    code = totp.at(time.time() + 30)  # the enrolment spent the current step's code
    assert code_step(user, code).status_code == 302
    thief = app.test_client()
    password_step(thief, world["officer"])
    again = code_step(thief, code)
    assert again.status_code == 401 and "used already" in page_text(again)
    assert thief.get("/caseload").status_code == 302
    # A code of an earlier step, still inside the grace window, is spent too.
    older = totp.now()
    if older != code:
        assert code_step(thief, older).status_code == 401
    assert AuditEvent.select().where(AuditEvent.action == "mfa.code_reused").count() >= 1


def test_the_code_that_turned_it_on_does_not_also_log_in(app, world):
    client = app.test_client()
    password_step(client, world["officer"])
    page = page_text(client.get("/account/mfa"))
    secret = re.search(r'<code class="totp-secret">([A-Z2-7]+)</code>', page).group(1)
    code = pyotp.TOTP(secret).now()
    assert client.post("/account/mfa", data={"code": code,
                                             "csrf_token": csrf_token_from(page)}).status_code == 200
    other = app.test_client()
    password_step(other, world["officer"])
    assert code_step(other, code).status_code == 401


def test_one_code_sent_twice_at_once_opens_one_session(app, world):
    """Two requests with the same code, raced: the spent step is claimed in one
    atomic statement, so only one of them can win."""
    from fieldapp.accounts import mfa
    client = app.test_client()
    password_step(client, world["officer"])
    secret, _ = enrol(client)
    code = pyotp.TOTP(secret).at(time.time() + 30)
    user = User.get_by_id(world["officer"].id)
    stale = User.get_by_id(world["officer"].id)  # read before the first one claimed the step
    assert mfa.verify(user, code) is True
    assert mfa.verify(stale, code) is False


def test_a_second_device_waiting_to_set_up_is_asked_for_the_code_once_set_up_elsewhere(
        app, world, monkeypatch):
    """A supervisor logged in on two devices sets up the second step on one:
    the other no longer loops on the set-up page (already done, no way to type
    a code there) but logs in again and gives the code."""
    monkeypatch.setitem(app.config, "MFA_REQUIRED_ROLES", "supervisor,admin")
    desk, phone = app.test_client(), app.test_client()
    password_step(desk, world["supervisor"])
    password_step(phone, world["supervisor"])
    assert phone.get("/supervisor/contacts").headers["Location"] == "/account/mfa"
    enrol(desk)
    answer = phone.get("/supervisor/contacts")
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/login")
    assert phone.get("/account/mfa").status_code == 302  # that session is over
    assert desk.get("/supervisor/contacts").status_code == 200
