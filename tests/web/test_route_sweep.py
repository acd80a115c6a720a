"""Every route of the app, as every role and logged out, fed hostile input by
Hypothesis: ids past what the database holds, Unicode and huge numbers,
control characters, lone surrogates, very long text, JSON of the wrong shape.
No request may answer 500, and a refused one (4xx) may not change stored data.

The routes come from app.url_map and the field names from the source of each
route's module, so a route added later is swept without a line here. The
sweep is deterministic (derandomized) with a fixed number of examples per
route, on SQLite and on PostgreSQL alike, and small enough for every CI run:
EXAMPLES_PER_ROUTE drawn examples (each as every role) plus the systematic
half (each of EVERYWHERE in every field, as every role) per route and method.
"""
import inspect
import json
import re
import sys
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from fieldapp.numbers import MAX_ID
from tests.conftest import Auth
from tests.web.conftest import DERIVED, ROLES, WORLD_USER, row_counts, server_failed, sign_in
from tests.web.test_access_matrix import ALL_ROUTES, MISSING_ID, RECORDS, app_routes  # noqa: F401

EXAMPLES_PER_ROUTE = 3
# Tables that record the attempt itself, and the stored standing a page that
# shows a record computes when it reads it (a cache of the rules engine, not
# something the request stored): a refused request may add to them.
ATTEMPT_TABLES = ("access_log", "audit_event", "login_throttle") + DERIVED
SWEPT = sorted({(endpoint, method, rule) for endpoint, method, rule in ALL_ROUTES})

# -- hostile values -----------------------------------------------------------------

NUMBERS = st.sampled_from([
    "0", "-1", "1.5", "1e9", "0x10", " 7 ", str(MAX_ID), str(MAX_ID + 1), str(2**64), "9" * 40,
    "9" * 5000, "²", "①", "٣", "１２", "⁹⁹", "NaN", "Infinity", "",
])
CONTROL = st.text(st.characters(max_codepoint=0x1F), min_size=1, max_size=8)
SURROGATE = st.sampled_from(["\ud800", "a\udfffb", "\udc80" * 3])
ODD_TEXT = st.sampled_from([
    "Ñ" * 20_000, "x" * 300, "<script>alert(1)</script>", "'; DROP TABLE student; --", "%_%",
    "\u202eزيارة", "👩\u200d👧", "2026-02-30", "0000-00-00", "9999-12-31T23:59", "00:00",
    "9999-12-31", "0001-01-01", "0001-01-01T00:00", "9999-12-31T23:59:59-12:00",
    "true", "null", "[]", "{}", " ",
])
TEXT = st.one_of(NUMBERS, CONTROL, SURROGATE, ODD_TEXT, st.text(max_size=40))


def _plausible():
    """Values that pass a first check (codes of every list, dates, small ids), so
    that hostile values elsewhere reach the code behind it."""
    import datetime

    from fieldapp import codes
    today = datetime.date.today()
    known = [code for kind in codes.LISTS.values() for code in kind]
    known += ["1", "2", "3", "court", "mail", "en", "es", "guardian", "signed", today.isoformat(),
              f"{today.isoformat()}T10:00"]
    return st.sampled_from(sorted(set(known)))


VALUES = st.one_of(NUMBERS, NUMBERS, CONTROL, SURROGATE, ODD_TEXT, st.text(max_size=40), _plausible())
COMMON_FIELDS = ("id", "page", "after", "q", "school", "student", "case", "user", "next", "lang")


def _json_values():
    leaves = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(allow_nan=True),
                       TEXT)
    return st.recursive(leaves, lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(
            ["entries", "uuid", "case_id", "user_id", "method", "occurred_at", "notes", "device", "x"]),
            inner, max_size=5)), max_leaves=12)


def _vocabulary(app, endpoint):
    """Field names a route may read: identifier-like string literals in its
    module, and the names of the inputs in the templates that module renders."""
    module = sys.modules[app.view_functions[endpoint].__module__]
    try:
        source = inspect.getsource(module)
    except (OSError, TypeError):
        source = ""
    words = set(re.findall(r"""["']([a-z][a-z_]{1,30})["']""", source))
    for template in set(re.findall(r"""["']([\w/]+\.html)["']""", source)):
        try:
            text = app.jinja_loader.get_source(app.jinja_env, template)[0]
        except Exception:  # a name that only looks like a template
            continue
        words |= set(re.findall(r'name="([a-z][a-z_]{0,30})"', text))
    return sorted(words | set(COMMON_FIELDS))


