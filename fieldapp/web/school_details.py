"""The address and phone letters print: schools' (administrators) and each
user's own work phone."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from fieldapp import contact_details
from fieldapp.models import School
from fieldapp.web.helpers import form_data, require

bp = Blueprint("details", __name__)


@bp.route("/admin/schools")
@login_required
def schools():
    require("schools.details")
    return render_template("admin/schools.html", schools=list(School.select().order_by(School.name)))


@bp.route("/admin/schools/<int:school_id>", methods=["GET", "POST"])
@login_required
def school(school_id):
    require("schools.details")
    found = School.get_or_none(School.id == school_id)
    if found is None:
        abort(404)
    data, errors = {"address": found.address, "phone": found.phone}, {}
    if request.method == "POST":
        data = form_data()
        try:
            contact_details.save_school_details(current_user, found, data)
        except contact_details.DetailsError as error:
            errors = error.errors
        else:
            flash(gettext("%(school)s: address and phone saved.", school=found.name), "success")
            return redirect(url_for("details.schools"))
    return render_template("admin/school.html", school=found, data=data, errors=errors), (
        422 if errors else 200)


@bp.route("/account/phone", methods=["GET", "POST"])
@login_required
def own_phone():
    require("account.phone")
    data, errors = {"phone": current_user.phone}, {}
    if request.method == "POST":
        data = form_data()
        try:
            contact_details.save_own_phone(current_user._get_current_object(), data)
        except contact_details.DetailsError as error:
            errors = error.errors
        else:
            flash(gettext("Phone saved: letters you make print it."), "success")
            return redirect(url_for("details.own_phone"))
    return render_template("account/phone.html", data=data, errors=errors), (422 if errors else 200)
