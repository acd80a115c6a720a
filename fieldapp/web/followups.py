"""Follow-ups as tasks: an officer marks one done."""
from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user, login_required

from fieldapp.cases import followups
from fieldapp.web.auth import safe_next
from fieldapp.web.helpers import case_for
from fieldapp.web.i18n import gettext, translate

bp = Blueprint("followups", __name__)


@bp.route("/cases/<int:case_id>/follow-up/done", methods=["POST"])
@login_required
def done(case_id):
    case = case_for(case_id, "followup.done")
    back = safe_next(request.form.get("next")) or url_for("cases.caseload")
    try:
        followups.mark_done(current_user._get_current_object(), case, request.form.get("due_on"))
    except followups.FollowUpError as error:
        flash(translate(error.errors["follow_up"]), "error")
    else:
        flash(gettext("Follow-up marked done."), "success")
    return redirect(back)
