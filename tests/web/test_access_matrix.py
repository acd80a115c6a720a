"""Every route of the app, asked by every role and by nobody, on a record in
the user's scope, one out of it and one that does not exist.

The routes come from app.url_map, so a route added without an entry in
ROUTES fails here. To add one: put its endpoint in ROUTES with the status each
role gets on a record in its scope (the rest follows from the rules below),
and, if its URL names a new kind of record, say in RECORDS how to find one.
"""
import re

import pytest

from fieldapp import create_app
from fieldapp.db import database
from fieldapp.models import Referral
from tests.conftest import Auth
from tests.factories import gen_contact, gen_user
from tests.documents_support import gen_issued_letter, gen_plan
from tests.unit.sync_entries import gen_conflict
from tests.web.test_import_pages import gen_import_run
from tests.web.conftest import ROLES, WORLD_USER, anonymous_token, page_text, sign_in

LOGIN = "login"  # logged out: redirect to the login page (401 for HTMX and JSON clients)
MISSING_ID = 987654


def E(officer, front_office, supervisor, admin, anon=LOGIN):
    """The status each role gets on a record in its own scope."""
    return {"officer": officer, "front_office": front_office, "supervisor": supervisor,
            "admin": admin, None: anon}


# URL argument -> (id in the scope of the school-A users, id outside it), from the world fixture.
RECORDS = {
    "student_id": lambda w: (w["student_a"].id, w["student_b"].id),
    "case_id": lambda w: (w["case_a"].id, w["case_b"].id),
    # Authors correct their own contacts: in scope, one the role's own user logged
    # (the front office's on the case; the officer's contact A for the others).
    "contact_id": lambda w, role=None: (
        (gen_contact(w["case_a"], w["front"], method="phone", people_present=[]).id
         if role == "front_office" else w["contact_a"].id), w["contact_b"].id),
    "conflict_id": lambda w: (gen_conflict(w["contact_a"]).id, gen_conflict(w["contact_b"]).id),
    "letter_id": lambda w: (gen_issued_letter(w["case_a"], w["officer"]).id,
                            gen_issued_letter(w["case_b"], w["other_officer"]).id),
    "doc_id": lambda w: (gen_issued_letter(w["case_a"], w["officer"]).document_id,
                         gen_issued_letter(w["case_b"], w["other_officer"]).document_id),
    "plan_id": lambda w: (gen_plan(w["case_a"], w["officer"]).id, gen_plan(w["case_b"], w["other_officer"]).id),
    # An import belongs to the district, not a school: the same run in and out of scope.
    "school_id": lambda w: (w["school_a"].id, w["school_b"].id),
    "run_id": lambda w: (gen_import_run(w["admin"]).id,) * 2,
    # Accounts belong to the district too.
    "user_id": lambda w: (w["other_officer"].id,) * 2,
    # A job belongs to who started it: in scope, one the role's own user started.
    "job_id": lambda w, role=None: (gen_job(w[WORLD_USER[role]] if role else w["officer"]).id,
                                    gen_job(w["other_officer"]).id),
    # A finished spreadsheet: the role's own, and another supervisor's.
    "export_id": lambda w, role=None: (gen_export(w[WORLD_USER[role]] if role else w["supervisor"]).id,
                                       gen_export(gen_user("supervisor")).id),
    # Each waiting for its school's officer, as a referral goes (one nobody holds is the supervisors').
    "referral_id": lambda w: tuple(Referral.create(student=s, school=s.school_id, reason="illness",
                                                   referred_by=w["front"], officer=w[officer]).id
                                   for s, officer in ((w["student_a"], "officer"),
                                                      (w["student_b"], "other_officer"))),
    # Officers are the district's: the same one in and out of scope.
    "officer_id": lambda w: (w["officer"].id,) * 2,
    # A school's time zone is the district's business: the same school in and out of scope.
    "school_id": lambda w: (w["school_a"].id,) * 2,
}

