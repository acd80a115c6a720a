"""Which requests are the phone keeping its offline copy, not a person reading.

The list of pages to keep (/api/sync/offline-pages) carries a token signed by
the server for that one refresh: it names the officer and expires after a few
minutes. A page fetched with it in `X-Offline-Copy`, by the same officer, for
a student on their own caseload, is logged as an automatic "offline copy";
any other request, whatever its headers say, is a person reading the record.
"""
import secrets

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from fieldapp.cases.lifecycle import all_on_caseload

HEADER = "X-Offline-Copy"
SALT = "fieldapp.offline-copy"
LIFETIME = 15 * 60  # seconds: a refresh of 40 student pages takes well under a minute


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def issue(user):
    """A token for one refresh of user's offline copy."""
    return _serializer().dumps({"user": user.id, "refresh": secrets.token_hex(8)})


def _token_user():
    """The user id the request's token was issued to, or None (missing, forged, expired)."""
    token = request.headers.get(HEADER, "")
    if not token or len(token) > 300:
        return None
    try:
        data = _serializer().loads(token, max_age=LIFETIME)
    except BadSignature:  # SignatureExpired is a BadSignature too
        return None
    return data.get("user") if isinstance(data, dict) else None


def is_automatic(user, student_ids):
    """True when this request is the phone of `user` refreshing its copy of
    these students' pages (every one on the user's caseload)."""
    if _token_user() != user.id:
        return False
    return all_on_caseload(user, student_ids)
