"""Finding a student and reading their record."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from fieldapp import policy
from fieldapp.cases import desk_records, filter_words
from fieldapp.cases.contacts import corrections_placed, timeline
from fieldapp.cases.lifecycle import cases_of, history
from fieldapp.cases.text import strip_controls
from fieldapp.db import Param, Prepared
from fieldapp.models import Contact, Referral, User
from fieldapp.numbers import record_id
from fieldapp.rules.settings import from_config
from fieldapp.rules.yearview import student_year
from fieldapp.students import access, attendance, phones, records
from fieldapp.students.search import search as find_students
from fieldapp.timefmt import today_for_school
from fieldapp.web import i18n
from fieldapp.web.helpers import (log_list, log_view, render_page_or_fragment, require, shown_at,
                                  student_for)
from fieldapp.web.i18n import gettext

bp = Blueprint("students", __name__)


@bp.route("/students")
@login_required
def search():
    require("student.search")
    query = strip_controls(request.args.get("q", ""))[:100]
    results = find_students(query, policy.school_scope(current_user))
    log_list([student.id for student in results], "search")
    return render_page_or_fragment("students/search.html", "students/_results.html",
                                   query=query, results=results)


@bp.route("/students/<int:student_id>")
@login_required
def show(student_id):
    student = student_for(student_id)
    log_view(student)
    return _record(student)


def _record(student, phone_errors=None, status=200):
    case, past_cases = cases_of(student)
    contacts = timeline(student)
    scope = policy.school_scope(current_user)
    year = student_year(from_config(current_app.config), student, today_for_school(student.school_id))
    excuse_notes = desk_records.excuse_notes_of(student)
    excused_days = {day for _, days in excuse_notes for day in days}
    i18n.say_days(year["year"], excused_days)
    guardians, phone_marks = phones.guardians_with_marks(student)
    shown_at(url_for("students.show", student_id=student.id))
    return render_template(
        "students/show.html", student=student, case=case, past_cases=past_cases,
        guardians=guardians, siblings=records.household_of(student, scope),
        phone_marks=phone_marks, phone_errors=phone_errors or {},
        numbers_to_offer=phones.numbers_to_offer,
        # The latest contact reached a wrong number: offer to mark which one, from it.
        wrong_number_contact=contacts[0] if contacts and contacts[0].outcome == "wrong_number" else None,
        summary=attendance.summary_of(year["standing"]), contacts=contacts,
        superseded=corrections_placed(contacts),
        # The contact whose follow-up is the case's open one: its date is marked as the case's is.
        open_follow_up_contact=case.follow_up_planned_by if case else None,
        history=history(case) if case else [],
        officer=case.officer if case and case.officer_id else None,
        # nobody holds the open case yet: whom to ask meanwhile
        supervisors=(desk_records.supervisors_to_ask()
                     if case and case.is_open and not case.officer_id and current_user.role != "supervisor" else ()),
        excuse_notes=excuse_notes, excused_days=excused_days,
        referral=_REFERRAL.first(student=student.id),
        inactive_why=records.inactive_reason(student),
        **year), status


# On every student page: the SQL built once.
_REFERRAL = Prepared(lambda: Referral.select(Referral, User).join(User, on=(Referral.referred_by == User.id))
                     .where(Referral.student == Param("student")).order_by(Referral.referred_at.desc()).limit(1))


@bp.route("/students/<int:student_id>/numbers", methods=["POST"])
@login_required
def mark_number(student_id):
    """Mark a guardian's number wrong or disconnected (optionally from a contact)."""
    student = student_for(student_id, "phone.mark")
    raw_guardian, raw_contact = request.form.get("guardian_id", ""), request.form.get("contact_id", "")
    guardian = next((g for g, _ in records.guardians_of(student) if str(g.id) == raw_guardian), None)
    if guardian is None:
        return _record(student, {None: {"guardian": phones.NO_GUARDIAN}}, 422)
    contact_id = record_id(raw_contact)
    contact = Contact.get_or_none(Contact.id == contact_id, Contact.student == student) \
        if contact_id else None
    try:
        phones.mark_number(current_user, guardian, request.form.get("field", ""),
                           request.form.get("status", ""), contact)
    except phones.PhoneMarkError as error:
        return _record(student, {guardian.id: error.errors}, 422)
    flash(gettext("Marked: that number is no longer offered."), "success")
    return redirect(url_for("students.show", student_id=student.id) + f"#guardian-{guardian.id}", 303)


@bp.route("/students/<int:student_id>/access-log")
@login_required
def access_log(student_id):
    student = student_for(student_id, "access_log.view")
    filters, errors = access.parse_filters(request.args)
    rows, next_cursor = access.log_page(student, filters, request.args.get("after"))
    args = {k: v for k, v in request.args.items() if k != "after"}
    # A place in the log that is none: said, and the log shown from its start.
    typed = request.args.get("after")
    bad_cursor = filter_words.bad_cursor(typed) if typed and record_id(typed) is None else None
    return render_page_or_fragment(
        "students/access_log.html", "students/_access_rows.html", student=student, rows=rows,
        next_cursor=next_cursor, filters=filters, errors=errors, args=args,
        people=access.people_in_log(student), status=422 if errors else 200, bad_cursor=bad_cursor,
        documents=records.disclosed_documents([row for row in rows if not getattr(row, "is_group", False)]))