# endpoint -> {method: E(...)}; "args" gives fixed URL arguments.
# A POST is sent empty (with a CSRF token): a role that may act gets the form
# back with what to fix (422), one that may not gets 403; nothing is written.
ROUTES = {
    "static": {"args": {"filename": "css/app.css"}, "GET": E(200, 200, 200, 200, anon=200)},
    "main.healthz": {"GET": E(200, 200, 200, 200, anon=200)},
    # no worker runs beside the matrix: a monitor is told so
    "main.workers_health": {"GET": E(503, 503, 503, 503, anon=503)},
    "main.home": {"GET": E(302, 302, 302, 302)},
    "auth.login": {"GET": E(302, 302, 302, 302, anon=200),
                   "POST": E(302, 302, 302, 302, anon=422)},
    "auth.logout": {"POST": E(302, 302, 302, 302)},
    "students.search": {"GET": E(200, 200, 200, 200)},
    "students.show": {"GET": E(200, 200, 200, 200)},
    "students.access_log": {"GET": E(403, 403, 200, 200)},
    "students.mark_number": {"POST": E(422, 422, 422, 403)},
    "cases.caseload": {"GET": E(200, 403, 403, 403)},
    "followups.done": {"POST": E(302, 403, 302, 403)},
    # the students of the matrix have an open case: the form says so at once and is
    # not offered (409); sent anyway, it shows the case there is
    "cases.open_case": {"GET": E(409, 403, 409, 403), "POST": E(302, 403, 302, 403)},
    "cases.close": {"GET": E(200, 403, 200, 403), "POST": E(422, 403, 422, 403)},
    "cases.stage": {"GET": E(200, 403, 200, 403), "POST": E(422, 403, 422, 403)},
    "cases.circumstances": {"GET": E(200, 403, 200, 403), "POST": E(422, 403, 422, 403)},
    "contacts.new": {"GET": E(200, 200, 200, 403), "POST": E(422, 422, 422, 403)},
    "contacts.amend": {"GET": E(200, 200, 200, 403), "POST": E(422, 422, 422, 403)},
    # A call about a student without an open case; student A has one, so the
    # form sends the call to the case's own contact form, and a POST says so.
    "contacts.call": {"GET": E(302, 302, 302, 403), "POST": E(422, 422, 422, 403)},
    "office.home": {"GET": E(403, 200, 403, 403)},
    "supervisor.contacts": {"GET": E(403, 403, 200, 200)},
    "supervisor.home": {"GET": E(403, 403, 200, 200)},
    "supervisor.cases": {"GET": E(403, 403, 200, 200)},
    "supervisor.students": {"GET": E(403, 403, 200, 200)},
    "supervisor.letters": {"GET": E(403, 403, 200, 200)},
    "supervisor.officers": {"GET": E(403, 403, 200, 403)},
    "assign.case": {"GET": E(403, 403, 200, 403), "POST": E(403, 403, 422, 403)},
    "assign.unassigned": {"GET": E(403, 403, 200, 403)},
    "assign.many": {"POST": E(403, 403, 422, 403)},
    "assign.hand_over": {"GET": E(403, 403, 200, 403), "POST": E(403, 403, 422, 403)},
    # An export needs its format (the button pressed); without one it is a bad request.
    "exports.export": {"args": {"name": "cases"}, "POST": E(403, 403, 400, 403)},
    # The school's open cases to a file: its front office's alone.
    "exports.school_list": {"POST": E(403, 400, 403, 403)},
    "admin.home": {"GET": E(403, 403, 403, 200)},
    "office.excuse_note": {"GET": E(200, 200, 200, 403), "POST": E(422, 422, 422, 403)},
    "office.refer": {"GET": E(403, 200, 403, 403), "POST": E(403, 422, 403, 403)},
    "office.decline": {"GET": E(200, 403, 200, 403), "POST": E(422, 403, 422, 403)},
    "sync.service_worker": {"GET": E(200, 200, 200, 200, anon=200)},
    "sync.manifest": {"GET": E(200, 200, 200, 200, anon=200)},
    "sync.offline": {"GET": E(200, 200, 200, 200, anon=200)},
    "sync.locked": {"GET": E(200, 200, 200, 200, anon=200)},
    "sync.outbox": {"GET": E(200, 200, 200, 403)},
    # The API answers JSON: 401 when logged out, so a phone keeps its entries.
    "sync.session_info": {"GET": E(200, 200, 200, 200, anon=401)},
    "sync.offline_pages": {"GET": E(200, 200, 200, 200, anon=401)},
    "sync.api_sync": {"POST": E(400, 400, 400, 403, anon=401)},  # a form post is not a batch
    "sync.conflicts": {"GET": E(403, 403, 200, 403)},
    "sync.resolve": {"POST": E(403, 403, 422, 403)},
    "sync.waiting_devices": {"GET": E(403, 403, 200, 200)},
    # Paperwork; producing a plan's PDF needs no input, so it redirects to the document.
    "documents.paperwork": {"GET": E(200, 200, 200, 403)},
    "documents.case_report": {"POST": E(422, 403, 422, 403)},
    "documents.show": {"GET": E(200, 200, 200, 403)},
    "documents.pdf": {"GET": E(200, 200, 200, 403)},
    "documents.verify": {"GET": E(200, 200, 200, 200), "POST": E(422, 422, 422, 422)},
    "documents.new_letter": {"GET": E(200, 200, 200, 403), "POST": E(422, 422, 422, 403)},
    "documents.letter_sent": {"POST": E(422, 422, 422, 403)},
    "documents.batch_sent": {"POST": E(422, 422, 422, 403)},
    "documents.letters_due": {"GET": E(200, 200, 200, 403), "POST": E(422, 422, 422, 403)},
    "plans.new": {"GET": E(200, 403, 200, 403), "POST": E(422, 403, 422, 403)},
    "plans.edit": {"GET": E(200, 403, 200, 403), "POST": E(422, 403, 422, 403)},
    "plans.show": {"GET": E(200, 403, 200, 403)},
    "plans.sign": {"args": {"role": "guardian"}, "GET": E(200, 403, 200, 403),
                   "POST": E(422, 403, 422, 403)},
    "plans.pdf": {"POST": E(302, 403, 302, 403)},
    "plans.reviews": {"GET": E(200, 403, 403, 403)},
    "admin.import_list": {"GET": E(403, 403, 403, 200)},
    "admin.upload": {"POST": E(403, 403, 403, 422)},
    "admin.import_run": {"GET": E(403, 403, 403, 200)},
    # The run is a refused import: nothing to apply or undo (409); cancelling it is a no-op.
    "admin.apply_import": {"POST": E(403, 403, 403, 409)},
    "admin.cancel_import": {"POST": E(403, 403, 403, 303)},
    "admin.undo_import": {"POST": E(403, 403, 403, 409)},
    "admin.rules": {"GET": E(403, 403, 200, 200)},
    # One page for each school's time zone, address and phone; an empty form is sent back.
    "admin.schools": {"GET": E(403, 403, 403, 200)},
    "admin.school": {"POST": E(403, 403, 403, 422)},
    "worklist.show": {"GET": E(200, 200, 200, 403)},
    # Long work's page and its retry: its starter's alone (the work runs as them), whatever the
    # role; retrying one not failed is told so.
    "jobs.show": {"GET": E(200, 200, 200, 200), "out_of_own": {"supervisor": 403, "admin": 403}},
    "jobs.recent": {"GET": E(200, 200, 200, 200)},
    "jobs.retry": {"POST": E(303, 303, 303, 303), "out_of_own": {"supervisor": 403, "admin": 403}},
    # A finished spreadsheet is its requester's alone: another supervisor's is refused.
    "exports.download": {"GET": E(403, 200, 200, 403), "out_of_own": {"supervisor": 403}},
    # Everyone picks the language of their own screens; an empty choice is sent back.
    "account.language": {"GET": E(200, 200, 200, 200), "POST": E(422, 422, 422, 422)},
    # Each user's own phone, printed on their letters.
    "details.own_phone": {"GET": E(200, 200, 200, 200), "POST": E(422, 422, 422, 422)},
    # Everyone keeps their own password and sessions; ending the others needs no input.
    "account.show": {"GET": E(200, 200, 200, 200)},
    "account.password": {"GET": E(200, 200, 200, 200), "POST": E(422, 422, 422, 422)},
    "account.end_others": {"POST": E(302, 302, 302, 302)},
    # The administrator's user pages; an empty form is sent back with what to fix.
    "admin_users.users": {"GET": E(403, 403, 403, 200)},
    "admin_users.new": {"GET": E(403, 403, 403, 200), "POST": E(403, 403, 403, 422)},
    "admin_users.show": {"GET": E(403, 403, 403, 200), "POST": E(403, 403, 403, 422)},
    "admin_users.deactivate": {"POST": E(403, 403, 403, 302)},
    "admin_users.reactivate": {"POST": E(403, 403, 403, 302)},
    "admin_users.reset_password": {"POST": E(403, 403, 403, 302)},  # without its answer: asked again
    "admin_users.unlock": {"POST": E(403, 403, 403, 302)},
    "admin_users.audit_trail": {"GET": E(403, 403, 403, 200)},
    "admin_users.reset_mfa": {"POST": E(403, 403, 403, 302)},
    # The second step at log-in: without a password just given, back to the login page.
    "auth.second_factor": {"GET": E(302, 302, 302, 302, anon=302),
                           "POST": E(302, 302, 302, 302, anon=302)},
    # Single sign-on, where no provider is configured (the tests' default): no such page.
    "sso.start": {"GET": E(404, 404, 404, 404, anon=404)},
    "sso.callback": {"GET": E(404, 404, 404, 404, anon=404)},
    "account.mfa_setup": {"GET": E(200, 200, 200, 200), "POST": E(422, 422, 422, 422)},
    "account.mfa_remove": {"POST": E(302, 302, 302, 302)},
}