def _fields(data, fields, values):
    """(name, value) pairs: usually every field at once, else a few; half the
    time one hostile value in every field (so a field parsed carelessly
    anywhere meets it), else a value drawn per field."""
    if data.draw(st.integers(0, 3), label="every field") > 0:
        names = fields
    else:
        names = data.draw(st.lists(st.sampled_from(fields), max_size=5), label="names")
    if data.draw(st.booleans(), label="one value everywhere"):
        value = data.draw(values, label="the value")
        return [(name, value) for name in names]
    return [(name, data.draw(values, label=name)) for name in names]


def _encode(text):
    """Percent-encoded UTF-8, lone surrogates kept as the bytes a broken client sends."""
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def _form_body(pairs):
    return "&".join(f"{_encode(k)}={_encode(v)}" for k, v in pairs).encode("ascii")


# -- URLs -----------------------------------------------------------------------------

CONVERTER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def _path_values(rule_text, records):
    """A strategy of URL paths for the rule, drawing each argument."""
    parts = []
    for match in CONVERTER.finditer(rule_text):
        kind, name = match.group(1) or "default", match.group(2)
        if kind == "int":
            known = [str(i) for i in records.get(name, ())]
            parts.append(st.one_of(st.sampled_from(known or ["1"]), st.sampled_from(
                ["0", str(MISSING_ID), str(MAX_ID), str(MAX_ID + 1), str(2**64), "9" * 400, "٣", "²"])))
        else:
            parts.append(st.one_of(st.sampled_from(["guardian", "officer", "css/app.css", "sw.js"]), TEXT))

    def build(values):
        values = iter(values)
        return CONVERTER.sub(lambda m: _encode(next(values)) if m.group(1) != "path"
                             else "/".join(_encode(p) for p in next(values).split("/")), rule_text)
    return st.tuples(*parts).map(build) if parts else st.just(rule_text)


def _records_for(rule_text, world):
    ids = {}
    for name in CONVERTER.findall(rule_text):
        if name[1] in RECORDS:
            ids[name[1]] = RECORDS[name[1]](world)
    return ids


# -- clients --------------------------------------------------------------------------

class Visitors:
    """One test client per role (and one logged out), signed in again when a
    request (logging out) ended its session."""

    def __init__(self, app, world):
        self.app, self.world, self.clients = app, world, {}

    def get(self, role):
        client, token = self.clients.get(role, (None, None))
        if client is not None and role is not None:
            with client.session_transaction() as session:
                if "_user_id" not in session:
                    client = None
        if client is None:
            client = self.app.test_client()
            token = sign_in(client, Auth(client), self.world[WORLD_USER[role]]) if role else None
            self.clients[role] = (client, token)
        return client, token


def _ask(client, method, url, token, body, data):
    """Send one request; (status, what was sent) or raise with the input named."""
    headers = {}
    if token and data.draw(st.booleans(), label="csrf header"):
        headers["X-CSRFToken"] = token
    if data.draw(st.booleans(), label="htmx"):
        headers["HX-Request"] = "true"
    kind, payload = body
    if kind == "json":
        return client.open(url, method=method, data=json.dumps(payload, allow_nan=True),
                           content_type="application/json", headers=headers)
    if kind == "multipart":
        return client.open(url, method=method, data=payload, content_type="multipart/form-data",
                           headers=headers)
    return client.open(url, method=method, data=payload,
                       content_type="application/x-www-form-urlencoded", headers=headers)


def _body(data, method, fields, token):
    if method == "GET":
        return ("form", b"")
    shape = data.draw(st.sampled_from(["form", "form", "form", "json", "multipart"]), label="body")
    if shape == "json":
        return ("json", data.draw(_json_values(), label="json body"))
    pairs = _fields(data, fields, VALUES)
    if token and data.draw(st.integers(0, 9), label="csrf") > 0:
        pairs.append(("csrf_token", token))
    if shape == "multipart":
        import io
        files = {k: (io.BytesIO(v.encode("utf-8", "surrogatepass")), "x.pdf") for k, v in pairs[:2]}
        rest = {k: v.encode("utf-8", "surrogatepass").decode("utf-8", "replace") for k, v in pairs[2:]}
        return ("multipart", {**rest, **files})
    return ("form", _form_body(pairs))


