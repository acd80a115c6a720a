"""The worklist: who crossed a threshold, which steps are due, what is overdue."""
import datetime

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import gettext
from flask_login import current_user, login_required

from fieldapp import policy
from fieldapp.models import School
from fieldapp.numbers import record_id
from fieldapp.rules import worklist as work
from fieldapp.rules.ladder import WINDOW_CAPTIONS
from fieldapp.rules.settings import from_config
from fieldapp.timefmt import local_today
from fieldapp.web.helpers import log_list, require

bp = Blueprint("worklist", __name__)
SHOWN = 100  # students per section on the page; the command prints them all


def _filters(schools):
    """(school ids or None, day, errors) from the query string."""
    errors, raw_school, raw_day = {}, request.args.get("school", ""), request.args.get("on", "")
    school_ids = [s.id for s in schools] if policy.school_scope(current_user) is not None else None
    if raw_school:
        school_id = record_id(raw_school)
        if school_id is None:
            errors["school"] = gettext("Choose a school from the list.")
        elif school_id not in {s.id for s in schools}:
            if School.get_or_none(School.id == school_id):
                abort(403)  # a school outside the user's scope
            errors["school"] = gettext("Choose a school from the list.")
        else:
            school_ids = [school_id]
    day = local_today()
    if raw_day:
        try:
            day = datetime.date.fromisoformat(raw_day)
        except ValueError:
            errors["on"] = gettext("Give the day as YYYY-MM-DD.")
        else:
            if not datetime.date(2000, 1, 1) <= day <= datetime.date(2100, 1, 1):
                errors["on"] = gettext("Give a day between %(first)d and %(last)d.", first=2000, last=2100)
    return school_ids, day, errors


@bp.route("/worklist")
@login_required
def show():
    require("worklist.view")
    scope = policy.school_scope(current_user)
    schools = list(School.select().order_by(School.name))
    if scope is not None:
        schools = [s for s in schools if s.id in scope]
    school_ids, day, errors = _filters(schools)
    listing = None if errors else work.build(from_config(current_app.config), day, school_ids, SHOWN)
    if listing is not None:
        log_list([item.student.id for items in listing.sections.values() for item in items])
    return render_template("worklist/show.html", listing=listing, schools=schools, errors=errors,
                           sections=work.SECTIONS, shown=SHOWN, day=day, today=local_today(),
                           chosen=request.args.get("school", ""),
                           window_captions=WINDOW_CAPTIONS), 422 if errors else 200
