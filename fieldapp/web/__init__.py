"""The web layer: blueprints, error pages, template helpers."""
from babel.numbers import format_decimal
from flask import g, has_request_context, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from peewee import OperationalError
from playhouse.pool import MaxConnectionsExceeded
from werkzeug.exceptions import ServiceUnavailable

from fieldapp import codes, login_manager, policy
from fieldapp.contact_details import tel_uri
from fieldapp.documents import issue, owed
from fieldapp.cases.contacts import call_defaults
from fieldapp.cases.contact_notes import notes_text
from fieldapp.cases.history_text import event_text, said_by_app
from fieldapp.db import database
from fieldapp.imports.count_words import said_name
from fieldapp.messages import Message, N_
from fieldapp.sync.devices import phone_name
from fieldapp.timefmt import default_zone, school_zone, to_local, zone_label
from fieldapp.web.helpers import export_url, follow_up_state, link_to, page_zone, whole_words
from fieldapp.web import converters, i18n, kept, printed
from fieldapp.web.helpers import wants_fragment
from fieldapp.web.i18n import gettext


def register(app):
    converters.register(app)  # before any route is added
    from fieldapp.web import (account, admin, assign, auth, cases, contacts, documents, exports, followups,
                              jobs, main, office, plans, students, supervisor, sync, worklist)
    for module in (auth, cases, contacts, documents, main, office, plans, students, supervisor, sync,
                   admin, worklist, account, assign, exports, jobs, followups):
        app.register_blueprint(module.bp)
    from fieldapp.web import school_details
    app.register_blueprint(school_details.bp)
    from fieldapp.web import admin_users, headers, ratelimits, sso, transactions
    app.register_blueprint(admin_users.bp)
    app.register_blueprint(sso.bp)
    ratelimits.init(app)
    transactions.init(app)
    headers.init(app)
    _register_login(app)
    _register_templates(app)
    _register_errors(app)
    _register_headers(app)
    _keep_addresses_reloadable(app)
    from fieldapp.web import once
    once.init(app)  # after the CSRF check, registered by create_app


def _register_login(app):
    login_manager.login_view = "auth.login"
    login_manager.login_message = N_("Please log in to continue.")
    login_manager.login_message_category = "info"
    login_manager.localize_callback = gettext

    from fieldapp.web.auth import load_session_user
    login_manager.user_loader(load_session_user)  # the server-side session decides

    @login_manager.unauthorized_handler
    def unauthorized():
        if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
            return jsonify(error="login required"), 401
        if wants_fragment():
            response = app.response_class("", 401)
            response.headers["HX-Redirect"] = url_for("auth.login", next=request.full_path)
            return response
        return redirect(url_for("auth.login", next=request.full_path))


def stage_of(case):
    """A case's stage in the user's language, saying so when the law's letter
    for it is not on file (fieldapp.cases.legal_stage)."""
    text = i18n.label("stage", case.stage)
    if getattr(case, "stage_without_record", False):
        text += " — " + gettext("recorded without a letter on file")
    return text


def _local_at(value, school, fmt="%b %-d, %Y %-I:%M %p"):
    """A stored time in the zone of a school (a row of a district list),
    named when it is not the page's zone."""
    if not value:
        return ""
    name = school.time_zone or default_zone()
    text = i18n.local_date(to_local(value, name), fmt)
    return text if name == page_zone() else f"{text} ({i18n.translate(zone_label(name))})"


def _left_out_time(at, school_id):
    """When a letter left out was made or logged (ISO UTC text), in its school's zone."""
    import datetime
    name = school_zone(school_id)
    text = i18n.local_date(to_local(datetime.datetime.fromisoformat(at), name), "%b %-d, %Y %-I:%M %p")
    return text if name == page_zone() else f"{text} ({i18n.translate(zone_label(name))})"