# Every list's export (policy.EXPORTS) -> the status each role gets asking for
# its CSV: the district's lists are the supervisors', the school's open cases
# its front office's. exports.export above is one of these routes; the rest
# share it by the list's name.
EXPORTS = {"cases": E(403, 403, 200, 403), "contacts": E(403, 403, 200, 403),
           "letters": E(403, 403, 200, 403), "worklist": E(403, 403, 200, 403),
           "unassigned": E(403, 403, 200, 403), "students": E(403, 403, 200, 403),
           "office": E(403, 200, 403, 403)}


# Roles limited to some schools; the others see the whole district.
SCOPED_ROLES = ("officer", "front_office")


def app_routes():
    """(endpoint, method, rule) for every route, read from a throwaway app."""
    saved = database.obj
    try:
        app = create_app({"TESTING": True, "DATABASE_URL": "sqlite:///:memory:",
                          "SECRET_KEY": "route-listing-only-" + "x" * 32, "ENV_MODE": "test"})
    finally:
        if saved is not None:
            database.initialize(saved)
    return sorted((rule.endpoint, method, rule.rule) for rule in app.url_map.iter_rules()
                  for method in rule.methods - {"HEAD", "OPTIONS"})


ALL_ROUTES = app_routes()


def expected(endpoint, method, role, target):
    """The status for role on target ('in', 'out' or 'missing'), from the table."""
    code = ROUTES[endpoint][method][role]
    if role is None or code == 403 or target == "in":
        return code
    if target == "out":
        mine_only = ROUTES[endpoint].get("out_of_own", {}).get(role)
        return mine_only or (403 if role in SCOPED_ROLES else code)
    return 404


