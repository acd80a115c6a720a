"""Sessions live on the server: logout, idle and absolute limits, other
sessions, a fresh CSRF secret at every log-in and log-out, and a production
that refuses to start on a key anyone could know."""
import datetime
from types import SimpleNamespace

import pytest
from flask.sessions import SecureCookieSessionInterface

from fieldapp import create_app
from fieldapp.config import DEV_SECRET, ConfigError
from fieldapp.models import UserSession, utcnow
from tests import factories
from tests.conftest import Auth, csrf_token_from
from tests.web.conftest import anonymous_token, page_text, sign_in


def log_in(client, user, password=factories.PASSWORD):
    response = client.post("/login", data={"email": user.email, "password": password,
                                           "csrf_token": anonymous_token(client)})
    assert response.status_code == 302, page_text(response)
    return response


def session_cookie(client):
    return client.get_cookie("session").value


def age_sessions(user, idle=None, lived=None):
    now = utcnow()
    if idle is not None:
        UserSession.update(last_seen_at=now - idle).where(UserSession.user == user).execute()
    if lived is not None:
        UserSession.update(created_at=now - lived).where(UserSession.user == user).execute()


def test_a_copy_of_the_cookie_taken_before_logout_opens_nothing_after(app, world):
    browser = app.test_client()
    log_in(browser, world["officer"])
    stolen = session_cookie(browser)
    student = f"/students/{world['student_a'].id}"
    assert browser.get(student).status_code == 200
    token = csrf_token_from(page_text(browser.get("/account")))
    assert browser.post("/logout", data={"csrf_token": token}).status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    response = thief.get(student)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert UserSession.get().ended_why == "logout"


@pytest.mark.parametrize("role,idle_minutes,ends", [
    ("front", 29, False), ("front", 31, True), ("supervisor", 31, True), ("admin", 31, True),
    ("officer", 31, False), ("officer", 239, False), ("officer", 241, True),
])
def test_an_idle_session_ends_sooner_at_a_desk_than_on_an_officers_phone(app, world, role,
                                                                        idle_minutes, ends):
    client = app.test_client()
    log_in(client, world[role])
    age_sessions(world[role], idle=datetime.timedelta(minutes=idle_minutes))
    response = client.get("/students")
    assert (response.status_code == 302) is ends
    if ends:
        assert "Your session ended. Please log in again." in page_text(client.get("/login"))
        assert UserSession.get().ended_why == "idle"


def test_no_session_outlives_its_absolute_lifetime_however_busy(app, world):
    client = app.test_client()
    log_in(client, world["officer"])
    age_sessions(world["officer"], lived=datetime.timedelta(hours=12, minutes=1),
                 idle=datetime.timedelta(seconds=5))
    assert client.get("/students").status_code == 302
    assert UserSession.get().ended_why == "expired"


def test_the_session_limits_are_settings(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 5)
    client = app.test_client()
    log_in(client, world["front"])
    age_sessions(world["front"], idle=datetime.timedelta(minutes=6))
    assert client.get("/students").status_code == 302


def test_logging_out_my_other_sessions_leaves_this_one(app, world):
    phone, desk = app.test_client(), app.test_client()
    log_in(phone, world["officer"])
    log_in(desk, world["officer"])
    page = page_text(desk.get("/account"))
    assert page.count("<li>") >= 2 and "This browser" in page
    response = desk.post("/account/sessions/end-others",
                         data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    assert "1 other session ended." in page_text(desk.get("/account"))
    assert desk.get("/students").status_code == 200
    assert phone.get("/students").status_code == 302


def test_a_csrf_token_planted_before_log_in_is_worthless_after(app, world):
    client = app.test_client()
    planted = anonymous_token(client)
    client.post("/login", data={"email": world["officer"].email, "password": factories.PASSWORD,
                                "csrf_token": planted})
    assert client.get("/students").status_code == 200
    response = client.post(f"/cases/{world['case_a'].id}/contacts/new",
                           data={"method": "phone", "outcome": "reached_parent",
                                 "notes": "x", "csrf_token": planted})
    assert response.status_code == 400


def test_the_csrf_secret_of_one_user_does_not_serve_the_next_on_the_same_browser(app, world):
    client = app.test_client()
    log_in(client, world["officer"])
    first = csrf_token_from(page_text(client.get("/account")))
    client.post("/logout", data={"csrf_token": first})
    log_in(client, world["supervisor"])
    response = client.post("/account/sessions/end-others", data={"csrf_token": first})
    assert response.status_code == 400


def test_the_test_fixture_sign_in_opens_a_real_server_session(client, auth, world):
    sign_in(client, auth, world["admin"])
    assert UserSession.select().where(UserSession.user == world["admin"]).count() == 1
    UserSession.update(ended_at=utcnow()).execute()
    assert client.get("/students").status_code == 302


@pytest.mark.parametrize("mode", [None, "", "prod", "Production", "staging", "PRODUCTION",
                                  "development ", "dev"])
def test_anything_but_development_or_test_is_production_and_needs_a_real_key(monkeypatch, mode):
    if mode is None:
        monkeypatch.delenv("FIELDAPP_ENV", raising=False)
    else:
        monkeypatch.setenv("FIELDAPP_ENV", mode)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"DATABASE_URL": "sqlite:///:memory:"})
    monkeypatch.setenv("SECRET_KEY", DEV_SECRET)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"DATABASE_URL": "sqlite:///:memory:"})
    monkeypatch.setenv("SECRET_KEY", "a" * 40)  # long, but no randomness
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"DATABASE_URL": "sqlite:///:memory:"})


def test_a_cookie_forged_with_the_public_development_key_opens_nothing(world, other_app,
                                                                        monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    development = other_app(FIELDAPP_ENV="development")
    assert development.config["SECRET_KEY"] != DEV_SECRET
    forger = SimpleNamespace(secret_key=DEV_SECRET, config={"SECRET_KEY_FALLBACKS": []})
    serializer = SecureCookieSessionInterface().get_signing_serializer(forger)
    forged = serializer.dumps({"_user_id": str(world["admin"].id), "_fresh": True})
    client = development.test_client()
    client.set_cookie("session", forged)
    assert client.get("/admin/imports").status_code == 302


def test_production_answers_insist_on_https_and_every_answer_sets_the_policy(client, other_app):
    import secrets
    answer = client.get("/login")
    assert "Strict-Transport-Security" not in answer.headers  # plain HTTP on a laptop
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
    assert answer.headers["Permissions-Policy"].startswith("geolocation=(self), camera=(self)")
    production = other_app(FIELDAPP_ENV="production", SECRET_KEY=secrets.token_hex(32))
    secure = production.test_client().get("/login", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")
