"""The supervisor's district contact log."""
from flask import Blueprint, request
from flask_login import login_required

from fieldapp.cases import contact_log
from fieldapp.web.helpers import log_list, render_page_or_fragment, require

bp = Blueprint("supervisor", __name__)


@bp.route("/supervisor/contacts")
@login_required
def contacts():
    require("contacts.district_log")
    filters, errors = contact_log.parse_filters(request.args)
    rows, next_cursor = contact_log.district_log(filters, contact_log.parse_cursor(request.args.get("after")))
    log_list([row.student_id for row in rows])
    officers, schools = contact_log.filter_choices()
    args = {k: v for k, v in request.args.items() if k != "after"}
    return render_page_or_fragment(
        "supervisor/contacts.html", "supervisor/_contact_rows.html",
        rows=rows, next_cursor=next_cursor, filters=filters, errors=errors,
        officers=officers, schools=schools, args=args, status=422 if errors else 200)
