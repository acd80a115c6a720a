"""Attendance improvement plans: writing and editing them on the phone,
signatures drawn with a finger, the plan PDF, and review dates."""
import base64

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from fieldapp.cases import lifecycle
from fieldapp.documents import plans as logic
from fieldapp.models import Plan
from fieldapp.timefmt import today_for_school, todays
from fieldapp.web.documents import origin
from fieldapp.web.helpers import (
    case_for, form_data, gone_page, log_list, log_view, render_page_or_fragment, require, user_today,
)
from fieldapp.web.i18n import gettext, translate

bp = Blueprint("plans", __name__)


def _plan_for(plan_id, action):
    """The plan, or 403 if the role may never do action, 404 if none, 403 if out of scope."""
    require(action)
    plan = Plan.get_or_none(Plan.id == plan_id)
    if plan is None:
        abort(404)
    case_for(plan.case_id, action)
    return plan


def _form(case, data, errors, plan=None):
    log_view(case.student)
    family = logic.family_language_of(case.student)
    if not data.get("translation_language") and family in logic.translation_languages():
        data = {**data, "translation_language": family}
    return render_template("plans/form.html", case=case, student=case.student, plan=plan, data=data,
                           errors=errors, fields=logic.TEXT_FIELDS, required=logic.REQUIRED,
                           translated=logic.TRANSLATED, translators=logic.TRANSLATORS,
                           translation_languages=logic.translation_languages(), family_language=family,
                           translation_current=plan is not None and logic.translation_current(plan),
                           today=today_for_school(case.student.school_id).isoformat()), (422 if errors else 200)


def _plan_data(plan):
    data = {k: getattr(plan, k) for k in (*logic.TEXT_FIELDS, *logic.TRANSLATION_KEYS)}
    data["review_on"] = plan.review_on.isoformat()
    data["version"] = str(plan.version)  # the version the form was opened on (save_plan checks it)
    return data


@bp.route("/cases/<int:case_id>/plans/new", methods=["GET", "POST"])
@login_required
def new(case_id):
    case = case_for(case_id, "plan.write")
    if not case.is_open and request.method == "GET":
        return gone_page(case.student, lifecycle.no_longer_open(case), gettext("Attendance improvement plan"))
    if not case.is_open:
        abort(409, gettext("This case is closed; write plans on open cases."))
    if request.method == "GET":
        return _form(case, {}, {})
    data = form_data()
    try:
        plan = logic.save_plan(current_user, case, data)
    except logic.PlanError as error:
        return _form(case, data, error.errors)
    flash(gettext("Plan saved. Now collect the signatures."), "success")
    return redirect(url_for("plans.show", plan_id=plan.id))


@bp.route("/plans/<int:plan_id>/edit", methods=["GET", "POST"])
@login_required
def edit(plan_id):
    plan = _plan_for(plan_id, "plan.write")
    if request.method == "GET":
        return _form(plan.case, _plan_data(plan), {}, plan)
    data = form_data()
    before = plan.version
    try:
        logic.save_plan(current_user, plan.case, data, plan)
    except logic.PlanError as error:
        if error.version is not None:  # changed meanwhile: a second save goes on from that version
            data["version"] = str(error.version)
        return _form(plan.case, data, error.errors, plan)
    if plan.version != before:
        flash(gettext("Plan changed: it needs signing again."), "success")
    else:
        flash(gettext("No changes to save."), "info")
    return redirect(url_for("plans.show", plan_id=plan.id))


@bp.route("/plans/<int:plan_id>")
@login_required
def show(plan_id):
    plan = _plan_for(plan_id, "plan.view")
    log_view(plan.student)
    return render_template("plans/show.html", plan=plan, case=plan.case, student=plan.student,
                           fields=logic.TEXT_FIELDS, signers=logic.SIGNERS,
                           family_language=logic.family_language(plan), language_name=logic.language_name,
                           translated=logic.TRANSLATED, translators=logic.TRANSLATORS,
                           translation_current=logic.translation_current(plan),
                           translation_missing=logic.translation_missing(plan),
                           status=logic.SIGNATURE_STATUS, signatures=logic.current_signatures(plan))


@bp.route("/plans/<int:plan_id>/sign/<role>", methods=["GET", "POST"])
@login_required
def sign(plan_id, role):
    plan = _plan_for(plan_id, "plan.write")
    if role not in logic.SIGNERS:
        abort(404)
    languages = logic.plan_languages(plan)
    shown = request.values.get("language")
    shown = shown if shown in languages else logic.signer_language(plan, role, current_user)
    data, errors = {"role": role, "status": "signed"}, {}
    if request.method == "POST":
        data = {**form_data(), "role": role}
        try:
            logic.record_signature(current_user, plan, data)
        except logic.PlanError as error:
            errors = error.errors
        else:
            flash(gettext("%(signer)s: recorded.", signer=translate(logic.SIGNERS[role])), "success")
            return redirect(url_for("plans.show", plan_id=plan.id))
    log_view(plan.student)
    return render_template("plans/sign.html", plan=plan, student=plan.student, role=role,
                           signer=logic.SIGNERS[role], status=logic.SIGNATURE_STATUS, data=data,
                           errors=errors, shown=shown, languages=languages,
                           translation_missing=logic.translation_missing(plan) if role == "guardian" else "",
                           kept_image=_kept_image(data, errors),
                           plan_text=logic.plan_text(plan, shown)), (422 if errors else 200)


def _kept_image(data, errors):
    """The signature drawn on a form shown again for another field, re-encoded
    (never the raw upload), so the signer need not draw it twice."""
    if not errors or "image" in errors:
        return ""
    png = logic.signature_png(data.get("image"))
    return logic.DATA_URL_PREFIX + base64.b64encode(png).decode() if png else ""


@bp.route("/plans/<int:plan_id>/pdf", methods=["POST"])
@login_required
def pdf(plan_id):
    plan = _plan_for(plan_id, "plan.view")
    if request.form.get("copy") == "family":
        language = logic.family_language(plan)
        recipient = f"Family of {plan.student.full_name} (their copy, {logic.plan_languages(plan)[language]})"
    else:
        language, recipient = "en", "The district's own file"
    record = logic.produce_plan_pdf(current_user, plan, current_app.config["STATE"], origin=origin(),
                                    language=language, recipient=recipient)
    return redirect(url_for("documents.show", doc_id=record.id))


@bp.route("/plans/reviews")
@login_required
def reviews():
    require("plan.reviews")
    plans = logic.reviews_for(current_user)
    log_list([plan.student_id for plan in plans])
    return render_page_or_fragment("plans/reviews.html", "plans/_reviews.html",
                                   plans=plans, today=user_today(current_user),
                                   todays=todays({plan.student.school_id for plan in plans}))
