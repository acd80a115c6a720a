"""fieldapp: casework for school attendance officers."""
import os

from flask import Flask
from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from fieldapp import config as settings
from fieldapp.db import bind, connect_for_request, database

babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def create_app(config=None):
    """Build the app from the environment, overridden by `config`."""
    app = Flask(__name__, static_folder=os.path.join(ROOT, "static"),
                template_folder=os.path.join(ROOT, "templates"), instance_path=os.path.join(ROOT, "instance"))
    app.config.update(settings.from_environment())
    app.config.update(config or {})
    settings.check(app.config)
    from fieldapp.timefmt import set_default_zone
    set_default_zone(app.config["DEFAULT_TIME_ZONE"])
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=app.config["SESSION_COOKIE_SECURE"],
        # Flask's default is None (no limit), so a missing value must not win.
        MAX_CONTENT_LENGTH=app.config.get("MAX_CONTENT_LENGTH") or 5 * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
    )
    if app.config.get("TRUSTED_PROXIES"):
        from werkzeug.middleware.proxy_fix import ProxyFix
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    from fieldapp.web import assets
    assets.init_app(app)
    bind(app.config["DATABASE_URL"], app.config.get("DATABASE_BUSY_SECONDS"))
    _upload_limits(app)
    _connect_per_request(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    from fieldapp.web.i18n import select_locale
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=os.path.join(ROOT, "translations"))

    from fieldapp.jobs import queue
    queue.init_app(app)
    from fieldapp import cli
    from fieldapp.web import register
    register(app)
    cli.register(app)
    return app


# The pages that take a district's file, and the setting of how large it may be
# (in MB); any other request takes MAX_CONTENT_LENGTH.
UPLOAD_LIMITS = {"admin.upload": "IMPORT_MAX_UPLOAD_MB"}
FORM_ROOM = 64 * 1024  # bytes: the form's other fields and the multipart boundaries


def _upload_limits(app):
    # Set before anything reads the request: the check that a form is sent once
    # reads every posted form, and did so under the 5 MB of any other form, so a
    # district's 6 MB attendance file was refused before the import page could
    # raise its limit.
    @app.before_request
    def _limit():
        from flask import request
        setting = UPLOAD_LIMITS.get(request.endpoint)
        if setting:  # the file itself may be as large as the setting: the form around it has room besides
            request.max_content_length = app.config[setting] * 1024 * 1024 + FORM_ROOM


def _connect_per_request(app):
    @app.before_request
    def _open():
        from flask import request
        # /healthz connects by itself, to answer 503 rather than fail here; /healthz/workers needs no database.
        if request.endpoint not in ("static", "main.healthz", "main.workers_health"):
            from fieldapp.web.transactions import begin_if_wanted
            # before the session's check, which comes next; its BEGIN checks a kept connection
            if not begin_if_wanted(app, request.endpoint):
                connect_for_request()

    @app.teardown_request
    def _close(exc):
        if not database.is_closed():
            database.close()
