"""The worklist: who crossed a threshold, which steps are due, what is overdue."""
import datetime

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user, login_required

from fieldapp import policy, timefmt
from fieldapp.cases import filter_words
from fieldapp.models import School, User, UserSchool
from fieldapp.numbers import record_id
from fieldapp.paging import page_number
from fieldapp.rules import worklist as work
from fieldapp.rules import worklist_pages as pages
from fieldapp.rules.ladder import WINDOW_CAPTIONS
from fieldapp.rules.settings import from_config
from fieldapp.web.helpers import log_list, require, user_today, with_chosen_officer
from fieldapp.web.i18n import gettext, translate

bp = Blueprint("worklist", __name__)


# The worklist's filters; "day" (the Day field's label, typed by hand) is read as "on".
FILTER_KEYS = ("school", "on", "officer", "step", "section", "due")


def _chosen_args():
    """The filters chosen in the query string, by their names here (without
    the page, empty ones or names the worklist does not know)."""
    args = {k: v for k, v in request.args.items() if k in FILTER_KEYS and v}
    if "on" not in args and request.args.get("day"):
        args["on"] = request.args["day"]
    return args


def _filters(schools):
    """(school ids or None, day, errors) from the query string."""
    errors, raw_school, raw_day = {}, request.args.get("school", ""), _chosen_args().get("on", "")
    school_ids = [s.id for s in schools] if policy.school_scope(current_user) is not None else None
    if raw_school:
        school_id = record_id(raw_school)
        if school_id is None:
            errors["school"] = filter_words.no_such("school", raw_school)
        elif school_id not in {s.id for s in schools}:
            outside = School.get_or_none(School.id == school_id)
            # a school outside the user's: said by name, and their own schools listed
            errors["school"] = (filter_words.not_your_school(outside.name) if outside
                                else filter_words.no_such("school", raw_school))
        else:
            school_ids = [school_id]
    day = None  # today: each school's own, in its zone
    if raw_day:
        try:
            day = datetime.date.fromisoformat(raw_day)
        except ValueError:
            errors["on"] = filter_words.not_a_date(raw_day)
        else:
            if not datetime.date(2000, 1, 1) <= day <= datetime.date(2100, 1, 1):
                errors["on"] = gettext("Give a day between %(first)s and %(last)s.", first="2000", last="2100")
                day = None
    return school_ids, day, errors


def _narrowing(listing, school_ids):
    """(officer, step, section, due, errors) chosen in the query string, for
    the schools listed (None: the district)."""
    chosen, errors = work.parse_narrowing(request.args, [s.code for s in listing.version.steps], school_ids)
    return chosen["officer"], chosen["step"], chosen["section"], chosen["due"], errors


@bp.route("/worklist")
@login_required
def show():
    require("worklist.view")
    scope = policy.school_scope(current_user)
    schools = list(School.select().order_by(School.name))
    if scope is not None:
        schools = [s for s in schools if s.id in scope]
    school_ids, day, errors = _filters(schools)
    # A filter not recognised is said and left out, as on the other lists: the rest still narrows.
    settings = from_config(current_app.config)
    listing = work.frame(settings, day, school_ids)
    officer, step, section, due, more = _narrowing(listing, school_ids)
    errors.update(more)
    shown = work.page(settings, listing, school_ids, officer, step, due_this_week=due == "week",
                      section=section, number=page_number(request.args.get("page")))
    log_list([item.student.id for page in shown.values() for item in page.items])
    chosen = {"officer": officer, "step": step, "section": section, "due": due}
    today = user_today(current_user)
    return render_template("worklist/show.html", listing=listing, shown=shown, chosen_filters=chosen,
                           schools=schools, errors=errors, sections=work.SECTIONS,
                           day=listing.on_day if listing else (day or today),
                           today=today, chosen=request.args.get("school", ""),
                           officers=with_chosen_officer(_officers(scope), officer), preview=pages.PREVIEW,
                           args=_chosen_args(),
                           window_captions=WINDOW_CAPTIONS, zone_days=_zone_days(listing)), 422 if errors else 200


def _zone_days(listing):
    """[(day, zone label)] when the schools listed are on different days, else []."""
    if listing is None or not listing.spans_days:
        return []
    zones = timefmt.school_zones(listing.days)
    return sorted({(day, translate(timefmt.zone_label(zones[school_id]))) for school_id, day in listing.days.items()})


def _officers(scope):
    """Officers to filter by: those serving the user's schools (all for the district)."""
    query = User.select().where((User.role == "officer") & (User.active == True))  # noqa: E712
    if scope is not None:
        query = query.where(User.id.in_(UserSchool.select(UserSchool.user)
                                        .where(UserSchool.school.in_(list(scope)))))
    return list(query.order_by(User.name))