def gen_job(user):
    from fieldapp.models import Job
    from fieldapp.jobs.runner import new_key
    return Job.create(key=new_key(), kind="case_report", user=user)


def gen_export(user):
    """A finished XLSX export of user's, its file kept: of the front office's
    school list for a front office, of the district's case list for others."""
    import json
    from fieldapp.models import Job, JobFile, utcnow
    from fieldapp.jobs.runner import new_key
    name = "office" if user.role == "front_office" else "cases"
    job = Job.create(key=new_key(), kind="export_xlsx", user=user, state="done", finished_at=utcnow(),
                     params_json=json.dumps({"name": name, "args": []}),
                     result_json=json.dumps({"filename": f"{name}-2026-01-05.xlsx", "rows": 1}))
    JobFile.create(job=job, data=b"PK\x03\x04")
    return job


def record_args(app, endpoint, world, role=None):
    """{target: url} for the route: in scope, out of scope, missing (or one URL)."""
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    args = dict(ROUTES[endpoint].get("args", {}))
    kinds = [a for a in rule.arguments if a not in args]
    if not kinds:
        return {"in": args}
    assert len(kinds) == 1 and kinds[0] in RECORDS, (
        f"{endpoint}: say in RECORDS (tests/web/test_access_matrix.py) how to find a "
        f"record for {kinds}")
    find = RECORDS[kinds[0]]
    inside, outside = find(world, role) if kinds[0] in ("job_id", "contact_id", "export_id") else find(world)
    return {"in": {**args, kinds[0]: inside}, "out": {**args, kinds[0]: outside},
            "missing": {**args, kinds[0]: MISSING_ID}}


