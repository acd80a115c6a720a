"""What every view needs: page-or-fragment, the record checks, form data."""
from flask import abort, flash, g, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup, escape

from fieldapp import policy, timefmt
from fieldapp.codes import AUTOMATIC_ACCESS
from fieldapp.db import Param, Prepared
from fieldapp.models import Case, Contact, School, Student, User
from fieldapp.students.records import record_access, record_list_access
from fieldapp.web import offline_copy


def wants_fragment():
    """True when HTMX asked for a piece of a page rather than a whole one."""
    h = request.headers
    return (h.get("HX-Request") == "true" and h.get("HX-Boosted") != "true"
            and h.get("HX-Request-Type", "partial") != "full"
            and h.get("HX-History-Restore-Request") != "true")


def render_page_or_fragment(page, fragment, status=200, **context):
    """The full page, or only its fragment for an HTMX request; Vary says so."""
    template = fragment if wants_fragment() else page
    response = make_response(render_template(template, **context), status)
    response.headers.add("Vary", "HX-Request")
    return response


def shown_at(url):
    """Say that the page being rendered is the one `url` shows (a GET of it answers that page).

    A form that posts to an address only POST takes (/letters/5/sent) and answers with a
    page, its errors beside the fields, must not leave that address in the bar, where a
    reload would say "Not allowed": see web/__init__.py, _keep_addresses_reloadable."""
    g.shown_at = url


# An id no record has, standing in for each row's id in link_to's one url_for.
_ROW_ID = 9_000_000_000_000_000_123


def link_to(endpoint, key, **values):
    """A function id -> url_for(endpoint, **{key: id}, **values), with url_for
    asked once: it walks the routing map on every call, and a list page that
    links each of its rows would ask it a hundred times."""
    head, tail = url_for(endpoint, **{key: _ROW_ID}, **values).split(str(_ROW_ID), 1)
    return lambda record_id: f"{head}{int(record_id)}{tail}"


def school_today(school_id):
    """Today in a school's zone, looked up once per request and school."""
    known = g.setdefault("school_today", {})
    if school_id not in known:
        known[school_id] = timefmt.today_for_school(school_id)
    return known[school_id]


def follow_up_state(due_on, school_id):
    """How a follow-up date stands today at its school (cases.followups.due_state): every
    screen marks a date in the past as overdue the same way (_macros.html, follow_up)."""
    from fieldapp.cases.followups import due_state
    return due_state(due_on, school_today(school_id)) if due_on else ""


def require(action):
    """403 unless the current user's role may attempt action."""
    if not policy.allowed(current_user, action):
        refuse(action)


def refuse(reason):
    """403 saying what is refused and who may do it (policy.REFUSALS[reason]),
    for a user who may well see the record. A record outside the user's
    schools is a bare abort(403): the page says the record is out of reach."""
    abort(403, description=policy.refusal(reason))


def _load(model, record_id):
    record = model.get_or_none(model.id == record_id)
    if record is None:
        abort(404)
    return record


def student_for(student_id, action="student.view"):
    """The student, or 404 if none, or 403 if out of the user's scope. Times
    on the page are then read and shown in the zone of the student's school."""
    require(action)
    student = _STUDENT.first(id=student_id)
    if student is None:
        abort(404)
    if not policy.can(current_user, action, student):
        abort(403)
    g.time_zone = timefmt.student_zone(student)
    return student


# Every page of a student's record starts here, and names the student's school.
_STUDENT = Prepared(lambda: Student.select(Student, School).join(School).where(Student.id == Param("id")).limit(1))


def page_zone():
    """The zone this page's times are in: its student's school's, else the
    zone shared by the user's schools, else the installation's."""
    if getattr(g, "time_zone", None) is None:
        g.time_zone = user_zone(current_user)
    return g.time_zone


def user_zone(user):
    """The zone of a user's schools when they share one, else the installation's."""
    scope = policy.school_scope(user) if getattr(user, "is_authenticated", False) else None
    zones = {timefmt.school_zone(school) for school in scope or ()}
    return zones.pop() if len(zones) == 1 else timefmt.default_zone()


def user_today(user):
    """Today for a user's lists (caseload, office): in the zone of their schools."""
    return timefmt.local_today(user_zone(user))


