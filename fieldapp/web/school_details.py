"""Each user's own work phone, printed on their letters (schools' address
and phone are on the administrators' schools page, fieldapp.web.admin)."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from fieldapp import contact_details
from fieldapp.web.helpers import form_data, require
from fieldapp.web.i18n import gettext

bp = Blueprint("details", __name__)


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
