"""Logging a contact, for one student or a whole household, and amending one."""
import uuid as uuidlib

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from fieldapp import policy
from fieldapp.cases import contacts as logic
from fieldapp.cases.contact_notes import notes_text
from fieldapp.models import utcnow
from fieldapp.numbers import record_id
from fieldapp.students.records import guardians_of, household_of
from fieldapp.timefmt import to_local
from fieldapp.web import i18n
from fieldapp.web.helpers import case_for, contact_for, form_data, log_view, page_zone, refuse, student_for
from fieldapp.web.i18n import gettext

bp = Blueprint("contacts", __name__)


def _sibling_cases(student):
    """Open cases of this student's household that the user may log on."""
    siblings = household_of(student, policy.school_scope(current_user))
    cases = logic.open_cases_of(siblings)
    return [(s, cases[s.id]) for s in siblings if s.id in cases]


def _render_form(case, data, errors, amending=None, student=None, corrected_by=None):
    """The contact form: on case, or (case None) a call about `student`, who has no case.
    corrected_by: the correction saved first of the contact being corrected, shown above."""
    student = case.student if case is not None else student
    log_view(student)  # the form shows the record: the timeline, or the notes being amended
    without_case = case is None
    return render_template(
        "contacts/form.html", case=case, student=student, data=data, errors=errors,
        amending=amending, without_case=without_case, corrected_by=corrected_by,
        methods=list(logic.CALL_METHODS) if without_case else policy.methods_for(current_user),
        sibling_cases=[] if amending or without_case else _sibling_cases(student),
        when_empty=_when_empty(),
    ), (422 if errors else 200)


def _when_empty():
    """What the server says of each required field left empty, in the user's language:
    the page keeps it to say the same when the phone saves a contact offline."""
    _, errors = logic.validate_contact({}, current_user)
    return {name: i18n.translate(message) for name, message in errors.items()}


def _defaults(case, student=None):
    """A new contact form's values; case None: a call about `student`, who has no case."""
    data = {"uuid": str(uuidlib.uuid4()),
            "occurred_at": to_local(utcnow(), page_zone()).strftime("%Y-%m-%dT%H:%M"),
            "method": request.args.get("method", ""), "reasons": [], "people_present": [],
            "siblings": []}
    data.update(_call_begun(case.student if case is not None else student))
    return data


def _call_begun(student):
    """The form opened by tapping a guardian's number (?guardian=&number=phone|alt_phone):
    the call, whom it was to and at which number, filled in to finish after the call."""
    guardian_id = record_id(request.args.get("guardian", ""))
    called = next(((g, rel) for g, rel in guardians_of(student) if g.id == guardian_id), None) \
        if guardian_id else None
    if called is None:
        return {}
    guardian, relationship = called
    number = guardian.alt_phone if request.args.get("number") == "alt_phone" else guardian.phone
    call = logic.call_defaults(guardian, relationship, number or "")
    return dict(call, notes=i18n.translate(call["notes"]))


@bp.route("/students/<int:student_id>/calls/new", methods=["GET", "POST"])
@login_required
def call(student_id):
    """A phone call about a student with no open case (one with a case is logged on it)."""
    student = student_for(student_id, "contact.log_without_case")
    case = logic.open_cases_of([student]).get(student.id)
    if request.method == "GET":
        if case is not None and policy.can(current_user, "contact.log", student):
            begun = {key: request.args[key] for key in ("guardian", "number") if key in request.args}
            return redirect(url_for("contacts.new", case_id=case.id, method="phone", **begun))
        return _render_form(None, {**_defaults(None, student), "method": "phone"}, {}, student=student)
    data = form_data(multi=logic.MULTI_FIELDS)
    clean, errors = logic.validate_call(data, current_user, zone_name=page_zone())
    contact_uuid = _form_uuid(data, errors)
    if case is not None:
        errors["method"] = gettext("This student has an open case now: log the call on the case.")
    if errors:
        return _render_form(None, data, errors, student=student)
    try:
        logic.log_contact(current_user, None, clean, contact_uuid, student=student)
    except logic.ContactConflict:
        data["uuid"] = str(uuidlib.uuid4())
        return _render_form(None, data, {"method": gettext(
            "This form was already saved with other content. Check the timeline; save again to add "
            "it as a new contact.")}, student=student)
    flash(gettext("Call saved."), "success")
    return redirect(url_for("students.show", student_id=student.id) + "#timeline")


def _form_uuid(data, errors):
    """The UUID the form was opened with (it makes a second send of the same
    form one contact), or None with a message and a fresh UUID in data when
    the form came without one."""
    contact_uuid = logic.parse_uuid(data.get("uuid"))
    if contact_uuid is None:
        data["uuid"] = str(uuidlib.uuid4())
        errors.setdefault("method", gettext("The form was incomplete; check the fields and save again."))
    return contact_uuid


