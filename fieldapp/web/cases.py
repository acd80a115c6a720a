"""The caseload, opening and closing cases, stages."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from fieldapp.cases import assignment, desk_records, legal_stage, lifecycle
from fieldapp.cases.caseload_page import caseload_page
from fieldapp.paging import page_number
from fieldapp.rules.settings import from_config
from fieldapp.timefmt import today_for_school
from fieldapp.web.helpers import case_for, gone_page, log_list, record_form, require, student_for, user_today
from fieldapp.web.i18n import gettext

bp = Blueprint("cases", __name__)


PAGE = 50  # cases per page of the caseload


@bp.route("/caseload")
@login_required
def caseload():
    require("caseload.view")
    shown = caseload_page(current_user, from_config(current_app.config), page_number(request.args.get("page")), PAGE)
    cases, page = shown.cards, shown.page
    referrals = desk_records.waiting_for(current_user)
    log_list({case.student_id for case in cases} | {r.student_id for r in referrals})
    # each case on its own school's today: an officer's schools may span zones
    today = user_today(current_user)
    return render_template("cases/caseload.html", cases=cases, standing=shown.standing, today=today,
                           overdue=shown.overdue, due_today=shown.due_today,
                           referrals=referrals, page=page, pages=max(1, -(-shown.total // PAGE)), total=shown.total,
                           past_end=shown.past_end, first=(page - 1) * PAGE + 1)


def _case_form(template, student, change, done, **context):
    return record_form(template, student, change, done, lifecycle.CaseError, multi=("flags",), **context)


@bp.route("/students/<int:student_id>/cases/new", methods=["GET", "POST"])
@login_required
def open_case(student_id):
    student = student_for(student_id, "case.open")
    if request.method == "GET":
        opened = lifecycle.already_opened(student)
        if opened is not None:
            return gone_page(student, opened, gettext("Open a case"))

    def apply(data):
        try:
            return lifecycle.open_case(current_user, student, data)
        except lifecycle.AlreadyOpen as already:  # not a field to fix: leave the form
            raise _CaseThere() from already
    try:
        return _case_form("cases/open.html", student, apply, gettext("Case opened."),
                          officers=assignment.school_officers(student.school_id),
                          default_officer=assignment.default_officer(current_user, student),
                          referral=desk_records.waiting_referral(student))
    except _CaseThere:
        # Opened before, or at the same moment (a double tap, another officer,
        # an import): the student's page shows the case there is.
        flash(_already_open_message(request.form.get("note", "").strip()), "warning")
        return redirect(url_for("students.show", student_id=student.id))


NOTE_IN_MESSAGE = 400  # characters of the typed note the message repeats (it rides in the session cookie)


def _already_open_message(note):
    if not note:
        return gettext("This student already has an open case; here it is.")
    if len(note) > NOTE_IN_MESSAGE:
        note = note[:NOTE_IN_MESSAGE] + "…"
    return gettext("This student already has an open case; here it is. Your note was not added to it: %(note)s",
                   note=note)


def _gone(case, title):
    """The page a GET of a form about a closed case shows instead of the form
    (lifecycle.no_longer_open); None: show the form."""
    gone = lifecycle.no_longer_open(case) if request.method == "GET" else None
    return gone_page(case.student, gone, title) if gone else None


class _CaseThere(Exception):
    """The student already has an open case: show it rather than the form."""


@bp.route("/cases/<int:case_id>/close", methods=["GET", "POST"])
@login_required
def close(case_id):
    case = case_for(case_id, "case.close")
    if (page := _gone(case, gettext("Close the case"))) is not None:
        return page
    settings = from_config(current_app.config)
    return _case_form("cases/close.html", case.student,
                      lambda data: lifecycle.close_case(current_user, case, data, settings),
                      gettext("Case closed."), case=case,
                      outstanding=legal_stage.outstanding_items(settings, case, today_for_school(case.school_id))
                      if case.is_open else [])


@bp.route("/cases/<int:case_id>/stage", methods=["GET", "POST"])
@login_required
def stage(case_id):
    case = case_for(case_id, "case.open")
    if (page := _gone(case, gettext("Change stage"))) is not None:
        return page
    return _case_form("cases/stage.html", case.student,
                      lambda data: lifecycle.change_stage(current_user, case, data),
                      gettext("Stage changed."), case=case)


@bp.route("/cases/<int:case_id>/circumstances", methods=["GET", "POST"])
@login_required
def circumstances(case_id):
    case = case_for(case_id, "case.open")
    if (page := _gone(case, gettext("Circumstances"))) is not None:
        return page
    return _case_form("cases/circumstances.html", case.student,
                      lambda data: lifecycle.change_circumstances(current_user, case, data),
                      gettext("Circumstances changed."), case=case)