@pytest.mark.parametrize("endpoint,method,rule", SWEPT, ids=[f"{m} {r}" for e, m, r in SWEPT])
@settings(max_examples=EXAMPLES_PER_ROUTE, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(data=st.data())
def test_no_hostile_input_gets_a_500_or_changes_data_when_refused(app, world, endpoint, method, rule, data):
    state = _sweep_state(app, world, rule, endpoint)
    url = data.draw(_path_values(rule, state["records"]), label="path")
    query = _fields(data, state["fields"], VALUES) if method == "GET" or data.draw(
        st.booleans(), label="query") else []
    if query:
        url += "?" + _form_body(query).decode("ascii")
    roles = ROLES + ((None,) if data.draw(st.booleans(), label="logged out too") else ())
    for role in roles:  # the same input as each role
        client, token = state["visitors"].get(role)
        body = _body(data, method, state["fields"], token)
        _check(client, method, url, token, body, data, f"as {role or 'logged out'}")


def _check(client, method, url, token, body, data, who):
    before = row_counts(skip=ATTEMPT_TABLES)
    where = f"{method} {url[:300]} {who} with body {str(body)[:300]}"
    try:
        response = _ask(client, method, url, token, body, data)
    except Exception as error:  # the app raised: in production, a 500
        raise AssertionError(f"{where}: the app raised {type(error).__name__}: {error}") from error
    assert not server_failed(response, url), f"{where}: answered {response.status_code}"
    if 400 <= response.status_code < 500:
        after = row_counts(skip=ATTEMPT_TABLES)
        changed = {t: (before[t], after[t]) for t in before if before[t] != after.get(t)}
        assert not changed, f"{where}: refused with {response.status_code} but changed rows {changed}"


# The kinds of value that have crashed parsers, each tried in every field of
# every route: a Unicode digit (isdigit() but not int()), a number int() refuses
# to read, one past what SQLite stores, NUL (PostgreSQL refuses it in text), a
# lone surrogate (no UTF-8), text longer than any column, and the calendar's
# last day (a day or an hour added to it, or a zone's offset, overflows).
EVERYWHERE = ["²", "9" * 5000, str(MAX_ID + 1), "\x00", "\ud800", "Ñ" * 1000, "9999-12-31"]


@pytest.mark.parametrize("endpoint,method,rule", SWEPT, ids=[f"{m} {r}" for e, m, r in SWEPT])
def test_each_hostile_value_in_every_field_of_every_route(app, world, endpoint, method, rule):
    """The systematic half: each value of EVERYWHERE in every field at once, on a
    record in scope, as every role; the Hypothesis sweep above mixes them."""
    _sweep_systematically(app, world, endpoint, method, rule)


def _sweep_systematically(app, world, endpoint, method, rule):
    state = _sweep_state(app, world, rule, endpoint)
    inside = {name: ids[0] for name, ids in state["records"].items()}
    path = CONVERTER.sub(lambda m: str(inside.get(m.group(2), "guardian")) if m.group(1) != "path"
                         else "css/app.css", rule)
    for value in EVERYWHERE:
        pairs = [(name, value) for name in state["fields"]]
        url = path + ("?" + _form_body(pairs).decode("ascii") if method == "GET" else "")
        for role in ROLES:
            client, token = state["visitors"].get(role)
            body = ("form", b"") if method == "GET" else ("form", _form_body(pairs + [("csrf_token", token)]))
            _check(client, method, url, token, body, _NoDraws(), f"as {role}")


def test_the_sweep_finds_a_route_that_answers_500(app, world):
    """A route with the old mistake (isdigit() then int() on ?after=) added to a
    copy of the app: the systematic half must fail on it, naming the input."""
    canary = _app_with_canary(app)
    with pytest.raises(AssertionError, match=r"GET /canary\?.*after=%C2%B2.*ValueError"):
        _sweep_systematically(canary, world, "canary", "GET", "/canary")


def _app_with_canary(app):
    from flask import request
    from flask_login import login_required

    from fieldapp import create_app
    from fieldapp.db import database
    saved = database.obj
    try:
        canary = create_app(dict(app.config))
    finally:
        database.initialize(saved)

    @canary.route("/canary", endpoint="canary")
    @login_required
    def careless_listing():
        after = request.args.get("after", "")
        return str(int(after)) if after.isdigit() else "first page"
    return canary


class _NoDraws:
    """Stands in for Hypothesis's data where nothing is drawn: no extra headers."""

    def draw(self, strategy, label=None):
        return False


_STATE = {}


def _sweep_state(app, world, rule, endpoint):
    """What one route's examples share: clients by role, record ids, field names.
    Built on the first example of each test (the world fixture is per test)."""
    key = id(world)
    if _STATE.get("key") != key:
        _STATE.clear()
        _STATE.update(key=key, visitors=Visitors(app, world), records=_records_for(rule, world),
                      fields=_vocabulary(app, endpoint))
    return _STATE
