"""Logging in and out, and the server-side session behind every request."""
import time
from urllib.parse import urlsplit

from flask import (Blueprint, current_app, flash, g, redirect, render_template, request, session,
                   url_for)
from flask_babel import lazy_gettext
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from fieldapp.accounts import audit, mfa, sessions
from fieldapp.accounts.login import LoginRefused, authenticate, give_back, throttle_from
from fieldapp.accounts.ratelimit import per_minutes
from fieldapp.jobs import export_kinds
from fieldapp.models import AuditEvent, User, utcnow
from fieldapp.web.helpers import client_ip
from fieldapp.web.ratelimits import login_limiter
from fieldapp.web.i18n import gettext

bp = Blueprint("auth", __name__)

SESSION_KEY = "_sid"


class LoginForm(FlaskForm):
    email = EmailField(lazy_gettext("Email"),
                       validators=[DataRequired(lazy_gettext("Enter your email.")), Length(max=254)])
    password = PasswordField(lazy_gettext("Password"),
                             validators=[DataRequired(lazy_gettext("Enter your password.")),
                                         Length(max=256)])


def safe_next(target):
    """A `next` address on this site, or None: never send a user elsewhere."""
    if not target or "\\" in target or any(ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def load_session_user(user_id):
    """flask-login's user loader: the user of a live server-side session, or None.

    A cookie whose session ended (logout anywhere, idle, lifetime, deactivation)
    opens nothing, even if it is a perfect copy."""
    record, why = sessions.check(session.get(SESSION_KEY), sessions.limits_from(current_app.config))
    if record is None or str(record.user_id) != str(user_id):
        _forget_browser_session()
        if why in ("idle", "expired"):
            flash(gettext("Your session ended. Please log in again."), "info")
        return None
    g.user_session = record
    return record.user


def _forget_browser_session():
    """Empty the cookie's session and its CSRF secret: nothing planted before
    carries over to whoever logs in next on this browser."""
    session.clear()
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)


def begin_session(user, mfa_done=False, how=""):
    """Log user in on this browser with a fresh server-side session."""
    _forget_browser_session()
    session[SESSION_KEY] = sessions.start(user, client_ip(), request.headers.get("User-Agent", ""),
                                          mfa_done=mfa_done)
    login_user(user)
    missed = _failures_since_last_login(user)
    user.last_login_at = utcnow()
    user.save(only=[User.last_login_at])
    audit.record(user, "login", user, client_ip(), detail=how)
    if missed:
        flash(gettext("There were %(count)d failed log-ins to your account since you last logged "
                      "in. If they were not you, tell your administrator.", count=missed), "warning")


def _failures_since_last_login(user):
    query = AuditEvent.select().where(AuditEvent.action == "login.failed",
                                      AuditEvent.object_type == "user",
                                      AuditEvent.object_id == str(user.id))
    if user.last_login_at:
        query = query.where(AuditEvent.at > user.last_login_at)
    return query.count()


def _record_refusal(email, refused):
    action = "login.throttled" if refused.throttled else "login.failed"
    audit.record(None, action, refused.user, client_ip(), detail=(email or "")[:254])
    if refused.locked:
        audit.record(None, f"login.locked.{refused.locked}", refused.user, client_ip(),
                     detail=(email or "")[:254])


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data, client_ip(),
                                login_limiter(), throttle_from(current_app.config))
        except LoginRefused as refused:
            error = refused.message  # shown in the user's language by the template
            _record_refusal(form.email.data, refused)
        else:
            target = safe_next(request.args.get("next")) or url_for("main.home")
            if mfa.is_enrolled(user):
                return _ask_second_factor(user, target)
            begin_session(user)
            return redirect(target)
    status = 401 if error else (422 if form.errors else 200)
    return render_template("auth/login.html", form=form, error=error), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    audit.record(current_user._get_current_object(), "logout", None, client_ip())
    # The session ends first: an export finishing now then finds it ended and
    # keeps nothing (fieldapp.jobs.export_kinds), or kept its file before and
    # it is removed here with the rest.
    sessions.end(session.get(SESSION_KEY), "logout")
    export_kinds.remove_of_user(current_user)  # the spreadsheets made for this user go with the session
    logout_user()
    _forget_browser_session()
    flash(gettext("You are logged out."), "info")
    response = redirect(url_for("auth.login"))
    # The page already warned about unsent entries; this wipes the phone even
    # if its script failed.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


# Pages a user may still reach before choosing a password or a second factor.
ALWAYS_OPEN = {"account.password", "account.mfa_setup", "auth.logout", "static", "sync.service_worker",
               "sync.manifest", "main.healthz", "main.workers_health"}


@bp.before_app_request
def _password_and_second_factor_first():
    """Someone given a temporary password chooses their own before anything
    else; a role that must use a second factor sets it up next."""
    if request.endpoint in ALWAYS_OPEN or not current_user.is_authenticated:
        return None
    if current_user.must_change_password:
        page, why = "account.password", "password change required"
    elif (mfa.is_required(current_user, current_app.config["MFA_REQUIRED_ROLES"])
          and not getattr(g.get("user_session"), "mfa_done", False)):
        if mfa.is_enrolled(current_user):
            # Set up from another device meanwhile: this session never gave a
            # code, and the set-up page has nothing left to ask. Log in again.
            return _end_for_second_factor()
        page, why = "account.mfa_setup", "second factor required"
    else:
        return None
    if request.path.startswith("/api/"):
        return {"error": why}, 403
    return redirect(url_for(page))


def _end_for_second_factor():
    sessions.end(session.get(SESSION_KEY), "second factor required")
    logout_user()
    _forget_browser_session()
    if request.path.startswith("/api/"):
        return {"error": "second factor required"}, 401
    flash(gettext("Your account now asks for a code from your authenticator app. "
                  "Please log in again."), "info")
    return redirect(url_for("auth.login"))


PENDING = "_mfa_pending"
# Wrong codes one user may type in a window, before the code is not checked at all.
CODE_CHECKS = per_minutes(5, 15)


def _ask_second_factor(user, target):
    """The password was right; the session starts only after the code."""
    _forget_browser_session()
    session[PENDING] = {"user": user.id, "at": time.time(), "next": target}
    return redirect(url_for("auth.second_factor"))


@bp.route("/login/code", methods=["GET", "POST"])
def second_factor():
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > 300:
        session.pop(PENDING, None)
        flash(gettext("Please log in to continue."), "info")
        return redirect(url_for("auth.login"))
    user = User.get_or_none(User.id == pending["user"])
    error = None
    if request.method == "POST" and user is not None:
        if not login_limiter().hit(CODE_CHECKS, "mfa", str(user.id)):
            error = gettext("Too many wrong codes. Wait 15 minutes and log in again.")
        else:
            outcome = mfa.check_code(user, request.form.get("code", "")[:40], client_ip())
            if outcome == "ok":
                give_back(login_limiter(), CODE_CHECKS, "mfa", str(user.id))  # wrong codes only
                begin_session(user, mfa_done=True)
                return redirect(pending.get("next") or url_for("main.home"))
            audit.record(None, "login.failed_code", user, client_ip())
            error = (gettext("That code was used already. Wait for your app to show the next "
                             "one and type it.") if outcome == "reused" else
                     gettext("That code is not right. Type the six digits your app shows now, "
                             "or a recovery code."))
    return render_template("auth/code.html", error=error), (401 if error else 200)
