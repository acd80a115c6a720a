"""Paperwork: case reports, letters, the day's letters for a school, issued
documents and checking a copy of one."""
from flask import (
    Blueprint, abort, current_app, flash, g, make_response, redirect, render_template, request, url_for,
)
from flask_login import current_user, login_required
from peewee import JOIN

from fieldapp import policy
from fieldapp.cases.text import strip_controls
from fieldapp.documents import issue, letters, owed, reading
from fieldapp.documents import letters_due as due_letters
from fieldapp.documents import sending
from fieldapp.documents.case_report import RECIPIENTS, ReportError, parse_recipient
from fieldapp.documents.letter_grounds import grounds_for
from fieldapp.documents.letter_templates import KINDS, LANGUAGES
from fieldapp.documents.plans import plans_of
from fieldapp.jobs.runner import JobError, new_key
from fieldapp.messages import N_
from fieldapp.models import DocumentRecord, Guardian, Letter, School, Student, utcnow
from fieldapp.numbers import record_id
from fieldapp.rules.settings import from_config
from fieldapp.students.records import guardians_of, record_disclosure
from fieldapp.timefmt import school_zone, to_local, today_for_school
from fieldapp.web.auth import safe_next
from fieldapp.web.helpers import (
    case_for, client_ip, refuse, form_data, log_list, log_view, page_zone, require, shown_at, user_today,
)
from fieldapp.web.jobs import start_job
from fieldapp.web.i18n import gettext, ngettext

bp = Blueprint("documents", __name__)

def origin():
    """(path, address) of this request, for the access log."""
    return request.path, client_ip()


def _document_for(doc_id):
    """The issued document: 403 for a role that may open none, 404 if there is
    none, 403 unless the user may open its kind in its school."""
    if not policy.may_open_any_document(current_user):
        refuse("document.open")
    record = DocumentRecord.get_or_none(DocumentRecord.id == doc_id)
    if record is None:
        abort(404)
    if not policy.can_open_document(current_user, record):
        kind_action = policy.document_action(record)
        if not policy.allowed(current_user, kind_action):
            refuse(kind_action)  # a kind of paper this role does not handle
        abort(403)  # a student outside the user's schools
    return record


def _letter_for(letter_id):
    require("letter.generate")
    letter = Letter.get_or_none(Letter.id == letter_id)
    if letter is None:
        abort(404)
    case_for(letter.case_id, "letter.generate")
    return letter


def _render_paperwork(case, errors=None, data=None, status=200):
    log_view(case.student)
    shown_at(url_for("documents.paperwork", case_id=case.id))
    reports = (DocumentRecord.select().where((DocumentRecord.case == case)
                                             & (DocumentRecord.kind == "case_report"))
               .order_by(DocumentRecord.generated_at.desc()))
    return render_template("documents/paperwork.html", case=case, student=case.student,
                           reports=list(reports), letters=letters.letters_of(case),
                           plans=plans_of(case), kinds=KINDS, sent_methods=letters.SENT_METHODS,
                           languages=LANGUAGES, recipients=RECIPIENTS, errors=errors or {},
                           data=data or {}, job_key=new_key()), status


@bp.route("/cases/<int:case_id>/paperwork")
@login_required
def paperwork(case_id):
    case = case_for(case_id, "letter.generate")
    return _render_paperwork(case)


@bp.route("/cases/<int:case_id>/report", methods=["POST"])
@login_required
def case_report(case_id):
    case = case_for(case_id, "document.case_report")
    try:
        recipient = parse_recipient(form_data())
    except ReportError as error:
        return _render_paperwork(case, error.errors, form_data(), 422)
    path, ip = origin()
    # Seconds of work: a job, whose page shows how far it has gone. The
    # disclosure line names the recipient itself (AccessLog.recipient).
    try:
        return start_job("case_report", request.form.get("job_key"), {
            "case_id": case.id, "recipient": recipient, "origin": [path, ip]})
    except JobError as error:
        return _render_paperwork(case, error.errors, form_data(), 422)


def _render_show(record, errors=None, data=None, status=200):
    in_it = list(Letter.select(Letter, Student).join(Student).where(Letter.document == record)
                 .order_by(Letter.id))
    _log_document(record, in_it)
    shown_at(url_for("documents.show", doc_id=record.id))
    if in_it:  # a batch is one school's: its times are typed and shown in that school's zone
        g.time_zone = school_zone(in_it[0].student.school_id)
    return render_template("documents/show.html", record=record, letters=in_it,
                           printed=issue.grouped(record.content_sha256), intact=issue.intact(record),
                           sent_methods=letters.SENT_METHODS, errors=errors or {}, data=data or {},
                           now_local=to_local(utcnow(), page_zone()).strftime("%Y-%m-%dT%H:%M")), status


