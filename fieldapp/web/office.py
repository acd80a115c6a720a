"""The front office: their school's open cases and a look-up."""
from flask import Blueprint, render_template
from flask_login import current_user, login_required

from fieldapp import policy
from fieldapp.cases.lifecycle import school_open_cases
from fieldapp.web.helpers import require, user_today

bp = Blueprint("office", __name__)


@bp.route("/office")
@login_required
def home():
    require("office.worklist")
    return render_template("office/home.html",
                           cases=school_open_cases(policy.school_scope(current_user)),
                           today=user_today(current_user))
