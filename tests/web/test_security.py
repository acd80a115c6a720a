"""CSRF on every write, GET never writes, cookies, the production secret, `next`."""
import re
import secrets

import pytest
from peewee import fn

from fieldapp import create_app
from fieldapp.config import DEV_SECRET, ConfigError
from fieldapp.models import AccessLog, Contact
from fieldapp.web.auth import safe_next
from tests import factories
from tests.conftest import Auth
from tests.web.conftest import (DERIVED, ROLES, WORLD_USER, anonymous_token, page_text, row_counts, server_failed,
                                sign_in)
from tests.web.test_access_matrix import ALL_ROUTES, ROUTES, route_urls

GOOD_CONTACT = {"uuid": "0b8a1c55-8a43-4a52-9d6f-2f0c0b7f6a11", "method": "phone",
                "outcome": "reached_parent", "reasons": ["illness"], "notes": "Mother says flu."}


def valid_post(world, endpoint):
    """A complete, valid form for each writing route, so only CSRF can stop it."""
    return {
        "contacts.new": dict(GOOD_CONTACT),
        "contacts.amend": {**GOOD_CONTACT, "amendment_reason": "Wrong outcome."},
        "cases.close": {"closure_reason": "attendance_improved"},
        "cases.stage": {"stage": "conference", "note": "Third absence."},
        "cases.open_case": {"stage": "monitoring"},
        "auth.login": {"email": world["officer"].email, "password": factories.PASSWORD},
    }.get(endpoint, {})


POST_ROUTES = [(e, r) for e, m, r in ALL_ROUTES if m == "POST" and e in ROUTES]


@pytest.mark.parametrize("endpoint,rule", POST_ROUTES, ids=[e for e, _ in POST_ROUTES])
@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}], ids=["form", "htmx"])
def test_a_post_without_csrf_token_is_refused_and_writes_nothing(app, client, auth, world,
                                                                  endpoint, rule, headers):
    if endpoint != "auth.login":
        sign_in(client, auth, world["supervisor"])
    url = route_urls(app, endpoint, world)["in"]
    before = row_counts()
    response = client.post(url, data=valid_post(world, endpoint), headers=headers)
    assert response.status_code == 400, f"POST {url} without a CSRF token: {response.status_code}"
    assert "expired" in page_text(response)
    assert row_counts() == before


def test_a_wrong_csrf_token_is_refused(client, auth, world):
    sign_in(client, auth, world["officer"])
    before = row_counts()
    response = client.post(f"/cases/{world['case_a'].id}/contacts/new",
                           data={**GOOD_CONTACT, "csrf_token": "not-the-token"})
    assert response.status_code == 400
    assert row_counts() == before


def test_htmx_sends_the_token_in_a_header_and_the_write_goes_through(client, auth, world):
    sign_in(client, auth, world["officer"])
    page = page_text(client.get(f"/students/{world['student_a'].id}"))
    # Set once on <body> for every HTMX request; the token carries a timestamp,
    # so take it from this page rather than comparing strings across requests.
    match = re.search(r'"X-CSRFToken": "([^"]+)"', page)
    assert match, "the page sets no CSRF header for HTMX"
    token = match.group(1)
    response = client.post(f"/cases/{world['case_a'].id}/contacts/new", data=GOOD_CONTACT,
                           headers={"HX-Request": "true", "X-CSRFToken": token})
    assert response.status_code in (200, 302, 303)
    assert Contact.select().where(Contact.notes == "Mother says flu.").count() == 1


def test_a_token_of_another_session_is_refused(app, client, auth, world):
    other = app.test_client()
    stolen = sign_in(other, Auth(other), world["other_officer"])
    sign_in(client, auth, world["officer"])
    before = row_counts()
    response = client.post(f"/cases/{world['case_a'].id}/contacts/new", data=GOOD_CONTACT,
                           headers={"HX-Request": "true", "X-CSRFToken": stolen})
    assert response.status_code == 400
    assert row_counts() == before