def _register_templates(app):
    # Screens show code labels, dates and the logic layer's messages in the user's language.
    app.jinja_env.globals.update(label=i18n.label, choices=i18n.choices, policy=policy, export_url=export_url,
                                 screen_language=i18n.screen_language, offline_text=i18n.offline_text)
    app.jinja_env.globals.update(stage_of=stage_of, call_defaults=call_defaults,
                                 follow_up_state=follow_up_state, link_to=link_to, event_text=event_text,
                                 said_by_app=said_by_app,
                                 contact_notes=lambda contact: notes_text(contact, i18n.translate),
                                 document_title=lambda record: i18n.translate(issue.title_of(record)),
                                 left_out_reason=lambda left: i18n.translate(owed.reason(left, _left_out_time)),
                                 left_out_time=lambda left: _left_out_time(left["at"], left.get("school_id")))
    i18n.install(app.jinja_env)  # in place of flask-babel's, which looks the language up per word
    app.jinja_env.filters["translate"] = i18n.translate
    app.jinja_env.filters["file_words"] = i18n.file_words
    app.jinja_env.filters["number"] = i18n.number
    app.jinja_env.filters["decimal"] = i18n.decimal
    app.jinja_env.filters["phone_name"] = phone_name
    app.jinja_env.filters["count_name"] = lambda name, n: i18n.translate(said_name(name, n))
    app.jinja_env.filters["tel"] = tel_uri
    app.jinja_env.filters["whole_words"] = whole_words
    # A count as the reader writes it: 45,000 in English, 45.000 in Spanish.
    app.jinja_env.filters["count"] = lambda n: format_decimal(n or 0, locale=i18n.screen_language())
    app.jinja_env.globals["outcome_methods"] = {
        outcome: " ".join(codes.methods_with_outcome(outcome)) for outcome in codes.OUTCOMES}
    app.jinja_env.filters["local"] = lambda value, fmt="%b %-d, %Y %-I:%M %p": (
        i18n.local_date(to_local(value, page_zone()), fmt) if value else "")
    app.jinja_env.globals["page_zone_label"] = lambda: i18n.translate(zone_label(page_zone()))
    app.jinja_env.globals["page_zone"] = page_zone
    app.jinja_env.filters["local_at"] = _local_at
    app.jinja_env.globals.update(printed_filters=printed.filters_in_words, printed_day=printed.printed_day)
    from fieldapp.web.jobs import latest_export, latest_job, subject_of
    app.jinja_env.globals["latest_job"] = latest_job  # a page that starts a job names the user's latest
    app.jinja_env.globals.update(latest_export=latest_export, job_subject=subject_of)
    from fieldapp.accounts.audit import detail_said
    app.jinja_env.globals["audit_detail"] = detail_said  # what the app said of an audit line, in words
    app.jinja_env.filters["day"] = lambda value, fmt="%a %b %-d, %Y": (
        i18n.local_date(value, fmt) if value else "")

    app.jinja_env.globals["url_for"] = _kept_url_for(app)
    app.jinja_env.globals["kept_piece"] = kept.piece  # the menu: once per role, language and page

    @app.context_processor
    def _user():
        # The user themselves, not flask-login's proxy: a page asks for the
        # user a hundred times (every policy check), each through the proxy's
        # look-up of the request.
        return {"user": current_user._get_current_object()}


def _kept_url_for(app):
    """url_for for templates, keeping the addresses that are the same on
    every page: an endpoint without values (the menu, the offline script's
    addresses) and a static file (its version is fixed while the server
    runs). Building one costs 15 to 35 µs, and every page links some thirty."""
    kept = {}

    def url_for(endpoint, **values):
        same_everywhere = not values or (endpoint == "static" and list(values) == ["filename"])
        if not same_everywhere or endpoint.startswith(".") or not has_request_context():
            return app.url_for(endpoint, **values)
        key = (request.script_root, endpoint, values.get("filename"))
        found = kept.get(key)
        if found is None:
            found = kept[key] = app.url_for(endpoint, **values)
        return found
    return url_for


