"""Flask-Limiter on the endpoints that cost the most, over the same counters
as the log-in throttle (RATELIMIT_STORAGE_URI: the database by default, or
Redis), so no app server keeps a count of its own."""
from flask import current_app, render_template, request
from flask_limiter import Limiter
from flask_login import current_user

from fieldapp.accounts import ratelimit  # also registers fieldapp-db://
from fieldapp.web.helpers import client_ip
from fieldapp.web.i18n import gettext


def _who():
    """A logged-in user is counted as themselves; anyone else by address."""
    if current_user.is_authenticated:
        return f"user:{current_user.get_id()}"
    return f"ip:{client_ip()}"


EXTENSION = "fieldapp.limiter"

def _log_ins_per_minute():
    """Log-in forms one address may send in a minute (LOGIN_MAX_PER_MINUTE_ADDRESS).
    Guessing is stopped by the failure counts (fieldapp.accounts.login); this
    only caps a flood, and a district office's officers share one address."""
    return f"{current_app.config['LOGIN_MAX_PER_MINUTE_ADDRESS']} per minute"


# endpoint -> limit; what a real user never reaches, and a script soon does.
EXPENSIVE = {
    "auth.login": _log_ins_per_minute,
    "documents.case_report": "60 per minute",
    "documents.letters_due": "30 per minute",
    "documents.verify": "60 per minute",
    "sync.api_sync": "600 per minute",
    "admin.upload": "30 per minute",
}


def init(app):
    """Give app a limiter of its own (its storage and key prefix are app
    settings, so no app may share one) and put the limits on the expensive
    endpoints."""
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter = Limiter(key_func=_who, strategy="fixed-window")

    @app.before_request  # before the limiter's own check, registered next
    def _fresh_counts():
        # The database counters keep what this request adds, for its headers
        # (two reads fewer a request); nothing kept by an earlier request is used.
        forget = getattr(limiter.storage, "forget", None)
        if forget is not None:
            forget()

    limiter.init_app(app)
    _check_once(app, limiter)
    app.extensions[EXTENSION] = limiter
    for endpoint, rule in EXPENSIVE.items():
        view = app.view_functions.get(endpoint)
        if view is not None:
            app.view_functions[endpoint] = limiter.limit(rule, methods=["POST"])(view)

    @app.errorhandler(429)
    def too_many(error):
        text = gettext("Too many requests in a short time. Wait a minute and try again.")
        if request.path.startswith("/api/"):
            return {"error": "too many requests", "detail": text}, 429
        return render_template("errors/error.html", code=429, title=gettext("Too many requests"),
                               text=text), 429


def _check_once(app, limiter):
    """Check a request's limits once, in the view's own limit: Flask-Limiter
    also checks every request before its view, for the limits of the whole app
    (RATELIMIT_APPLICATION, RATELIMIT_DEFAULT, RATELIMIT_META). With none set
    that check finds nothing to count, yet works out the request's limits as
    the view's check does again, on every request (a phone syncs a chunk many
    times a minute); set one and it is kept."""
    if any(app.config.get(name) for name in ("RATELIMIT_APPLICATION", "RATELIMIT_DEFAULT", "RATELIMIT_META")):
        return
    before = app.before_request_funcs.get(None, [])
    app.before_request_funcs[None] = [hook for hook in before if hook != limiter._check_request_limit]


def login_limiter():
    """The current app's `limits` rate limiter over the shared counters, for
    the log-in logic; its keys carry RATELIMIT_KEY_PREFIX like Flask-Limiter's."""
    return ratelimit.PrefixedLimiter(current_app.extensions[EXTENSION].limiter,
                                     current_app.config.get("RATELIMIT_KEY_PREFIX", ""))
