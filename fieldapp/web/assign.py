"""Assigning cases: one case, many ticked in the unassigned queue, and every
case of an officer handed over school by school."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from fieldapp.cases import assignment, caselist, desk_records, lifecycle
from fieldapp.models import School, User
from fieldapp.paging import page_number
from fieldapp.rules.settings import from_config
from fieldapp.students import bands
from fieldapp.web.helpers import case_for, form_data, gone_page, log_list, log_view, require, shown_at, user_today
from fieldapp.web.i18n import gettext, ngettext

bp = Blueprint("assign", __name__)


@bp.route("/cases/<int:case_id>/assign", methods=["GET", "POST"])
@login_required
def case(case_id):
    case = case_for(case_id, "case.assign")
    errors, data = {}, {}
    if request.method == "POST":
        data = form_data()
        try:
            case = assignment.assign_case(current_user, case, data)
        except assignment.AssignmentError as error:
            errors = error.errors
        else:
            flash(gettext("Case unassigned: it waits in the unassigned queue.") if case.officer_id is None
                  else gettext("Case assigned."), "success")
            return redirect(url_for("students.show", student_id=case.student.id))
    if not case.is_open and request.method == "GET":  # said at once, not after the form is filled in
        return gone_page(case.student, lifecycle.no_longer_open(case), gettext("Assign the case"))
    log_view(case.student)
    # Who held the case and why, read before choosing who holds it next.
    held = [e for e in lifecycle.history(case) if e.kind in ASSIGNMENT_EVENTS]
    if not case.is_open:
        return render_template("supervisor/assign.html", case=case, student=case.student, officers=[],
                               errors=errors, data=data, held=held), 409
    return render_template("supervisor/assign.html", case=case, student=case.student,
                           officers=assignment.school_officers(case.student.school_id),
                           errors=errors, data=data, held=held), (422 if errors else 200)


# The case's history lines that say who held it: opened, assigned, moved with the student.
ASSIGNMENT_EVENTS = ("opened", "assigned", "transferred")


def _queue(status=200, form_errors=None, data=None, ticked=(), left=()):
    """The unassigned queue as filtered, with the assign-many form (and the
    cases just left as they were, each with why)."""
    filters, errors = caselist.UNASSIGNED_QUEUE.parse(request.args)
    settings = from_config(current_app.config)
    if "band" in filters:  # as the case list and the file: bands read from standings brought up to date
        bands.refresh_if_few(settings)
    page = caselist.district_cases(filters, caselist.UNASSIGNED_QUEUE.sort, page_number(request.args.get("page")),
                                   settings=settings)
    referrals = desk_records.waiting_unassigned()
    log_list({case.student_id for case in page.items} | {r.student_id for r in referrals}
             | {case.student_id for case, _ in left})
    return render_template("supervisor/unassigned.html", page=page, filters=filters, errors=errors,
                           schools=list(School.select().order_by(School.name)),
                           officers=assignment.officers_with_schools(), form_errors=form_errors or {},
                           data=data or {}, ticked=set(ticked), today=user_today(current_user),
                           referrals=referrals, left=left,
                           args={k: v for k, v in request.args.items() if k != "page"}), \
        (422 if errors and status == 200 else status)


@bp.route("/supervisor/unassigned")
@login_required
def unassigned():
    require("case.assign")
    return _queue()


@bp.route("/supervisor/assign", methods=["POST"])
@login_required
def many():
    require("case.assign")
    data = form_data()
    typed = request.form.getlist("case")[:500]
    ids = assignment.parse_case_ids(typed)
    try:
        assigned, left = assignment.assign_many(current_user, ids, data, typed)
    except assignment.AssignmentError as error:
        return _queue(422, error.errors, data, ids)
    if assigned:
        flash(ngettext("%(num)d case assigned.", "%(num)d cases assigned.", len(assigned)), "success")
    if left:
        # The queue as it is now, with each case left and why: answered here, as a
        # list too long for the session's cookie cannot wait for the next page.
        shown_at(url_for("assign.unassigned", **request.args))
        # what was chosen and typed stays, and the cases left stay ticked, to give them to another
        return _queue(left=left, data=data, ticked=[case.id for case, _ in left])
    return redirect(url_for("assign.unassigned", **request.args))


@bp.route("/supervisor/officers/<int:officer_id>/hand-over", methods=["GET", "POST"])
@login_required
def hand_over(officer_id):
    require("case.assign")
    officer = User.get_or_none((User.id == officer_id) & (User.role == "officer"))
    if officer is None:
        abort(404)
    errors, data, left = {}, {}, []
    if request.method == "POST":
        data = form_data()
        targets = {key[len("school_"):]: value for key, value in data.items() if key.startswith("school_")}
        try:
            moved, referrals, left = assignment.hand_over(current_user, officer, targets, data.get("note"))
        except assignment.AssignmentError as error:
            errors = error.errors
        else:
            flash(ngettext("%(num)d case handed over.", "%(num)d cases handed over.", moved), "success")
            if referrals:
                flash(ngettext("%(num)d waiting referral handed over.", "%(num)d waiting referrals handed over.",
                               referrals), "success")
            if not left:
                return redirect(url_for("assign.hand_over", officer_id=officer.id))
            data = {}
            log_list({case.student_id for case, _ in left})
    schools = [(school, cases, referrals,
                [o for o, _ in assignment.school_officers(school.id) if o.id != officer.id])
               for school, cases, referrals in assignment.held_by_school(officer)]
    return render_template("supervisor/hand_over.html", officer=officer, schools=schools, to_queue=assignment.TO_QUEUE,
                           errors=errors, data=data, left=left), (422 if errors else 200)