@bp.route("/cases/<int:case_id>/contacts/new", methods=["GET", "POST"])
@login_required
def new(case_id):
    case = case_for(case_id, "contact.log")
    if not case.is_open:
        abort(409, gettext("This case is closed; open a new case to log contacts."))
    if request.method == "GET":
        return _render_form(case, _defaults(case), {})
    data = form_data(multi=logic.MULTI_FIELDS)
    clean, errors = logic.validate_contact(data, current_user, zone_name=page_zone())
    contact_uuid = _form_uuid(data, errors)
    asked = list(dict.fromkeys(i for i in data["siblings"] if i))
    # Most contacts are for one child: look for the household only when asked.
    offered = {str(s.id): c for s, c in _sibling_cases(case.student)} if asked else {}
    chosen = [offered[i] for i in asked if i in offered]
    if len(chosen) < len(asked):  # a child not offered: out of scope, or no open case
        errors["siblings"] = gettext("Choose siblings from the list.")
    elif chosen and clean.get("method") != "home_visit":
        errors["siblings"] = gettext("Only a home visit can be logged for siblings at once.")
    if errors:
        return _render_form(case, data, errors)
    try:
        if chosen:
            logic.log_household_visit(current_user, case, clean, chosen, contact_uuid)
        else:
            logic.log_contact(current_user, case, clean, contact_uuid)
    except logic.ContactConflict:
        data["uuid"] = str(uuidlib.uuid4())
        return _render_form(case, data, {"method": gettext(
            "This form was already saved with other content. Check the timeline; save again to add "
            "it as a new contact.")})
    if chosen:
        flash(gettext("Contact saved for %(count)d children.", count=len(chosen) + 1), "success")
    else:
        flash(gettext("Contact saved."), "success")
    return redirect(url_for("students.show", student_id=case.student_id) + "#timeline")


def _amend_defaults(original):
    return {"uuid": str(uuidlib.uuid4()), "method": original.method, "outcome": original.outcome,
            "reasons": original.reason_list, "people_present": original.people_list,
            "notes": notes_text(original, i18n.translate), "interpreter_used": original.interpreter_used,
            "language": original.language,
            # A correction keeps where the visit happened unless the officer clears it.
            "latitude": "" if original.latitude is None else f"{original.latitude:.6f}",
            "longitude": "" if original.longitude is None else f"{original.longitude:.6f}",
            "follow_up_on": original.follow_up_on.isoformat() if original.follow_up_on else "",
            "occurred_at": to_local(original.occurred_at, page_zone()).strftime("%Y-%m-%dT%H:%M")}


@bp.route("/contacts/<int:contact_id>/amend", methods=["GET", "POST"])
@login_required
def amend(contact_id):
    original = contact_for(contact_id, "contact.amend")
    if not policy.can_amend(current_user, original, original.student):
        refuse("contact.others")  # in scope (contact_for): someone else's contact
    case, student = original.case, original.student  # a call without a case has no case
    if request.method == "GET":
        return _render_form(case, _amend_defaults(original), {}, amending=original, student=student)
    data = form_data(multi=logic.MULTI_FIELDS)
    validate = logic.validate_contact if case is not None else logic.validate_call
    clean, errors = validate(data, current_user, zone_name=page_zone())
    reason, reason_errors = logic.validate_amendment(data, original)
    errors.update(reason_errors)
    contact_uuid = logic.parse_uuid(data.get("uuid")) or uuidlib.uuid4()
    if reason_errors.get("amendment_reason") is logic.ALREADY_CORRECTED:
        return _corrected_meanwhile(case, data, errors, original, logic.latest_correction(original))
    if errors:
        return _render_form(case, data, errors, amending=original, student=student)
    try:
        logic.log_contact(current_user, case, clean, contact_uuid, amends=original,
                          amendment_reason=reason, student=student)
    except logic.AlreadyCorrected as error:
        errors["amendment_reason"] = logic.ALREADY_CORRECTED
        return _corrected_meanwhile(case, data, errors, original, error.correction)
    except logic.ContactConflict:
        data["uuid"] = str(uuidlib.uuid4())
        return _render_form(case, data, {"amendment_reason": gettext(
            "This correction was already saved differently; check the timeline.")}, amending=original,
            student=student)
    flash(gettext("Correction saved; the original stays on the record."), "success")
    return redirect(url_for("students.show", student_id=student.id) + "#timeline")


def _corrected_meanwhile(case, data, errors, original, correction):
    """Someone corrected the contact first: the form again with everything typed,
    the correction on the record shown above it, and the form now correcting
    that one when the user may (else it stays on the original and is refused)."""
    student = original.student
    may = policy.can_amend(current_user, correction, student)
    return _render_form(case, data, errors, amending=correction if may else original, student=student,
                        corrected_by=correction)
