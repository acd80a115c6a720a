"""Finding a student and reading their record."""
from flask import Blueprint, current_app, render_template, request
from flask_login import current_user, login_required

from fieldapp import policy
from fieldapp.cases.contacts import corrections_placed, timeline
from fieldapp.cases.lifecycle import history, open_case_of
from fieldapp.cases.text import strip_controls
from fieldapp.models import Case, User
from fieldapp.rules.settings import from_config
from fieldapp.rules.yearview import student_year
from fieldapp.students import attendance, records
from fieldapp.students.search import search as find_students
from fieldapp.timefmt import local_today
from fieldapp.web import i18n
from fieldapp.web.helpers import log_view, render_page_or_fragment, require, student_for

bp = Blueprint("students", __name__)


@bp.route("/students")
@login_required
def search():
    require("student.search")
    query = strip_controls(request.args.get("q", ""))[:100]
    results = find_students(query, policy.school_scope(current_user))
    return render_page_or_fragment("students/search.html", "students/_results.html",
                                   query=query, results=results)


@bp.route("/students/<int:student_id>")
@login_required
def show(student_id):
    student = student_for(student_id)
    log_view(student)
    case = open_case_of(student)
    contacts = timeline(student)
    scope = policy.school_scope(current_user)
    past_cases = (Case.select().where((Case.student == student) & (Case.status == "closed"))
                  .order_by(Case.closed_at.desc()))
    year = student_year(from_config(current_app.config), student, local_today())
    i18n.say_days(year["year"])
    return render_template(
        "students/show.html", student=student, case=case, past_cases=list(past_cases),
        guardians=records.guardians_of(student), siblings=records.household_of(student, scope),
        summary=attendance.summary_of(year["standing"]), contacts=contacts,
        superseded=corrections_placed(contacts),
        history=history(case) if case else [],
        officer=User.get_or_none(User.id == case.officer_id) if case and case.officer_id else None,
        **year)


@bp.route("/students/<int:student_id>/access-log")
@login_required
def access_log(student_id):
    student = student_for(student_id, "access_log.view")
    return render_template("students/access_log.html", student=student,
                           entries=records.access_log(student))
