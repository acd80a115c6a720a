"""The user's own settings: language, password, where they are logged in."""
from flask import (Blueprint, abort, current_app, flash, g, redirect, render_template, request, session,
                   url_for)
from flask_babel import refresh
from flask_login import current_user, login_required

from fieldapp.accounts import mfa, own, sessions
from fieldapp.accounts.login import throttle_from
from fieldapp.accounts.preferences import SCREEN_LANGUAGES, set_language
from fieldapp.web.auth import SESSION_KEY
from fieldapp.web.helpers import client_ip, refuse, require
from fieldapp.web.i18n import gettext, ngettext, screen_language
from fieldapp.web.ratelimits import login_limiter

bp = Blueprint("account", __name__)


@bp.route("/account/language", methods=["GET", "POST"])
@login_required
def language():
    require("account.language")
    # nothing chosen yet: the language the screens follow now (the browser's) is the one ticked
    errors, chosen = {}, current_user.language or screen_language()
    if request.method == "POST":
        chosen = request.form.get("language")
        errors = set_language(current_user._get_current_object(), chosen)
        if not errors:
            refresh()  # said in the language just chosen
            flash(gettext("Language saved."), "success")
            return redirect(url_for("account.language"))
    return render_template("account/language.html", languages=SCREEN_LANGUAGES,
                           chosen=chosen, errors=errors), (422 if errors else 200)


@bp.route("/account")
@login_required
def show():
    require("account.own")
    live = sessions.live_sessions(current_user, sessions.limits_from(current_app.config))
    here = getattr(g, "user_session", None)
    return render_template("account/show.html", live=live, languages=SCREEN_LANGUAGES,
                           here=here.token_hash if here else None)


@bp.route("/account/sessions/end-others", methods=["POST"])
@login_required
def end_others():
    require("account.own")
    ended = own.end_other_sessions(current_user._get_current_object(), session.get(SESSION_KEY),
                                   client_ip())
    flash(ngettext("%(num)d other session ended.", "%(num)d other sessions ended.", ended), "success")
    return redirect(url_for("account.show"))


def _throttle():
    return login_limiter(), throttle_from(current_app.config)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    require("account.own")
    errors, throttled = {}, False
    if request.method == "POST":
        form = request.form
        errors, throttled = own.change_password(
            current_user._get_current_object(), form.get("current"), form.get("new"),
            form.get("repeat"), session.get(SESSION_KEY), *_throttle(), client_ip())
        if not errors:
            flash(gettext("Password changed. You are logged out everywhere else."), "success")
            return redirect(url_for("main.home"))
    status = 429 if throttled else (422 if errors else 200)
    return render_template("account/password.html", errors=errors), status


def _mfa_page(me, errors=None, status=200):
    return render_template("account/mfa.html", enrolled=True, left=mfa.recovery_codes_left(me),
                           required=mfa.is_required(me, current_app.config["MFA_REQUIRED_ROLES"]),
                           errors=errors or {}), status


@bp.route("/account/mfa", methods=["GET", "POST"])
@login_required
def mfa_setup():
    require("account.own")
    me = current_user._get_current_object()
    if mfa.is_enrolled(me):
        return _mfa_page(me)
    secret = mfa.pending_secret(me, current_app.config["SECRET_KEY"])
    errors = {}
    if request.method == "POST":
        codes, errors = mfa.enrol(me, secret, request.form.get("code", "")[:40], client_ip())
        if not errors:
            sessions.mark_mfa_done(session.get(SESSION_KEY))
            return render_template("account/recovery_codes.html", codes=codes)
    uri = mfa.provisioning_uri(me, secret)
    return render_template("account/mfa.html", enrolled=False, secret=secret, qr=mfa.qr_svg(uri),
                           errors=errors), (422 if errors else 200)


@bp.route("/account/mfa/remove", methods=["POST"])
@login_required
def mfa_remove():
    """Turn one's own second step off, after typing one's password: a session
    left open must not be enough to weaken the account."""
    require("account.own")
    me = current_user._get_current_object()
    if mfa.is_required(me, current_app.config["MFA_REQUIRED_ROLES"]):
        refuse("mfa.keep")
    if not mfa.is_enrolled(me):
        return redirect(url_for("account.show"))
    wrong, throttled = own.confirm_password(me, request.form.get("password", "")[:256],
                                            *_throttle(), client_ip())
    if wrong:
        return _mfa_page(me, {"password": wrong}, 429 if throttled else 422)
    mfa.remove(me, me, client_ip())
    flash(gettext("The second step is off."), "success")
    return redirect(url_for("account.show"))
