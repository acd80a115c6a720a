"""Audit lines that end sessions say how many in the reader's language: the
count is stored as a code and its values, not as an English sentence; the
lines stored before in English (migration 0601) become codes and read the
same in English, and in Spanish for a Spanish reader."""
from fieldapp.accounts import audit, lifecycle, sessions
from fieldapp.db import database
from fieldapp.models import AuditEvent, User
from fieldapp.web.i18n import translate
from tests import factories
from tests.migration_support import migration


def _said(event, language, app):
    with app.test_request_context(headers={"Accept-Language": language}):
        from flask_babel import force_locale
        with force_locale(language):
            return translate(audit.detail_said(event))


def test_a_deactivation_stores_its_count_as_a_code_said_in_the_readers_language(app):
    admin, officer = factories.gen_user("admin"), factories.gen_user("officer", [factories.gen_school()])
    sessions.start(officer, "127.0.0.1", "phone", mfa_done=True)
    sessions.start(officer, "127.0.0.1", "desk", mfa_done=True)
    assert lifecycle.deactivate(admin, User.get_by_id(officer.id)) == {}
    event = AuditEvent.get(AuditEvent.action == "user.deactivate")
    assert event.detail == "" and event.detail_code == "sessions_ended"
    assert _said(event, "en", app) == "2 sessions ended"
    assert _said(event, "es", app) == "2 sesiones terminadas"


def test_the_english_details_stored_before_become_codes(app):
    admin = factories.gen_user("admin")
    old = {"3 session(s) ended": ("sessions_ended", "3 sessions ended", "3 sesiones terminadas"),
           "1 other session(s) ended": ("other_sessions_ended", "1 other session ended", "1 otra sesión terminada"),
           "someone@example.org": ("", None, None)}  # typed at a refused log-in: kept as typed
    events = {text: AuditEvent.create(user=admin, action="user.reset_password", detail=text) for text in old}
    with database.atomic():
        migration("0601_audit_detail_code.py").convert(database)
    for text, (code, english, spanish) in old.items():
        event = AuditEvent.get_by_id(events[text].id)
        assert event.detail_code == code, text
        if code:
            assert event.detail == "" and _said(event, "en", app) == english and _said(event, "es", app) == spanish
        else:
            assert event.detail == text and audit.detail_said(event) is None