def case_for(case_id, action):
    """The case, or 403 if the role may never do action (before revealing
    whether the case exists), 404 if none, 403 if out of scope."""
    require(action)
    case = _load(Case, case_id)
    case.student = student_for(case.student_id, action)  # loaded once, used by the view
    return case


def contact_for(contact_id, action="student.view"):
    """Like case_for, for a contact."""
    require(action)
    contact = _load(Contact, contact_id)
    student_for(contact.student_id, action)
    return contact


def client_ip():
    """The visitor's address. X-Forwarded-For is only believed through the
    proxies named by TRUSTED_PROXIES (ProxyFix), never straight from the client,
    so nobody can write another address into the access log."""
    return request.remote_addr or ""


def log_view(student, action="view"):
    """Write the view of a student's record to its access log.

    A page the phone fetches to keep for offline work is logged as an
    "offline copy": the record left the server, but nobody read it yet. Only
    a request carrying the token of a refresh says so (see offline_copy).
    """
    if action == "view" and offline_copy.is_automatic(current_user, [student.id]):
        action = AUTOMATIC_ACCESS
    record_access(current_user, student, action, request.path, client_ip())


def log_list(student_ids, action="list"):
    """Log each student a list page shows, in one statement (see record_list_access).

    The path keeps the query string: which search or filter showed them."""
    path = request.full_path.rstrip("?") if request.query_string else request.path
    if action == "list" and request.headers.get(offline_copy.HEADER):
        student_ids = list(student_ids)
        if offline_copy.is_automatic(current_user, student_ids):
            action = AUTOMATIC_ACCESS
    return record_list_access(current_user, student_ids, action, path, client_ip())


def form_data(multi=()):
    """request.form as a dict; names in multi become lists."""
    data = {key: request.form.get(key) for key in request.form}
    for key in multi:
        data[key] = request.form.getlist(key)
    return data


def record_form(template, student, apply, done, error, multi=(), **context):
    """A form about one student's record: GET shows it; POST calls
    apply(data) and, when it raises `error` (an exception class carrying
    `.errors`, field -> message), shows the form again with what to fix next to
    each field and everything typed kept (422); otherwise flashes `done` and
    goes back to the student's page. `multi` names the fields that come as
    lists. The form shows the student's record, so showing it is logged."""
    errors, data = {}, {}
    if request.method == "POST":
        data = form_data(multi=multi)
        try:
            apply(data)
        except error as failed:
            errors = failed.errors
        else:
            flash(done, "success")
            return redirect(url_for("students.show", student_id=student.id))
    log_view(student)
    return render_template(template, student=student, errors=errors, data=data, **context), \
        (422 if errors else 200)


def gone_page(student, gone, title):
    """The answer to a GET of a form about something that can no longer take
    it (a closed case, an answered referral, a student whose case is open
    already): what happened, when and by whom, at once and without the form
    (409). gone: the dict fieldapp.cases gives (see templates/gone.html).
    The page names the student, so showing it is logged."""
    log_view(student)
    return render_template("gone.html", student=student, gone=gone, title=title), 409


def whole_words(text):
    """text as HTML whose hyphenated words never break across lines (each
    held in a .nowrap span): a header may wrap between words, and
    "Follow-ups" is not cut into "Follow-" and "ups"."""
    return Markup(" ").join(Markup('<span class="nowrap">%s</span>') % word if "-" in word else word
                            for word in escape(text).split(" "))


def with_chosen_officer(officers, chosen):
    """officers (Users offered by a list's officer filter) and, after them,
    the one chosen (a user id, or "none"/None) when it is not among them: an
    officer who holds cases at the user's schools without serving them any
    longer narrows the list (fieldapp.cases.filter_reach), and the field
    says so rather than showing "Anyone"."""
    if isinstance(chosen, int) and chosen not in {o.id for o in officers}:
        return [*officers, *User.select().where(User.id == chosen)]
    return officers


def export_url(name, args):
    """The address that exports list name (a key of policy.EXPORTS) filtered
    by args ({filter: value or [values]}): a school's open cases have their
    own, the district's lists share one."""
    if name == "office":
        return url_for("exports.school_list", **args)
    return url_for("exports.export", name=name, **args)
