"""Sign-in with the district's identity provider, against a real OpenID
provider on localhost (discovery, JWKS, signed ID tokens): a verified email
of a fieldapp user logs in; anything else is refused and nobody is created."""
import ssl
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest
from Cryptodome.PublicKey import RSA
from jwkest.jwk import RSAKey

from fieldapp.models import AuditEvent, User, UserSession
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, DistrictProvider
from tests.web.conftest import page_text


@pytest.fixture
def provider(app, monkeypatch, tmp_path):
    district = DistrictProvider(str(tmp_path))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", district.ca_file)  # fieldapp trusts the test's certificate
    monkeypatch.setitem(app.config, "OIDC_ISSUER", district.issuer)
    monkeypatch.setitem(app.config, "OIDC_CLIENT_ID", CLIENT_ID)
    monkeypatch.setitem(app.config, "OIDC_CLIENT_SECRET", CLIENT_SECRET)
    global TRUST
    TRUST = ssl.create_default_context(cafile=district.ca_file)
    yield district
    district.stop()


TRUST = None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def sign_on(client, email):
    """Click "Sign in with your district account", sign in at the provider, come back."""
    start = client.get("/login/sso")
    assert start.status_code == 302
    provider_url = start.headers["Location"]
    try:
        urllib.request.build_opener(_NoRedirect, urllib.request.HTTPSHandler(context=TRUST)).open(
            provider_url, timeout=30)
        raise AssertionError("the provider did not send the browser back")
    except urllib.error.HTTPError as back:
        assert back.code == 302
        location = back.headers["Location"]
    parts = urlsplit(location)
    assert parts.path == "/login/sso/callback"
    return client.get(f"{parts.path}?{parts.query}")


def test_the_login_page_offers_the_district_sign_in_only_when_configured(app, client, provider,
                                                                        monkeypatch):
    assert "Sign in with your district account" in page_text(client.get("/login"))
    monkeypatch.setitem(app.config, "OIDC_ISSUER", "")
    assert "district account" not in page_text(client.get("/login"))
    assert client.get("/login/sso").status_code == 404


def test_a_user_with_a_verified_district_email_is_logged_in(client, provider, world):
    provider.email = world["supervisor"].email.upper()
    response = sign_on(client, provider.email)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/supervisor/contacts").status_code == 200
    session = UserSession.get(UserSession.user == world["supervisor"])
    assert session.mfa_done  # the district's sign-in stands for the second step
    login = AuditEvent.get(AuditEvent.action == "login")
    assert login.detail == "single sign-on"


def test_an_unknown_email_is_refused_and_nobody_is_created(client, provider, world):
    provider.email = "stranger@district.example"
    before = User.select().count()
    response = sign_on(client, provider.email)
    assert response.status_code == 401
    assert "not a fieldapp user" in page_text(response)
    assert User.select().count() == before
    assert client.get("/students").status_code == 302
    assert AuditEvent.select().where(AuditEvent.action == "login.sso_refused").count() == 1


def test_an_unverified_email_is_refused(client, provider, world):
    provider.email, provider.email_verified = world["officer"].email, False
    response = sign_on(client, provider.email)
    assert response.status_code == 401 and "not verified" in page_text(response)


def test_a_deactivated_user_is_refused(client, provider, world):
    officer = world["officer"]
    officer.active = False
    officer.save()
    provider.email = officer.email
    assert sign_on(client, officer.email).status_code == 401


@pytest.mark.parametrize("what", ["issuer", "audience", "nonce", "expired", "foreign key"])
def test_a_token_that_is_not_for_us_or_not_now_is_refused(client, provider, world, what):
    provider.email = world["supervisor"].email
    if what == "foreign key":
        provider.foreign_key = RSAKey(key=RSA.generate(2048), use="sig", alg="RS256", kid="district-1")
    else:
        provider.tamper = {"issuer": {"iss": "http://127.0.0.1:9/evil"},
                           "audience": {"aud": "another-application"},
                           "nonce": {"nonce": "a-nonce-from-another-login"},
                           "expired": provider.expired_claims()}[what]
    response = sign_on(client, provider.email)
    assert response.status_code == 401, what
    assert "did not work" in page_text(response)
    assert client.get("/students").status_code == 302
    assert UserSession.select().count() == 0
    # Refused for the reason tried, not another.
    why = AuditEvent.get(AuditEvent.action == "login.sso_refused").detail
    assert {"issuer": "'iss'", "audience": "'azp'", "nonce": "'nonce'", "expired": "expired",
            "foreign key": "signature"}[what] in why, why


@pytest.mark.parametrize("claims", [
    {"email": ["officer@district.org"], "email_verified": True},
    {"email": 12, "email_verified": True},
    {"email": {"value": "x"}, "email_verified": "true"},
    {"email": "nul\x00@district.org", "email_verified": True},
    {"email_verified": True},
])
def test_claims_of_an_odd_shape_are_refused_not_a_crash(app, world, claims):
    """Signed by the provider does not mean well formed: an email that is not
    text is refused like an unknown one."""
    from fieldapp.accounts.sso import SignOnRefused, user_for_claims
    with pytest.raises(SignOnRefused):
        user_for_claims(claims)
