"""The front office: their school's open cases and a look-up."""
from flask import Blueprint, render_template
from flask_login import current_user, login_required

from fieldapp import policy
from fieldapp.cases.lifecycle import school_open_cases
from fieldapp.timefmt import local_today
from fieldapp.web.helpers import log_list, require

bp = Blueprint("office", __name__)


@bp.route("/office")
@login_required
def home():
    require("office.worklist")
    cases = school_open_cases(policy.school_scope(current_user))
    log_list([case.student_id for case in cases])
    return render_template("office/home.html", cases=cases, today=local_today())
