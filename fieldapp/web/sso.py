"""Sign in with the district's identity provider (OpenID Connect, Authlib).

Configured by OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET; the
provider's endpoints and keys come from its discovery document. The provider's
own sign-in stands for fieldapp's second step."""
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.flask_client import OAuth
from joserfc.errors import JoseError
from requests import RequestException
from flask import Blueprint, abort, current_app, redirect, render_template, url_for

from fieldapp.accounts import audit
from fieldapp.accounts.sso import SignOnRefused, user_for_claims
from fieldapp.web.auth import LoginForm, begin_session
from fieldapp.web.helpers import client_ip
from fieldapp.web.i18n import gettext

bp = Blueprint("sso", __name__)


def configured(config):
    return bool(config.get("OIDC_ISSUER") and config.get("OIDC_CLIENT_ID"))


def _client():
    """The Authlib client for the configured provider (built again if the settings changed)."""
    config = current_app.config
    if not configured(config):
        abort(404)
    wanted = (config["OIDC_ISSUER"].rstrip("/"), config["OIDC_CLIENT_ID"], config["OIDC_CLIENT_SECRET"])
    state = current_app.extensions.setdefault("fieldapp_sso", {})
    if state.get("settings") != wanted:
        oauth = OAuth(current_app)
        oauth.register("district", client_id=wanted[1], client_secret=wanted[2],
                       server_metadata_url=f"{wanted[0]}/.well-known/openid-configuration",
                       client_kwargs={"scope": "openid email profile", "timeout": 10})
        state.update(settings=wanted, client=oauth.district)
    return state["client"]


@bp.route("/login/sso")
def start():
    return _client().authorize_redirect(url_for("sso.callback", _external=True))


@bp.route("/login/sso/callback")
def callback():
    client = _client()
    try:
        token = client.authorize_access_token()
        claims = _claims(client, token)
        issuer = current_app.config["OIDC_ISSUER"].rstrip("/")
        if str(claims.get("iss", "")).rstrip("/") != issuer:
            raise OAuthError(error="wrong_issuer")
        user = user_for_claims(claims)
    except (AuthlibBaseError, JoseError, RequestException, ValueError, KeyError) as error:
        audit.record(None, "login.sso_refused", None, client_ip(), detail=type(error).__name__ +
                     ": " + str(error)[:300])
        return _refused(gettext("Sign-in with your district account did not work. Try again, "
                                "or log in with your password."))
    except SignOnRefused as refused:
        audit.record(None, "login.sso_refused", None, client_ip(),
                     detail=str(claims.get("email", ""))[:254])
        return _refused(refused.args[0])
    begin_session(user, mfa_done=True, how="single sign-on")
    return redirect(url_for("main.home"))


def _claims(client, token):
    """The verified ID token's claims; the email from the userinfo endpoint
    when the ID token does not carry it (the same subject, or refused)."""
    if not token.get("userinfo"):
        raise OAuthError(error="no_id_token")
    claims = dict(token["userinfo"])
    if "email" not in claims:
        more = client.userinfo(token=token)
        if more.get("sub") != claims.get("sub"):
            raise OAuthError(error="userinfo_for_another_subject")
        claims.update({key: more[key] for key in ("email", "email_verified") if key in more})
    return claims


def _refused(message):
    return render_template("auth/login.html", form=LoginForm(), error=message), 401
