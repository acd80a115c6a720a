"""Only failed log-ins count toward a lock: an officer who logs in all day,
or a district office whose officers all log in at 8 a.m. from one shared
address, is never refused; guessing still locks as before."""
import re

import pyotp
from argon2 import PasswordHasher

from fieldapp.models import AuditEvent
from tests import factories
from tests.conftest import csrf_token_from
from tests.web.conftest import anonymous_token, page_text
from tests.web.test_mfa import enrol

# The same password under argon2 settings cheap enough to check hundreds of
# times in a test: the counting is under test here, not the hashing.
QUICK = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
OFFICE = "198.51.100.20"


def quick_password(*users):
    for user in users:
        user.password_hash = QUICK.hash(factories.PASSWORD)
        user.save()


def log_in(app, email, password=factories.PASSWORD, address=OFFICE):
    """A fresh browser at address sends the log-in form; the answer."""
    browser = app.test_client()
    browser.environ_base["REMOTE_ADDR"] = address
    return browser.post("/login", data={"email": email, "password": password,
                                        "csrf_token": anonymous_token(browser)})


def alert(response):
    match = re.search(r'<p class="flash error" role="alert">([^<]*)</p>', page_text(response))
    return match.group(1) if match else None


def test_thirty_log_ins_in_a_row_all_open(app, world):
    officer = world["officer"]
    quick_password(officer)
    answers = [log_in(app, officer.email) for _ in range(30)]
    assert [(a.status_code, alert(a)) for a in answers] == [(302, None)] * 30
    assert AuditEvent.select().where(AuditEvent.action == "login").count() == 30
    assert not AuditEvent.select().where(AuditEvent.action.startswith("login.")).exists()


def test_after_many_log_ins_guessing_still_locks_as_before(app, world):
    officer = world["officer"]
    quick_password(officer)
    for _ in range(30):
        assert log_in(app, officer.email).status_code == 302
    # LOGIN_MAX_FAILURES (5) wrong passwords from one address: the sixth try,
    # right or wrong, is refused there without a check.
    for _ in range(5):
        assert alert(log_in(app, officer.email, "guessing-wrongly-1")) == \
            "Email or password is incorrect."
    refused = log_in(app, officer.email)
    assert refused.status_code == 401
    assert alert(refused) == "Too many failed attempts. Try again in 15 minutes."
    # LOGIN_MAX_FAILURES_ACCOUNT (20) failures from anywhere lock the account.
    for n in range(15):
        log_in(app, officer.email, "guessing-wrongly-1", address=f"203.0.113.{n + 1}")
    locked = log_in(app, officer.email, address="192.0.2.1")
    assert locked.status_code == 401 and alert(locked).startswith("Too many failed attempts")
    assert AuditEvent.select().where(AuditEvent.action == "login.locked.account").count() == 1


def test_a_district_office_sharing_one_address_logs_in_at_eight(app, world):
    """Seventy officers log in from the office's one address within the minute."""
    officers = [factories.gen_user("officer", [world["school_a"]]) for _ in range(70)]
    quick_password(*officers)
    answers = [log_in(app, officer.email).status_code for officer in officers]
    assert answers == [302] * 70
    # The office's mistyped passwords count (failures only), each officer's once.
    for officer in officers[:10]:
        assert log_in(app, officer.email, "mistyped-1").status_code == 401
        assert log_in(app, officer.email).status_code == 302


def test_the_per_minute_ceiling_of_one_address_is_a_setting(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_PER_MINUTE_ADDRESS", 10)
    browser = app.test_client()
    token = anonymous_token(browser)
    answers = [browser.post("/login", data={"email": "", "password": "", "csrf_token": token})
               for _ in range(11)]
    assert [a.status_code for a in answers] == [422] * 10 + [429]
    assert "Too many requests" in page_text(answers[-1])


def test_six_log_ins_with_the_second_step_in_a_quarter_hour_all_open(app, world):
    """Codes typed right do not count toward the wrong-code limit (5 in 15 minutes)."""
    officer = world["officer"]
    quick_password(officer)
    first = app.test_client()
    first.post("/login", data={"email": officer.email, "password": factories.PASSWORD,
                               "csrf_token": anonymous_token(first)})
    secret, recovery = enrol(first)
    assert secret
    for code in recovery[:6]:
        browser = app.test_client()
        browser.post("/login", data={"email": officer.email, "password": factories.PASSWORD,
                                     "csrf_token": anonymous_token(browser)})
        page = browser.get("/login/code")
        answer = browser.post("/login/code", data={"code": code,
                                                   "csrf_token": csrf_token_from(page_text(page))})
        assert answer.status_code == 302, page_text(answer)
    # Wrong codes are still limited.
    guesser = app.test_client()
    guesser.post("/login", data={"email": officer.email, "password": factories.PASSWORD,
                                 "csrf_token": anonymous_token(guesser)})
    page = guesser.get("/login/code")
    token = csrf_token_from(page_text(page))
    for _ in range(5):
        guesser.post("/login/code", data={"code": "999999", "csrf_token": token})
    refused = guesser.post("/login/code", data={"code": pyotp.TOTP(secret).now(),
                                                "csrf_token": token})
    assert refused.status_code == 401 and "Too many wrong codes" in page_text(refused)