def route_urls(app, endpoint, world, role=None):
    """{target: URL} for every record the matrix asks about on this route."""
    with app.test_request_context():
        from flask import url_for
        return {target: url_for(endpoint, **args)
                for target, args in record_args(app, endpoint, world, role).items()}


def _ask(client, method, url, token):
    if method == "GET":
        return client.get(url)
    return client.open(url, method=method, data={"csrf_token": token})


def _describe(response):
    if response.status_code in (301, 302, 303):
        return f"{response.status_code} to {response.headers.get('Location')}"
    return str(response.status_code)


def _check_logged_out(response, url, method):
    """Logged out: a redirect to the login page that comes back here."""
    location = response.headers.get("Location", "")
    if response.status_code != 302 or not location.startswith("/login?next="):
        return f"{method} {url}: expected a redirect to log in, got {_describe(response)}"
    return None


def _problems(app, world, endpoint, method, role):
    """What differs from the table for one role on one route, as readable lines."""
    client = app.test_client()
    token = sign_in(client, Auth(client), world[WORLD_USER[role]]) if role else anonymous_token(client)
    problems = []
    for target, url in route_urls(app, endpoint, world, role).items():
        response = _ask(client, method, url, token)
        want = expected(endpoint, method, role, target)
        if want == LOGIN:
            problem = _check_logged_out(response, url, method)
        elif response.status_code != want:
            problem = f"{method} {url} ({target}): expected {want}, got {_describe(response)}"
        else:
            problem = None
        if problem:
            problems.append(f"as {role or 'logged out'}: {problem}")
    return problems


@pytest.mark.parametrize("endpoint,method,rule", ALL_ROUTES,
                         ids=[f"{m} {e}" for e, m, _ in ALL_ROUTES])
def test_every_route_answers_each_role_as_the_table_says(app, world, endpoint, method, rule):
    if endpoint not in ROUTES:
        pytest.fail(f"The route {rule} ({endpoint}) is not in the access matrix: add it to "
                    f"ROUTES in tests/web/test_access_matrix.py with the status each role "
                    f"should get.", pytrace=False)
    if method not in ROUTES[endpoint]:
        pytest.fail(f"{method} {rule} ({endpoint}) is not in the access matrix: add '{method}' "
                    f"to its entry in ROUTES in tests/web/test_access_matrix.py.", pytrace=False)
    problems = []
    for role in ROLES + (None,):
        problems += _problems(app, world, endpoint, method, role)
    assert not problems, "\n".join(problems)


def test_the_matrix_names_no_route_the_app_lacks():
    endpoints = {e for e, _, _ in ALL_ROUTES}
    stale = sorted(set(ROUTES) - endpoints)
    assert not stale, f"ROUTES lists endpoints the app no longer has: {stale}; remove them."


LOGIN_REQUIRED_GETS = [(e, r) for e, m, r in ALL_ROUTES
                       if m == "GET" and ROUTES.get(e, {}).get("GET", {}).get(None) == LOGIN]


@pytest.mark.parametrize("endpoint,rule", LOGIN_REQUIRED_GETS,
                         ids=[e for e, _ in LOGIN_REQUIRED_GETS])
def test_logged_out_htmx_and_json_clients_get_401(app, client, world, endpoint, rule):
    for target, url in route_urls(app, endpoint, world).items():
        htmx = client.get(url, headers={"HX-Request": "true"})
        assert htmx.status_code == 401, f"HTMX GET {url}: {_describe(htmx)}"
        assert htmx.headers["HX-Redirect"].startswith("/login?next="), url
        api = client.get(url, headers={"Accept": "application/json"})
        assert api.status_code == 401, f"JSON GET {url}: {_describe(api)}"
        assert api.get_json() == {"error": "login required"}


