"""The administrator's user pages: list, add, change role and schools,
deactivate and reactivate, reset a password, unlock; and the audit trail."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from fieldapp import codes
from fieldapp.accounts import audit, directory, lifecycle, mfa
from fieldapp.accounts.login import throttle_from
from fieldapp.accounts.users import UserError
from fieldapp.models import School, User
from fieldapp.web.helpers import client_ip, page_zone, require
from fieldapp.web.i18n import gettext, ngettext, translate
from fieldapp.web.ratelimits import login_limiter

bp = Blueprint("admin_users", __name__, url_prefix="/admin")


def _me():
    return current_user._get_current_object()


def _user_for(user_id):
    require("users.manage")
    user = User.get_or_none(User.id == user_id)
    if user is None:
        abort(404)
    return user


def _schools():
    return list(School.select().order_by(School.name))


@bp.route("/users")
@login_required
def users():
    require("users.manage")
    args = {k: (request.args.get(k) or "")[:100] for k in ("q", "role", "status")}
    found = directory.find_users(args["q"], args["role"], args["status"])
    throttle = throttle_from(current_app.config)
    locked = {u.id for u in found if lifecycle.is_locked(u, login_limiter(), throttle)}
    return render_template("admin_users/list.html", users=found, args=args, roles=codes.ROLES,
                           schools=directory.school_names(found), locked=locked)


@bp.route("/users/new", methods=["GET", "POST"])
@login_required
def new():
    require("users.manage")
    form, errors = {"role": "officer", "schools": []}, {}
    if request.method == "POST":
        form = {"email": (request.form.get("email") or "")[:254], "name": request.form.get("name", "")[:200],
                "role": request.form.get("role", ""), "schools": request.form.getlist("schools")[:50]}
        try:
            user, password = lifecycle.add_user(_me(), form["email"], form["name"], form["role"],
                                                form["schools"], client_ip())
        except UserError as error:
            errors = error.errors
        else:
            return render_template("admin_users/password.html", user=user, password=password,
                                   added=True)
    return render_template("admin_users/new.html", form=form, errors=errors, roles=codes.ROLES,
                           schools=_schools()), (422 if errors else 200)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@login_required
def show(user_id):
    user = _user_for(user_id)
    errors = {}
    if request.method == "POST":
        errors = lifecycle.change_role(_me(), user, request.form.get("role", ""),
                                       request.form.getlist("schools")[:50], client_ip())
        if not errors:
            flash(gettext("Role and schools saved."), "success")
            _flash_released(user)
            return redirect(url_for("admin_users.show", user_id=user.id))
    events, _ = directory.audit_events({"target": user.email, "page": 1})
    locked = lifecycle.is_locked(user, login_limiter(), throttle_from(current_app.config))
    return render_template("admin_users/show.html", target=user, errors=errors, roles=codes.ROLES,
                           schools=_schools(), chosen=set(user.school_ids()), events=events[:20],
                           locked=locked, people=directory.users_by_id(events[:20]),
                           changes=audit.changes, school_names=_school_names(),
                           ask=request.args.get("ask", "")), (422 if errors else 200)


def _school_names():
    """{school id: name}, for the schools an audit line's before and after name by id."""
    return dict(School.select(School.id, School.name).tuples())


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@login_required
def deactivate(user_id):
    user = _user_for(user_id)
    if not _confirmed():
        return _ask(user, "deactivate")
    errors = lifecycle.deactivate(_me(), user, client_ip())
    flash(translate(errors["user"]) if errors
          else gettext("%(email)s can no longer log in; their sessions ended.", email=user.email),
          "error" if errors else "success")
    if not errors:
        _flash_released(user)
    return redirect(url_for("admin_users.show", user_id=user.id))


def _confirmed():
    """Whether a post carries the answer of its confirm step (templates/_macros.html, confirm_step)."""
    return request.form.get("confirmed") == "yes"


def _ask(user, step):
    """A post without its answer (one tap, a page from before): nothing changes, and the user's page
    opens the question again."""
    flash(gettext("Nothing was changed: confirm it below."), "error")
    return redirect(url_for("admin_users.show", user_id=user.id, ask=step))


def _flash_released(user):
    """Say what an account change sent to the unassigned queue, if anything."""
    cases, referrals = getattr(user, "released", (0, 0))
    if cases or referrals:
        flash(gettext("%(cases)s and %(referrals)s of %(name)s now wait in the unassigned queue.",
                      cases=ngettext("%(num)d open case", "%(num)d open cases", cases),
                      referrals=ngettext("%(num)d waiting referral", "%(num)d waiting referrals", referrals),
                      name=user.name), "success")


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
@login_required
def reactivate(user_id):
    user = _user_for(user_id)
    lifecycle.reactivate(_me(), user, client_ip())
    flash(gettext("%(email)s can log in again.", email=user.email), "success")
    return redirect(url_for("admin_users.show", user_id=user.id))


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
@login_required
def reset_password(user_id):
    user = _user_for(user_id)
    if not _confirmed():
        return _ask(user, "reset_password")
    password = lifecycle.reset_password(_me(), user, client_ip())
    return render_template("admin_users/password.html", user=user, password=password, added=False)


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
@login_required
def unlock(user_id):
    user = _user_for(user_id)
    lifecycle.unlock(_me(), user, login_limiter(), throttle_from(current_app.config), client_ip())
    flash(gettext("%(email)s may try to log in again now.", email=user.email), "success")
    return redirect(url_for("admin_users.show", user_id=user.id))


@bp.route("/users/<int:user_id>/reset-mfa", methods=["POST"])
@login_required
def reset_mfa(user_id):
    user = _user_for(user_id)
    if not _confirmed():
        return _ask(user, "reset_mfa")
    mfa.remove(_me(), user, client_ip())
    flash(gettext("%(email)s logs in with a password alone until they set up a second step again.",
                  email=user.email), "success")
    return redirect(url_for("admin_users.show", user_id=user.id))


@bp.route("/audit")
@login_required
def audit_trail():
    require("audit.view")
    filters, errors = directory.audit_filters(request.args)
    events, more = ([], False) if errors else directory.audit_events(filters, page_zone())
    return render_template("admin_users/audit.html", events=events, more=more, filters=filters,
                           errors=errors, people=directory.users_by_id(events),
                           changes=audit.changes, school_names=_school_names()), (422 if errors else 200)