def _register_errors(app):
    messages = {
        400: (N_("Bad request"), N_("The request could not be understood. Go back and try again.")),
        403: (N_("Not allowed"), N_("This record is outside what your account may see.")),
        404: (N_("Not found"), N_("There is no such page or record.")),
        405: (N_("Not allowed"), N_("This address does not take that kind of request.")),
        409: (N_("Cannot do that now"), N_("The record changed; reload and try again.")),
        413: (N_("Too large"), N_("What you sent is too large.")),
        500: (N_("Something went wrong"),
              N_("The error was recorded. Nothing you typed was saved twice; try again.")),
        503: (N_("Busy just now"),
              N_("The database is busy with other work (a large import, for example) and nothing was "
                 "saved. Send it again in a minute.")),
    }
    expired = (N_("Form expired"), N_("This form expired. Reload the page and send it again."))

    def handle(error):
        code = getattr(error, "code", 500) or 500
        if code == 500 and not database.is_closed() and database.in_transaction():
            database.rollback()
        title, text = messages.get(code, (str(code), getattr(error, "description", "")))
        if code == 409 and getattr(error, "description", None):
            text = error.description
        if code == 403 and isinstance(getattr(error, "description", None), Message):
            text = error.description  # what the role may not do, said by the policy
        if code == 400 and "CSRF" in str(getattr(error, "description", "")):
            title, text = expired
        if code == 413 and request.max_content_length:
            text = Message("What you sent is too large: this page takes up to %(size)s MB. Send less at once, "
                           "or a file split into parts.", size=str(request.max_content_length // (1024 * 1024)))
        if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
            if title == expired[0] and not current_user.is_authenticated:
                # The session ended (a phone offline for hours): say so, so it keeps its entries.
                return jsonify(error="login required"), 401
            return jsonify(error=title, detail=text), code
        template = "errors/_error.html" if wants_fragment() else "errors/error.html"
        # A 409's text comes from the view, already in the user's language.
        return render_template(template, code=code, title=gettext(title),
                               text=i18n.translate(text) if isinstance(text, Message) else
                               (gettext(text) if text else text)), code

    for code in messages:
        app.register_error_handler(code, handle)

    def busy(error):
        # A write that waited its turn past the database's limit: nothing was
        # kept, and the same request a moment later will do. Anything else
        # stays a 500 (raised again, logged as such).
        if not database_busy(error):
            raise error
        if not database.is_closed() and database.in_transaction():
            database.rollback()
        response = handle(ServiceUnavailable())
        response = app.make_response(response)
        response.headers["Retry-After"] = str(BUSY_RETRY_SECONDS)
        return response

    app.register_error_handler(OperationalError, busy)
    app.register_error_handler(MaxConnectionsExceeded, busy)


# How long a client is asked to wait before sending a refused write again.
BUSY_RETRY_SECONDS = 30
# PostgreSQL's codes for a transaction that lost a race or a wait, not a fault:
# serialization_failure, deadlock_detected, lock_not_available.
_RETRYABLE_STATES = {"40001", "40P01", "55P03"}


def database_busy(error):
    """Whether error (an exception raised by a request) means the database was
    busy rather than wrong: SQLite's one writer held past the busy timeout
    ("database is locked"), every pooled connection in use
    (playhouse.pool.MaxConnectionsExceeded), or a PostgreSQL transaction
    ended by a deadlock, a serialization failure or a lock wait time-out
    (SQLSTATE 40001, 40P01, 55P03). Such a request did nothing and may be
    sent again as it was."""
    if isinstance(error, MaxConnectionsExceeded):
        return True
    cause = getattr(error, "orig", None) or error.__cause__
    if getattr(cause, "pgcode", None) in _RETRYABLE_STATES:
        return True
    text = str(error).lower()
    return "database is locked" in text or "database table is locked" in text


def _register_headers(app):
    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if current_user.is_authenticated and request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
        elif request.endpoint != "static":
            response.vary.add("Accept-Language")  # logged out, the words follow the browser
        return response


def _keep_addresses_reloadable(app):
    """An answer to a POST that is a page (a form shown again with what to fix), at an
    address a GET refuses, must not become the page's address: HTMX would put it in the
    bar and a reload would answer "Not allowed". The bar shows the address of the page
    shown (helpers.shown_at), or stays at the page the form was on."""
    @app.after_request
    def _reloadable(response):
        rule = request.url_rule
        if (request.method == "POST" and request.headers.get("HX-Request") and rule is not None
                and "GET" not in rule.methods and response.mimetype == "text/html"
                and not 300 <= response.status_code < 400):
            response.headers.setdefault("HX-Push-Url", g.get("shown_at") or "false")
        return response