# -- the access log of each page ---------------------------------------------------
#
# endpoint -> what a GET that answers 200 writes to the access log (34 CFR 99.32):
#   RECORD: a page about one record: one "view" line for its student;
#   LIST:   a list of students: one line per student it links to, each once;
#   DISCLOSE: hands out a copy of a document: a "disclose" line for its student;
#   NONE:   shows no student's record: nothing.
# A new GET route fails here until it is given one of the three.
RECORD, LIST, DISCLOSE, NONE = "record", "list", "disclose", "none"
LOGGED = {
    # Accounts, sign-in and the audit trail show users, never a student's record.
    **{endpoint: "none" for endpoint in (
        "account.mfa_setup", "account.password", "account.show", "admin_users.audit_trail",
        "admin_users.new", "admin_users.show", "admin_users.users", "auth.second_factor",
        "sso.callback", "sso.start")},
    "static": NONE, "main.healthz": NONE, "main.workers_health": NONE, "main.home": NONE, "auth.login": NONE,
    "students.search": LIST, "students.show": RECORD, "students.access_log": NONE,
    "cases.caseload": LIST, "cases.open_case": RECORD, "cases.close": RECORD, "cases.stage": RECORD,
    "cases.circumstances": RECORD,
    "contacts.new": RECORD, "contacts.amend": RECORD, "contacts.call": RECORD, "office.home": LIST,
    "supervisor.contacts": LIST, "sync.service_worker": NONE, "sync.manifest": NONE,
    "sync.offline": NONE, "sync.outbox": NONE, "sync.session_info": NONE, "sync.offline_pages": NONE,
    "sync.conflicts": LIST, "sync.waiting_devices": NONE,
    "documents.paperwork": RECORD, "documents.show": RECORD, "documents.pdf": DISCLOSE,
    "documents.verify": NONE, "documents.new_letter": RECORD, "documents.letters_due": LIST,
    "plans.new": RECORD, "plans.edit": RECORD, "plans.show": RECORD, "plans.sign": RECORD,
    "plans.reviews": LIST, "admin.import_list": NONE, "admin.import_run": NONE, "admin.rules": NONE,
    "worklist.show": LIST, "account.language": NONE,
    "admin.home": NONE, "admin.schools": NONE, "supervisor.home": NONE, "supervisor.officers": NONE,
    "supervisor.cases": LIST, "supervisor.students": LIST, "assign.unassigned": LIST, "supervisor.letters": LIST,
    "assign.case": RECORD, "assign.hand_over": NONE,
    "office.excuse_note": RECORD, "office.refer": RECORD, "office.decline": RECORD,
    # Downloading a spreadsheet logs nothing: its students were logged once, when it was made for its user.
    "jobs.show": NONE, "jobs.recent": NONE, "exports.download": NONE, "sync.locked": NONE, "details.own_phone": NONE,
}
# Query strings that make a list page show someone.
LIST_QUERY = {"students.search": {"q": "García"}}
GETS = sorted({e for e, m, _ in ALL_ROUTES if m == "GET"})


def _fill_lists(world):
    """Something on every list: truancy for the worklist and letters, a plan to
    review, a conflict to settle, a case nobody holds."""
    from tests.documents_support import add_attendance
    for student in (world["student_a"], world["student_b"]):
        add_attendance(student, student.school_id)
    from fieldapp.models import Case
    Case.update(stage="first_notice").where(Case.id == world["case_a"].id).execute()  # a letter due
    Case.update(officer=None).where(Case.id == world["case_b"].id).execute()  # unassigned
    gen_plan(world["case_a"], world["officer"])
    gen_conflict(world["contact_a"])
    from fieldapp.models import Letter, utcnow
    sent = gen_issued_letter(world["case_a"], world["officer"])  # a letter sent
    Letter.update(sent_at=utcnow(), sent_how="mail").where(Letter.id == sent.id).execute()


def _students_named(world, html):
    from markupsafe import escape
    return {s.id for s in (world["student_a"], world["student_b"]) if str(escape(s.last_name)) in html}