def _log_document(record, letters_in_it):
    """A document page shows whom it is about: a view of each student in it."""
    if record.student_id:
        log_view(record.student)
    else:
        log_list([letter.student_id for letter in letters_in_it], "view")


@bp.route("/documents/<int:doc_id>")
@login_required
def show(doc_id):
    return _render_show(_document_for(doc_id))


@bp.route("/documents/<int:doc_id>/pdf")
@login_required
def pdf(doc_id):
    record = _document_for(doc_id)
    # Each copy handed out is a disclosure of the records in it.
    given_to = {record.student_id: record.recipient} if record.student_id else {
        x.student_id: letters.recipient_of(x) for x in Letter.select(Letter, Guardian).join(
            Guardian, JOIN.LEFT_OUTER).where(Letter.document == record)}
    path, ip = origin()
    for student_id, recipient in given_to.items():
        record_disclosure(current_user, student_id, record, recipient, path, ip)
    response = make_response(issue.pdf_of(record))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'inline; filename="{record.kind.replace("_", "-")}-{record.reference}.pdf"')
    return response


UNREADABLE = {
    "pages": N_("This file has more pages than any document fieldapp makes; it cannot be checked "
                "here. Type the fingerprint printed at the foot of its pages instead."),
    "size": N_("This file holds more content than any document fieldapp makes; it cannot be checked "
               "here. Type the fingerprint printed at the foot of its pages instead."),
    "time": N_("This file took too long to read; it cannot be checked here. Type the fingerprint "
               "printed at the foot of its pages instead."),
}


def _check_upload():
    """(result, error) for the uploaded copy."""
    upload = request.files["copy"].read() if "copy" in request.files else b""
    if not upload:
        return None, gettext("Choose the PDF file to check.")
    try:
        return issue.verify_copy(upload), None
    except reading.Unreadable as refused:
        return None, gettext(UNREADABLE.get(refused.reason, UNREADABLE["time"]))


@bp.route("/documents/verify", methods=["GET", "POST"])
@login_required
def verify():
    require("document.verify")
    result, typed, error = None, strip_controls(request.values.get("fingerprint", ""))[:200], None
    if request.method == "POST":
        result, error = _check_upload()
    elif typed.strip():
        record = issue.find_by_fingerprint(typed, lambda found: policy.can_open_document(current_user, found))
        result = issue.Verification("fingerprint" if record else "unknown", record, typed)
    if result is not None:
        result = _as_seen_by_user(result)
    return render_template("documents/verify.html", result=result, typed=typed, error=error,
                           printed=issue.grouped(result.record.content_sha256) if result and result.record else ""), (
        422 if error else 200)


def _as_seen_by_user(result):
    """The result as this user may know it: a document they may not open is
    answered exactly as one that does not exist. Each look-up is logged: in the
    audit trail always, and in the access log of each student a shown document
    is about."""
    found = result.record
    shown = found is not None and policy.can_open_document(current_user, found)
    issue.log_lookup(current_user, result.status, found, shown, client_ip())
    if found is not None and not shown:
        return issue.Verification("unknown", None, result.fingerprint)
    if shown:
        students = [found.student_id] if found.student_id else [
            letter.student_id for letter in Letter.select(Letter.student).where(Letter.document == found)]
        log_list(students, "verify")
    return result


def _choice_data(choice):
    return {"kind": choice.kind, "language": choice.language, "letter_date": choice.letter_date.isoformat(),
            "guardian": str(choice.guardian.id) if choice.guardian else ""}


def _letter_form(case, data, errors, status=200, standing=None, made=None):
    log_view(case.student)
    due, result = standing or due_letters.due_for_case(from_config(current_app.config), case,
                                                       today_for_school(case.student.school_id))
    return render_template("letters/new.html", case=case, student=case.student, data=data,
                           guardians=guardians_of(case.student), kinds=KINDS, languages=LANGUAGES,
                           errors=errors, due=due, today=today_for_school(case.student.school_id), made=made,
                           grounds={kind: grounds_for(kind, result) for kind in KINDS}), status


@bp.route("/cases/<int:case_id>/letters/new", methods=["GET", "POST"])
@login_required
def new_letter(case_id):
    case = case_for(case_id, "letter.generate")
    if not case.is_open:
        abort(409, gettext("This case is closed; letters go out on open cases only."))
    if request.method == "GET":
        standing = due_letters.due_for_case(from_config(current_app.config), case,
                                            today_for_school(case.student.school_id))
        # The kind asked for, else the letter the case is due (as on the day's list).
        kind = request.args.get("kind") if request.args.get("kind") in KINDS else (
            standing[0].kind if standing[0] else None)
        data = _choice_data(letters.default_choice(case, kind))
        if standing[0] is not None:  # the letter shown owed: made once, whoever makes it first
            data["owed"] = f"{standing[0].kind}:{standing[0].cycle}"
        return _letter_form(case, data, {}, standing=standing)
    data = form_data()
    try:
        choice = letters.parse_choice(data, case)
        letter = letters.generate_letter(current_user, case, choice, from_config(current_app.config),
                                         origin=origin())
    except letters.AlreadyMade as made:
        return _letter_form(case, data, made.errors, 409, made=made.left)
    except letters.LetterError as error:
        return _letter_form(case, data, error.errors, 422)
    flash(gettext("Letter made and logged on the case. Record how and when it is sent."), "success")
    return redirect(url_for("documents.show", doc_id=letter.document_id))


