"""The supervisor's desk: the district at a glance, every case, the officers'
caseloads, and the district contact log."""
import datetime

from flask import Blueprint, current_app, render_template, request, url_for
from flask_login import current_user, login_required

from fieldapp.cases import caselist, contact_log, desk, filter_words, letters_sent
from fieldapp.documents.letter_templates import KINDS as LETTER_KINDS
from fieldapp.documents.letters import SENT_METHODS
from fieldapp.jobs.queue import queue_of
from fieldapp.models import Student
from fieldapp.paging import page_number, paginate
from fieldapp.rules.settings import from_config
from fieldapp.students import bands
from fieldapp.timefmt import school_year_start
from fieldapp.web.i18n import gettext, label, local_date
from fieldapp.web.helpers import log_list, render_page_or_fragment, require, user_today, wants_fragment

bp = Blueprint("supervisor", __name__)


def list_args(*drop):
    """The query string as a dict, without the keys named (for links to other pages)."""
    return {k: v for k, v in request.args.items() if k not in drop}


@bp.route("/supervisor")
@login_required
def home():
    require("cases.district_list")
    today = user_today(current_user)
    figures = desk.district_figures(from_config(current_app.config), today)
    return render_template("supervisor/home.html", figures=figures, charts=_charts(figures, today),
                           today=today, workers_stopped=_workers_stopped(figures["not_counted"]))


def _workers_stopped(not_counted):
    """Whether the students a page leaves out wait for a worker when none runs
    (the page says so, rather than that they are being brought up to date)."""
    return bool(not_counted) and not queue_of(current_app).workers_running()


def _charts(figures, today):
    """The rows of the home page's charts: (label, number, link to the list behind it)."""
    bands = [(row.school.name, row.bands,
              {band: url_for("supervisor.students", school=row.school.id, band=band) for band in row.bands},
              row.students) for row in figures["schools"]]
    since = school_year_start(today).isoformat()
    reasons = [(label("reason", code), n, url_for("supervisor.contacts", reason=code, date_from=since))
               for code, n in figures["reasons"]]
    weeks = [(gettext("Week of %(day)s", day=local_date(monday, "%b %-d")), n,
              url_for("supervisor.contacts", date_from=monday.isoformat(),
                      date_to=(monday + datetime.timedelta(days=6)).isoformat()))
             for monday, n in figures["weeks"]]
    return {"bands": bands, "reasons": reasons, "weeks": weeks,
            "reasons_peak": max((n for _, n, _ in reasons), default=0),
            "weeks_peak": max((n for _, n, _ in weeks), default=0)}


@bp.route("/supervisor/cases")
@login_required
def cases():
    require("cases.district_list")
    filters, errors = caselist.parse_filters(request.args)
    sort = caselist.parse_sort(request.args, errors)
    settings = from_config(current_app.config)
    # A band is read from stored standings: refresh them first when few are not fresh.
    not_counted = bands.refresh_if_few(settings)[1] if "band" in filters else 0
    page = caselist.district_cases(filters, sort, page_number(request.args.get("page")), settings=settings)
    log_list([case.student_id for case in page.items])
    schools, officers = caselist.filter_choices()
    return render_template("supervisor/cases.html", page=page, filters=filters, errors=errors,
                           not_counted=not_counted, workers_stopped=_workers_stopped(not_counted),
                           sort=sort, sorts=caselist.SORTS, schools=schools, officer_choices=officers,
                           follow_ups=caselist.FOLLOW_UPS, new_choices=caselist.NEW_TO_OFFICER,
                           args=list_args("page"), today=user_today(current_user)), 422 if errors else 200


@bp.route("/supervisor/students")
@login_required
def students():
    require("cases.district_list")
    filters, errors = caselist.parse_student_filters(request.args)
    settings = from_config(current_app.config)
    scope = [filters["school"]] if "school" in filters else None
    not_counted = bands.refresh_if_few(settings, scope)[1]
    rows, total = bands.students(settings, filters.get("school"), filters.get("band"))
    page = paginate(rows, page_number(request.args.get("page")), total=total)
    log_list([row.student.id for row in page.items])
    schools, _ = caselist.filter_choices()
    return render_template("supervisor/students.html", page=page, filters=filters, errors=errors,
                           schools=schools, not_counted=not_counted, workers_stopped=_workers_stopped(not_counted),
                           args=list_args("page")), 422 if errors else 200


@bp.route("/supervisor/officers")
@login_required
def officers():
    require("case.assign")
    return render_template("supervisor/officers.html", rows=desk.officer_workload(),
                           today=user_today(current_user))


@bp.route("/supervisor/contacts")
@login_required
def contacts():
    require("contacts.district_log")
    filters, errors, student_q, candidates = contact_log.parse_page_filters(request.args)
    student = Student.get_or_none(Student.id == filters["student"]) if "student" in filters else None
    cursor = contact_log.parse_cursor(request.args.get("after"))
    # A place in the list that is none: said, and the list shown from its start with its count.
    bad_cursor = filter_words.bad_cursor(request.args["after"]) if cursor is None and request.args.get("after") \
        else None
    # A student asked for but not found, or several found: no rows and no count
    # that would read as theirs (the district's whole log) until one is chosen.
    unresolved = "student" in errors or "student_q" in errors
    rows, next_cursor = ([], None) if unresolved else contact_log.district_log(filters, cursor)
    log_list([row.student_id for row in rows])
    officers, schools = contact_log.filter_choices()
    # Every page says how many match and where it stands; the rows HTMX adds
    # below a page already read need neither (the page above says them).
    matching = shown = None
    if not wants_fragment() and not unresolved:
        first, last, matching = contact_log.position(filters, cursor, len(rows))
        shown = {"first": first, "last": last, "total": matching}
    return render_page_or_fragment(
        "supervisor/contacts.html", "supervisor/_contact_rows.html", rows=rows, next_cursor=next_cursor,
        filters=filters, errors=errors, officers=officers, schools=schools, student=student,
        student_q=student_q, candidates=candidates, bad_cursor=bad_cursor, unresolved=unresolved,
        matching=matching, shown=shown, args={**list_args("after", "student_q"), "student": student.id} if student else list_args("after"),
        other_args=list_args("after", "student", "student_q"),
        status=422 if errors else 200)


@bp.route("/supervisor/letters")
@login_required
def letters():
    """The letters sent district-wide, filtered by school, kind and days sent."""
    require("letters.district_list")
    filters, errors = letters_sent.parse_filters(request.args)
    page = letters_sent.sent_page(filters, page_number(request.args.get("page")))
    log_list([letter.student_id for letter in page.items])
    schools, _ = caselist.filter_choices()
    return render_template("supervisor/letters.html", page=page, filters=filters, errors=errors,
                           schools=schools, kinds=LETTER_KINDS, sent_methods=SENT_METHODS,
                           args=list_args("page")), 422 if errors else 200