def _logging_problem(app, world, endpoint, role):
    from fieldapp.models import AccessLog
    client = app.test_client()
    user = world[WORLD_USER[role]]
    sign_in(client, Auth(client), user)
    with app.test_request_context():
        from flask import url_for
        args = {**record_args(app, endpoint, world)["in"], **LIST_QUERY.get(endpoint, {})}
        url = url_for(endpoint, **args)
    last = AccessLog.select().order_by(AccessLog.id.desc()).first()
    response = client.get(url)
    if response.status_code != 200:
        return None
    lines = list(AccessLog.select().where(AccessLog.id > (last.id if last else 0)))
    if any(line.user_id != user.id for line in lines):
        return f"GET {url} as {role}: a line names another user"
    logged = [line.student_id for line in lines]
    kind = LOGGED[endpoint]
    if kind == NONE and logged:
        return f"GET {url} as {role} shows no record but logged students {logged}"
    action = {RECORD: "view", DISCLOSE: "disclose"}.get(kind)
    if action and [(l.student_id, l.action) for l in lines] != [(world["student_a"].id, action)]:
        return (f"GET {url} as {role} shows {world['student_a'].full_name}'s record: expected one "
                f"'{action}' line, got {[(l.student_id, l.action) for l in lines]}")
    if kind == LIST:
        shown = _students_named(world, response.get_data(as_text=True))
        if len(logged) != len(set(logged)) or set(logged) != shown:
            return f"GET {url} as {role} names students {sorted(shown)} but logged {sorted(logged)}"
    return None


@pytest.mark.parametrize("endpoint", GETS)
def test_every_page_that_shows_a_record_writes_it_to_the_access_log(app, world, endpoint):
    if endpoint not in LOGGED:
        pytest.fail(f"GET {endpoint}: say in LOGGED (tests/web/test_access_matrix.py) whether it "
                    f"shows one student's record (RECORD), a list of students (LIST) or none (NONE).",
                    pytrace=False)
    _fill_lists(world)
    problems = [p for role in ROLES if (p := _logging_problem(app, world, endpoint, role))]
    assert not problems, "\n".join(problems)


def test_the_list_pages_of_the_matrix_showed_someone(app, world):
    """The list checks above compare what was linked with what was logged; this
    makes sure each list really showed a student to at least one role."""
    from fieldapp.models import AccessLog
    _fill_lists(world)
    empty = []
    for endpoint in (e for e in GETS if LOGGED.get(e) == LIST):
        before = AccessLog.select().count()
        for role in ROLES:
            _logging_problem(app, world, endpoint, role)
        if AccessLog.select().count() == before:
            empty.append(endpoint)
    assert not empty, f"these lists showed nobody to any role: {empty}"


# Filters the lists take from links (the district page's among them), good and naming nothing:
# each answers every role as its list does (a filter that names nothing: 422, said on the page).
FILTERED = [("supervisor.cases", {"follow_up": "today", "new": "yes"}), ("supervisor.cases", {"school": MISSING_ID}),
            ("supervisor.students", {"band": "chronic"}), ("supervisor.students", {"school": MISSING_ID}),
            ("assign.unassigned", {"flag": "nonsense"}), ("supervisor.contacts", {"officer": MISSING_ID}),
            ("worklist.show", {"officer": MISSING_ID}), ("office.home", {"follow_up": "overdue"}),
            ("office.home", {"officer": MISSING_ID}), ("supervisor.letters", {"school": MISSING_ID})]


@pytest.mark.parametrize("endpoint,query", FILTERED, ids=[f"{e}?{'&'.join(q)}" for e, q in FILTERED])
def test_a_lists_filters_answer_each_role_as_the_list_does(app, world, endpoint, query):
    from flask import url_for
    with app.test_request_context():
        url = url_for(endpoint, **query)
    names_nothing = MISSING_ID in query.values() or "nonsense" in query.values()
    problems = []
    for role in ROLES + (None,):
        client = app.test_client()
        if role:
            sign_in(client, Auth(client), world[WORLD_USER[role]])
        response = client.get(url)
        allowed = ROUTES[endpoint]["GET"][role]
        want = LOGIN if allowed == LOGIN else 403 if allowed == 403 else (422 if names_nothing else 200)
        got = "login" if response.status_code == 302 and "/login" in response.headers.get("Location", "") \
            else response.status_code
        if got != want:
            problems.append(f"GET {url} as {role}: {_describe(response)}, expected {want}")


# -- what a refusal says -----------------------------------------------------------
#
# A role that may see a record but not take the action is told which action is
# refused and who takes it, never that the record is out of its reach, on a
# full page, in an HTMX fragment and to a JSON client alike.
OUT_OF_REACH = "outside what your account may see"
SAYS_NOTHING = "Your account may not do this."
FRAGMENT = {"HX-Request": "true"}