@bp.route("/letters/<int:letter_id>/sent", methods=["POST"])
@login_required
def letter_sent(letter_id):
    letter = _letter_for(letter_id)
    try:
        letters.record_sent(current_user, letter, form_data())
    except letters.LetterError as error:
        return _render_show(letter.document, {letter.id: error.errors}, {letter.id: form_data()}, 422)
    flash(gettext("Sending recorded."), "success")
    return redirect(safe_next(request.form.get("back"))
                    or url_for("documents.show", doc_id=letter.document_id))


@bp.route("/documents/<int:doc_id>/sent", methods=["POST"])
@login_required
def batch_sent(doc_id):
    record = _document_for(doc_id)
    require("letter.generate")
    in_it = [x for x in Letter.select(Letter, Student).join(Student).where(Letter.document == record).order_by(Letter.id)
             if policy.can(current_user, "letter.generate", x.student)]
    data = form_data(multi=("letter",))
    try:
        recorded, left = sending.record_batch_sent(current_user, in_it, data)
    except letters.LetterError as error:
        return _render_show(record, {"batch": error.errors}, {"batch": data}, 422)
    flash(ngettext("Sending recorded for %(num)d letter.", "Sending recorded for %(num)d letters.",
                   len(recorded)), "success")
    if left:
        flash(ngettext("%(num)d letter left unticked is not recorded as sent; record it below when it goes out.",
                       "%(num)d letters left unticked are not recorded as sent; record each below when it goes out.",
                       len(left)), "info")
    return redirect(url_for("documents.show", doc_id=record.id))


def _schools_for_letters():
    scope = policy.school_scope(current_user)
    query = School.select().where(School.active == True).order_by(School.name)  # noqa: E712
    return list(query if scope is None else query.where(School.id.in_(list(scope))))


@bp.route("/letters/due", methods=["GET", "POST"])
@login_required
def letters_due():
    require("letter.generate")
    schools = _schools_for_letters()
    chosen = request.values.get("school", "")
    # Printing names its school; a page with one school to choose shows it.
    fallback = schools[0] if len(schools) == 1 and request.method == "GET" else None
    school = next((s for s in schools if str(s.id) == chosen), fallback)
    if chosen and school is None:
        school_id = record_id(chosen)
        known = school_id is not None and School.get_or_none(School.id == school_id)
        abort(403 if known else 404)
    if request.method == "POST":
        return _print_due(schools, school)
    return _render_due(schools, school)


def _render_due(schools, school, error=None, ticked=None, status=200):
    # the school's today, in its zone
    today = today_for_school(school.id) if school else user_today(current_user)
    due = due_letters.letters_due(from_config(current_app.config), school.id, today) if school else []
    log_list([item.case.student_id for item in due[:due_letters.PRINT_AT_ONCE]])
    return render_template("letters/due.html", schools=schools, school=school, due=due, kinds=KINDS,
                           today=today, at_once=due_letters.PRINT_AT_ONCE, error=error,
                           ticked=ticked, job_key=new_key()), status


def _ticked_cases():
    """{case id: (the letter kind, its cycle) shown} for the letters left ticked on the
    page, or None when the form offered no ticks (every letter due is printed)."""
    if "ticks" not in request.form:
        return None
    ticked = {}
    for value in request.form.getlist("case"):
        case_id, _, rest = value.partition(":")
        kind, _, cycle = rest.partition(":")
        case_id = record_id(case_id)
        if case_id is not None and kind in KINDS:
            ticked[case_id] = (kind, owed.parse_cycle(cycle))
    return ticked


def _print_due(schools, school):
    if school is None:
        return _render_due(schools, None, gettext("Choose a school."), status=422)
    ticked = _ticked_cases()
    if ticked is not None and not ticked:
        return _render_due(schools, school, gettext("Tick at least one letter to print."), ticked, 422)
    try:  # a batch takes a while: a job, whose page shows how far it has gone
        return start_job("letters_due", request.form.get("job_key"), {
            "school_id": school.id, "origin": list(origin()),
            "reviewed": [[case_id, kind, cycle] for case_id, (kind, cycle) in sorted(ticked.items())]
            if ticked is not None else None})
    except JobError as error:
        return _render_due(schools, school, str(next(iter(error.errors.values()))), ticked, 422)
