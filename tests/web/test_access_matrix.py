"""Every route of the app, asked by every role and by nobody, on a record in
the user's scope, one out of it and one that does not exist.

The routes come from app.url_map, so a route added without an entry in
ROUTES fails here. To add one: put its endpoint in ROUTES with the status each
role gets on a record in its scope (the rest follows from the rules below),
and, if its URL names a new kind of record, say in RECORDS how to find one.
"""
import pytest

from fieldapp import create_app
from fieldapp.db import database
from fieldapp.models import Referral
from tests.conftest import Auth
from tests.documents_support import gen_issued_letter, gen_plan
from tests.unit.sync_entries import gen_conflict
from tests.web.test_import_pages import gen_import_run
from tests.web.conftest import ROLES, WORLD_USER, anonymous_token, sign_in

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
    "contact_id": lambda w: (w["contact_a"].id, w["contact_b"].id),
    "conflict_id": lambda w: (gen_conflict(w["contact_a"]).id, gen_conflict(w["contact_b"]).id),
    "letter_id": lambda w: (gen_issued_letter(w["case_a"], w["officer"]).id,
                            gen_issued_letter(w["case_b"], w["other_officer"]).id),
    "doc_id": lambda w: (gen_issued_letter(w["case_a"], w["officer"]).document_id,
                         gen_issued_letter(w["case_b"], w["other_officer"]).document_id),
    "plan_id": lambda w: (gen_plan(w["case_a"], w["officer"]).id, gen_plan(w["case_b"], w["other_officer"]).id),
    # An import belongs to the district, not a school: the same run in and out of scope.
    "run_id": lambda w: (gen_import_run(w["admin"]).id,) * 2,
    # Accounts belong to the district too.
    "user_id": lambda w: (w["other_officer"].id,) * 2,
    # A job belongs to who started it: in scope, one the role's own user started.
    "job_id": lambda w, role=None: (gen_job(w[WORLD_USER[role]] if role else w["officer"]).id,
                                    gen_job(w["other_officer"]).id),
    "referral_id": lambda w: tuple(Referral.create(student=s, school=s.school_id, reason="illness",
                                                   referred_by=w["front"]).id
                                   for s in (w["student_a"], w["student_b"])),
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
    "cases.open_case": {"GET": E(200, 403, 200, 403), "POST": E(422, 403, 422, 403)},
    "cases.close": {"GET": E(200, 403, 200, 403), "POST": E(422, 403, 422, 403)},
    "cases.stage": {"GET": E(200, 403, 200, 403), "POST": E(422, 403, 422, 403)},
    "cases.circumstances": {"GET": E(200, 403, 200, 403), "POST": E(422, 403, 422, 403)},
    "contacts.new": {"GET": E(200, 200, 200, 403), "POST": E(422, 422, 422, 403)},
    "contacts.amend": {"GET": E(200, 403, 200, 403), "POST": E(422, 403, 422, 403)},
    "office.home": {"GET": E(403, 200, 403, 403)},
    "supervisor.contacts": {"GET": E(403, 403, 200, 200)},
    "supervisor.home": {"GET": E(403, 403, 200, 200)},
    "supervisor.cases": {"GET": E(403, 403, 200, 200)},
    "supervisor.students": {"GET": E(403, 403, 200, 200)},
    "supervisor.officers": {"GET": E(403, 403, 200, 403)},
    "assign.case": {"GET": E(403, 403, 200, 403), "POST": E(403, 403, 422, 403)},
    "assign.unassigned": {"GET": E(403, 403, 200, 403)},
    "assign.many": {"POST": E(403, 403, 422, 403)},
    "assign.hand_over": {"GET": E(403, 403, 200, 403), "POST": E(403, 403, 422, 403)},
    # An export needs its format (the button pressed); without one it is a bad request.
    "exports.export": {"args": {"name": "cases"}, "POST": E(403, 403, 400, 403)},
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
    "admin.schools": {"GET": E(403, 403, 403, 200)},
    # An empty time zone means the installation's: the school keeps the default it had.
    "admin.school_time_zone": {"POST": E(403, 403, 403, 303)},
    "worklist.show": {"GET": E(200, 200, 200, 403)},
    # Long work's page: its starter's, and the district roles'; retrying one not failed is told so.
    "jobs.show": {"GET": E(200, 200, 200, 200)},
    "jobs.retry": {"POST": E(303, 303, 303, 303)},
    # Everyone picks the language of their own screens; an empty choice is sent back.
    "account.language": {"GET": E(200, 200, 200, 200), "POST": E(422, 422, 422, 422)},
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
    "admin_users.reset_password": {"POST": E(403, 403, 403, 200)},
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
        return 403 if role in SCOPED_ROLES else code
    return 404


def gen_job(user):
    from fieldapp.models import Job
    from fieldapp.jobs.runner import new_key
    return Job.create(key=new_key(), kind="case_report", user=user)


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
    inside, outside = find(world, role) if kinds[0] == "job_id" else find(world)
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