def _refusal_problems(app, world, endpoint, method, role):
    client = app.test_client()
    token = sign_in(client, Auth(client), world[WORLD_USER[role]])
    problems = []
    for target, url in route_urls(app, endpoint, world, role).items():
        if target == "missing" or expected(endpoint, method, role, target) != 403:
            continue
        if target == "out" and role in SCOPED_ROLES and ROUTES[endpoint][method][role] != 403:
            continue  # another school's record: out of reach is the truth
        for headers in ({}, FRAGMENT):
            if method == "GET":
                response = client.get(url, headers=headers)
            else:
                response = client.open(url, method=method, data={"csrf_token": token}, headers=headers)
            text = page_text(response)
            kind = "HTMX " if headers else ""
            if response.status_code != 403:
                problems.append(f"as {role}: {kind}{method} {url}: expected 403, got {response.status_code}")
            elif OUT_OF_REACH in text or SAYS_NOTHING in text or "Not allowed" not in text:
                said = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))[-200:]
                problems.append(f"as {role}: {kind}{method} {url} ({target}) does not say what is "
                                f"refused: {said!r}")
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_a_refusal_says_which_action_is_refused_and_who_takes_it(app, world, role):
    problems = []
    for endpoint, method, _ in ALL_ROUTES:
        if method in ROUTES.get(endpoint, {}):
            problems += _refusal_problems(app, world, endpoint, method, role)
    assert not problems, "\n".join(problems)


def test_another_schools_record_is_said_to_be_out_of_reach(client, auth, world, login_as):
    login_as("front_office")
    for headers in ({}, FRAGMENT):
        refused = client.get(f"/students/{world['student_b'].id}", headers=headers)
        assert refused.status_code == 403 and OUT_OF_REACH in page_text(refused)


def test_an_export_jobs_page_is_its_requesters_alone(app, world, monkeypatch):
    """Its page names how many students it holds and links its file: another
    supervisor (or an administrator) may not follow it, as they follow no one's work."""
    monkeypatch.setitem(ROUTES, "jobs.show", {"GET": E(200, 200, 200, 200),
                                              "out_of_own": {"supervisor": 403, "admin": 403}})
    monkeypatch.setitem(RECORDS, "job_id", RECORDS["export_id"])
    problems = []
    for role in ROLES + (None,):
        problems += _problems(app, world, "jobs.show", "GET", role)
    assert not problems, "\n".join(problems)
    problems = [p for role in ROLES for p in _refusal_problems(app, world, "jobs.show", "GET", role)]
    assert not problems, "\n".join(problems)


def test_the_matrix_names_every_list_that_exports():
    from fieldapp import policy
    assert set(EXPORTS) == set(policy.EXPORTS), "say in EXPORTS who exports each list"


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_every_lists_export_answers_each_role_as_the_table_says(app, world, name):
    """A CSV of each list, asked by every role and by nobody: a refusal says
    whose export it is; nothing is logged for a refused file."""
    from fieldapp.models import AccessLog
    from fieldapp.web.helpers import export_url
    with app.test_request_context():
        url = export_url(name, {})
    problems = []
    for role in ROLES + (None,):
        client = app.test_client()
        token = sign_in(client, Auth(client), world[WORLD_USER[role]]) if role else anonymous_token(client)
        before = AccessLog.select().where(AccessLog.action == "export").count()
        response = client.post(url, data={"csrf_token": token, "format": "csv"})
        response.get_data()  # a file is streamed: read to its end, its request ends
        response.close()
        want = EXPORTS[name][role]
        if want == LOGIN:
            problem = _check_logged_out(response, url, "POST")
        elif response.status_code != want:
            problem = f"POST {url}: expected {want}, got {_describe(response)}"
        elif want == 403 and "Not allowed" not in page_text(response):
            problem = f"POST {url}: the refusal does not say what is refused"
        elif want == 403 and AccessLog.select().where(AccessLog.action == "export").count() != before:
            problem = f"POST {url}: refused, yet students were logged as disclosed"
        else:
            problem = None
        if problem:
            problems.append(f"as {role or 'logged out'}: {problem}")
    assert not problems, "\n".join(problems)