GET_ROUTES = [e for e, m, _ in ALL_ROUTES if m == "GET" and e in ROUTES]


@pytest.mark.parametrize("role", ROLES + (None,), ids=list(ROLES) + ["logged-out"])
def test_get_never_changes_data(app, world, role):
    """GET every page, in scope, out of scope and missing: the only write is one
    access log line for each page that shows a student's record (and the
    stored standings a page refreshes, a copy of derived state, not data)."""
    client = app.test_client()
    if role:
        sign_in(client, Auth(client), world[WORLD_USER[role]])
    urls = [(endpoint, url) for endpoint in GET_ROUTES  # building URLs may create records
            for url in route_urls(app, endpoint, world).values()]
    before = row_counts(skip=("access_log",) + DERIVED)
    for endpoint, url in urls:
        for headers in ({}, {"HX-Request": "true"}):
            last = AccessLog.select(fn.MAX(AccessLog.id)).scalar() or 0
            response = client.get(url, headers=headers)
            assert not server_failed(response, url), f"GET {url}: {response.status_code}"
            new_lines = [line.student_id for line in AccessLog.select().where(AccessLog.id > last)]
            if endpoint == "students.show" and response.status_code == 200:
                assert len(new_lines) == 1, f"GET {url} showed the record but logged {new_lines}"
            elif response.status_code == 409:
                # a form no longer offered (a case opened or closed meanwhile) says
                # what happened to the student's case: one record shown, logged
                assert len(new_lines) == len(set(new_lines)) <= 1, f"GET {url} logged {new_lines}"
            elif response.status_code != 200:
                assert not new_lines, f"GET {url} answered {response.status_code} but logged"
            else:  # a record page logs its student; a list, each student it shows once
                assert len(new_lines) == len(set(new_lines)), f"GET {url} logged {new_lines}"
    assert row_counts(skip=("access_log",) + DERIVED) == before


def test_session_cookie_is_httponly_and_lax_but_not_secure_in_development(client):
    cookie = client.get("/login").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_is_secure_in_production(app, other_app):
    production = other_app(FIELDAPP_ENV="production", SECRET_KEY=secrets.token_hex(32))
    cookie = production.test_client().get("/login").headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("secret", [None, DEV_SECRET, "", "short-secret"],
                         ids=["unset", "development secret", "empty", "short"])
def test_production_refuses_to_start_without_a_real_secret(monkeypatch, secret):
    monkeypatch.setenv("FIELDAPP_ENV", "production")
    if secret is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", secret)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"DATABASE_URL": "sqlite:///:memory:"})


def test_production_mode_given_as_config_also_refuses_the_development_secret():
    with pytest.raises(ConfigError):
        create_app({"ENV_MODE": "production", "SECRET_KEY": DEV_SECRET,
                    "DATABASE_URL": "sqlite:///:memory:"})


HOSTILE_NEXT = [
    "//evil.com", "///evil.com", "https://evil.com", "http://evil.com/students",
    "/\\evil.com", "\\\\evil.com", "\\/evil.com", "javascript:alert(1)", "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>", "https:evil.com", "evil.com", " //evil.com",
    "/\t/evil.com", "/\n/evil.com", "//evil.com/%2F..", "http:/\\evil.com", "ftp://evil.com",
    "\x00//evil.com", "//\u2215evil.com",
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_next_never_leaves_the_site(target):
    assert safe_next(target) is None


@pytest.mark.parametrize("target", ["/students/12", "/students?q=gar+mar", "/caseload"])
def test_next_within_the_site_is_kept(target):
    assert safe_next(target) == target


def test_logging_in_with_a_hostile_next_lands_at_home(client, world):
    token = anonymous_token(client)
    response = client.post("/login?next=//evil.com/steal", data={
        "email": world["officer"].email, "password": factories.PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
