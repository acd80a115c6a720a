"""The front office: their school's open cases, excuse notes, and referrals
to the attendance officer with what became of them."""
from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user, login_required

from fieldapp import policy
from fieldapp.cases import assignment, caselist, desk_records
from fieldapp.models import Referral, School
from fieldapp.paging import page_number
from fieldapp.rules.settings import from_config
from fieldapp.timefmt import today_for_school
from fieldapp.web.supervisor import list_args
from fieldapp.web.helpers import gone_page, log_list, record_form, refuse, require, student_for, user_today, with_chosen_officer
from fieldapp.web.i18n import gettext

bp = Blueprint("office", __name__)
# Cases a page of the school's list shows: a school's open cases fit on one
# or two printed pages.
OFFICE_PER_PAGE = 100


@bp.route("/office")
@login_required
def home():
    require("office.worklist")
    scope = policy.school_scope(current_user)
    filters, errors = caselist.SCHOOL_OPEN_CASES.parse(request.args, scope)
    # A page at a time, as the district's list: a large school's open cases
    # all on one page cost seconds to show, and as many access-log lines.
    page = caselist.district_cases(filters, caselist.SCHOOL_OPEN_CASES.sort, page_number(request.args.get("page")),
                                   per_page=OFFICE_PER_PAGE, settings=from_config(current_app.config))
    referrals = desk_records.school_referrals(scope)
    log_list({case.student_id for case in page.items} | {r.student_id for r in referrals})
    officers = with_chosen_officer([o for o, schools in assignment.officers_with_schools() if schools & scope],
                                   filters.get("officer"))
    args = list_args("page")
    return render_template("office/home.html", page=page, args=args, filters=filters, errors=errors,
                           officers=officers, referrals=referrals, follow_ups=caselist.FOLLOW_UPS,
                           schools=School.select().where(School.id.in_(list(scope))).order_by(School.name),
                           today=user_today(current_user)), 422 if errors else 200


def _desk_form(template, student, record, done, **context):
    return record_form(template, student, record, done, desk_records.DeskError, **context)


@bp.route("/students/<int:student_id>/excuse-notes/new", methods=["GET", "POST"])
@login_required
def excuse_note(student_id):
    student = student_for(student_id, "excuse.record")
    return _desk_form("office/excuse_note.html", student,
                      lambda data: desk_records.record_excuse_note(current_user, student, data,
                                                                   from_config(current_app.config)),
                      gettext("Excuse note recorded."), today=today_for_school(student.school_id))


@bp.route("/students/<int:student_id>/referrals/new", methods=["GET", "POST"])
@login_required
def refer(student_id):
    student = student_for(student_id, "referral.make")
    return _desk_form("office/referral.html", student,
                      lambda data: desk_records.refer(current_user, student, data),
                      gettext("Referred to the attendance officer."))


@bp.route("/referrals/<int:referral_id>/decline", methods=["GET", "POST"])
@login_required
def decline(referral_id):
    require("referral.answer")
    referral = Referral.get_or_none(Referral.id == referral_id)
    if referral is None:
        abort(404)
    student = student_for(referral.student_id, "referral.answer")
    if referral.status == "waiting" and not policy.may_answer_referral(current_user, referral, student):
        refuse("referral.held_elsewhere")
    answered = desk_records.no_longer_waiting(referral) if request.method == "GET" else None
    if answered is not None:
        return gone_page(student, answered, gettext("Decline the referral"))
    return _desk_form("office/decline.html", student,
                      lambda data: desk_records.decline(current_user, referral, data),
                      gettext("Referral declined; the front office sees why."), referral=referral)
