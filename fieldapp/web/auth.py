"""Logging in and out."""
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from fieldapp.accounts.login import LoginRefused, authenticate
from fieldapp.models import AuditEvent

bp = Blueprint("auth", __name__)


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


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data,
                                current_app.config["LOGIN_MAX_FAILURES"],
                                current_app.config["LOGIN_LOCK_MINUTES"])
        except LoginRefused as refused:
            error = refused.message  # shown in the user's language by the template
        else:
            login_user(user)
            AuditEvent.create(user=user, action="login", ip=request.remote_addr or "")
            return redirect(safe_next(request.args.get("next")) or url_for("main.home"))
    status = 401 if error else (422 if form.errors else 200)
    return render_template("auth/login.html", form=form, error=error), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    AuditEvent.create(user=current_user.id, action="logout", ip=request.remote_addr or "")
    logout_user()
    flash(gettext("You are logged out."), "info")
    response = redirect(url_for("auth.login"))
    # The page already warned about unsent entries; this wipes the phone even
    # if its script failed.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response
