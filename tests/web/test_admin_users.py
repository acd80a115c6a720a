"""The administrator manages users in the browser and from the command line;
every change and every log-in is in an audit trail they can filter."""
import re

from fieldapp.models import AuditEvent, Contact, User, UserSession
from tests import factories
from tests.conftest import csrf_token_from
from tests.web.conftest import anonymous_token, page_text


def log_in(client, email, password=factories.PASSWORD):
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": anonymous_token(client)})


def test_an_admin_adds_an_officer_who_must_choose_a_password_at_first_log_in(app, client, auth,
                                                                            login_as, world):
    login_as("admin")
    response = auth.post("/admin/users/new", data={"email": "New.Officer@District.org",
                                                   "name": "Nia Officer", "role": "officer",
                                                   "schools": [str(world["school_a"].id)]})
    assert response.status_code == 200
    temporary = re.search(r"<code>([^<]+)</code>", page_text(response)).group(1)
    newcomer = app.test_client()
    assert log_in(newcomer, "new.officer@district.org", temporary).status_code == 302
    # Anywhere they go, they are sent to choose their own password first.
    assert newcomer.get("/caseload").headers["Location"] == "/account/password"
    form = page_text(newcomer.get("/account/password"))
    changed = newcomer.post("/account/password", data={
        "current": temporary, "new": "quiet-harbor-lamp-77", "repeat": "quiet-harbor-lamp-77",
        "csrf_token": csrf_token_from(form)})
    assert changed.status_code == 302
    assert newcomer.get("/caseload").status_code == 200
    added = AuditEvent.get(AuditEvent.action == "user.add")
    assert added.user_id == world["admin"].id and '"role": "officer"' in added.after


def test_a_bad_new_user_says_what_to_fix_and_keeps_what_was_typed(login_as, auth, world):
    login_as("admin")
    response = auth.post("/admin/users/new", data={"email": world["officer"].email.upper(),
                                                   "name": "Twin", "role": "front_office"})
    assert response.status_code == 422
    text = page_text(response)
    assert "A user with this email already exists." in text and 'value="Twin"' in text
    assert User.select().count() == 5


def test_hostile_input_on_the_user_pages_gets_an_answer_never_a_crash(login_as, auth, world):
    login_as("admin")
    added = auth.post("/admin/users/new", data={"email": "nul@district.org", "name": "Nul\x00Name",
                                                "role": "supervisor", "schools": ["x\x00", "9" * 30]})
    assert added.status_code in (200, 422)
    for url in ("/admin/users?q=%00&role=%00&status=x", "/admin/audit?actor=%00&since=2026-13-45",
                "/admin/audit?page=-1&until=%00", f"/admin/users/{10 ** 12}"):
        assert auth.client.get(url).status_code in (200, 404, 422), url
    assert auth.post(f"/admin/users/{world['officer'].id}",
                     data={"role": "officer", "schools": ["\x00", "-1"]}).status_code == 422


def test_a_day_at_either_end_of_the_calendar_is_a_message_not_a_crash(login_as, auth):
    """until=9999-12-31 once ran its day's end past the calendar (OverflowError)."""
    login_as("admin")
    for query in ("until=9999-12-31", "since=0001-01-01", "since=9999-12-31&until=9999-12-31"):
        answer = auth.client.get(f"/admin/audit?{query}")
        assert answer.status_code == 422, query


def test_deactivating_ends_every_session_at_once_and_keeps_their_records(app, login_as, auth,
                                                                         world):
    officer = world["officer"]
    phone = app.test_client()
    log_in(phone, officer.email)
    assert phone.get("/caseload").status_code == 200
    login_as("admin")
    page = page_text(auth.client.get(f"/admin/users/{officer.id}"))
    assert auth.post(f"/admin/users/{officer.id}/deactivate",
                     data={"csrf_token": csrf_token_from(page), "confirmed": "yes"}).status_code == 302
    assert phone.get("/caseload").status_code == 302
    assert log_in(app.test_client(), officer.email).status_code == 401
    assert Contact.get_by_id(world["contact_a"].id).author_id == officer.id
    assert UserSession.get(UserSession.user == officer).ended_why == "deactivated"
    event = AuditEvent.get(AuditEvent.action == "user.deactivate")
    assert '"active": true' in event.before and '"active": false' in event.after
    auth.post(f"/admin/users/{officer.id}/reactivate")
    assert log_in(app.test_client(), officer.email).status_code == 302


def test_changing_role_and_schools_is_audited_before_and_after(login_as, auth, world):
    login_as("admin")
    officer = world["officer"]
    response = auth.post(f"/admin/users/{officer.id}",
                         data={"role": "officer", "schools": [str(world["school_b"].id)]})
    assert response.status_code == 302
    assert User.get_by_id(officer.id).school_ids() == [world["school_b"].id]
    trail = page_text(auth.client.get("/admin/audit?action=user.change"))
    assert officer.email in trail
    # Field labels and values in words: school names, not a list of ids.
    assert "Schools: Lincoln Elementary → Roosevelt Middle" in trail and "schools: [" not in trail
    refused = auth.post(f"/admin/users/{officer.id}", data={"role": "front_office", "schools": []})
    assert refused.status_code == 422 and "needs at least one school" in page_text(refused)


def test_the_last_admin_cannot_be_demoted_or_deactivate_themselves(login_as, auth, world):
    admin = login_as("admin")
    assert auth.post(f"/admin/users/{admin.id}", data={"role": "supervisor"}).status_code == 422
    auth.post(f"/admin/users/{admin.id}/deactivate", {"confirmed": "yes"})
    assert User.get_by_id(admin.id).active


def test_reset_gives_a_temporary_password_and_ends_their_sessions(app, login_as, auth, world):
    officer = world["officer"]
    phone = app.test_client()
    log_in(phone, officer.email)
    login_as("admin")
    response = auth.post(f"/admin/users/{officer.id}/reset-password", {"confirmed": "yes"})
    temporary = re.search(r"<code>([^<]+)</code>", page_text(response)).group(1)
    assert phone.get("/caseload").status_code == 302
    assert log_in(app.test_client(), officer.email).status_code == 401
    assert log_in(app.test_client(), officer.email, temporary).status_code == 302


def test_an_admin_unlocks_a_locked_account(app, login_as, auth, world, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES", 2)
    officer, guesser = world["officer"], app.test_client()
    for _ in range(3):
        log_in(guesser, officer.email, "wrong-guess-again-1")
    assert log_in(guesser, officer.email).status_code == 401
    login_as("admin")
    assert "Locked" in page_text(auth.client.get("/admin/users"))
    auth.post(f"/admin/users/{officer.id}/unlock")
    assert log_in(guesser, officer.email).status_code == 302
    assert AuditEvent.select().where(AuditEvent.action == "user.unlock").count() == 1


def test_the_audit_trail_filters_by_who_what_whom_and_when(app, login_as, auth, world):
    log_in(app.test_client(), world["officer"].email, "wrong-guess-again-1")
    login_as("admin")
    failed = _trail_rows(auth.client.get(f"/admin/audit?action=login.failed&target={world['officer'].email}"))
    assert world["officer"].email in failed and "Failed log-in" in failed
    assert "User added" not in failed
    assert auth.client.get("/admin/audit?since=not-a-day").status_code == 422
    assert "Nothing recorded." in page_text(auth.client.get("/admin/audit?until=2001-01-01"))


def test_only_admins_manage_users(login_as, auth, world):
    for role in ("officer", "front_office", "supervisor"):
        login_as(role)
        assert auth.client.get("/admin/users").status_code == 403
        assert auth.client.get("/admin/audit").status_code == 403


def test_the_same_lifecycle_from_the_command_line(app, world):
    runner = app.test_cli_runner()
    added = runner.invoke(args=["add-user", "cli.officer@district.org", "--role", "officer",
                                "--school", world["school_a"].sourced_id])
    assert added.exit_code == 0, added.output
    assert "Temporary password" in added.output
    assert runner.invoke(args=["deactivate-user", "cli.officer@district.org"]).exit_code == 0
    assert not User.get(User.email == "cli.officer@district.org").active
    assert runner.invoke(args=["reactivate-user", "cli.officer@district.org"]).exit_code == 0
    reset = runner.invoke(args=["reset-password", "cli.officer@district.org"])
    assert reset.exit_code == 0 and "Temporary password" in reset.output
    assert runner.invoke(args=["set-role", "cli.officer@district.org", "--role",
                               "supervisor"]).exit_code == 0
    assert runner.invoke(args=["unlock-user", "cli.officer@district.org"]).exit_code == 0
    missing = runner.invoke(args=["deactivate-user", "nobody@district.org"])
    assert missing.exit_code != 0 and "No user has this email." in missing.output
    actions = [e.action for e in AuditEvent.select().order_by(AuditEvent.id)]
    assert actions == ["user.add", "user.deactivate", "user.reactivate", "user.reset_password",
                       "user.change", "user.unlock"]
    assert {e.ip for e in AuditEvent.select()} == {"command line"}


def test_a_school_ticked_twice_is_one_school_not_a_crash(login_as, auth, world):
    """The same school twice (its number twice, or its number and its sourced
    id) once broke the user-school key: a 500, nothing saved."""
    login_as("admin")
    school = world["school_a"]
    added = auth.post("/admin/users/new", data={"email": "twice@district.org", "name": "Twice",
                                                "role": "officer",
                                                "schools": [str(school.id), str(school.id)]})
    assert added.status_code == 200
    user = User.get(User.email == "twice@district.org")
    assert user.school_ids() == [school.id]
    changed = auth.post(f"/admin/users/{world['officer'].id}",
                        data={"role": "officer", "schools": [str(school.id), school.sourced_id]})
    assert changed.status_code == 302
    assert User.get_by_id(world["officer"].id).school_ids() == [school.id]


def test_the_same_new_user_sent_several_times_at_once_is_added_once(app, world):
    """A double click on Add, against a real threaded server: the requests pass
    the 'email taken' check before any has written; the losers are told the
    email is taken (the database's unique key), never a 500."""
    import concurrent.futures

    from tests.conftest import posted, served_as
    with served_as(app, world["admin"]) as (base, opener):
        token = csrf_token_from(opener.open(f"{base}/admin/users/new", timeout=60).read().decode())
        fields = {"email": "double@district.org", "name": "Double", "role": "supervisor", "csrf_token": token}
        with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
            statuses = sorted(pool.map(lambda _: posted(opener, f"{base}/admin/users/new", fields), range(6)))
    assert statuses == [200] + [422] * 5, statuses
    assert User.select().where(User.email == "double@district.org").count() == 1


def _trail_rows(response):
    """The text of the audit trail's rows (not its filters)."""
    return page_text(response).split("<tbody>", 1)[-1] if response.status_code == 200 else ""


def test_the_audit_trail_says_what_was_done_in_the_readers_words(app, login_as, auth, world):
    """The "What" column showed codes (login.failed, user.add) and the filter asked for them typed."""
    log_in(app.test_client(), world["officer"].email, "wrong-guess-again-1")
    admin = login_as("admin")
    auth.post("/account/language", data={"language": "es"})
    page = auth.client.get("/admin/audit")
    rows = _trail_rows(page)
    assert "Inicio de sesión fallido" in rows and "login.failed" not in rows
    assert '<option value="login.failed">Inicio de sesión fallido</option>' in page.get_data(as_text=True)
    # A code chosen is that action only: a wrong second-step code is not a failed log-in.
    AuditEvent.create(user=None, action="login.failed_code", object_type="user", object_id=str(admin.id))
    only = _trail_rows(auth.client.get("/admin/audit?action=login.failed"))
    assert "Inicio de sesión fallido" in only and "Código del segundo paso incorrecto" not in only


def test_every_audited_action_has_a_label():
    """Each action code the code writes to the audit trail is named on the screen."""
    import pathlib
    from fieldapp import codes
    source = "\n".join(p.read_text() for p in pathlib.Path("fieldapp").rglob("*.py"))
    written = set(re.findall(r'audit\.record\([^,]+, "([a-z_.]+)"', source))
    written |= set(re.findall(r'action="([a-z_]+\.[a-z_.]+)", object_type', source))
    written |= set(re.findall(r'"action": "([a-z_]+\.[a-z_.]+)"', source))
    written |= {"login.failed", "login.throttled", "login.locked.account", "login.locked.address"}
    assert written and written <= set(codes.AUDIT_ACTIONS), written - set(codes.AUDIT_ACTIONS)


def test_an_accounts_audit_lines_say_each_change_in_words(login_as, auth, world):
    """Before → after names each field and says its values as the user's page
    does: the role's label, the schools' names, active or deactivated."""
    login_as("admin")
    officer = world["officer"]
    assert auth.post(f"/admin/users/{officer.id}", data={"role": "supervisor"}).status_code == 302
    auth.post(f"/admin/users/{officer.id}/deactivate", {"confirmed": "yes"})
    for page in (page_text(auth.client.get("/admin/audit")), page_text(auth.client.get(f"/admin/users/{officer.id}"))):
        assert "Role: Attendance officer → Supervisor" in page
        assert "Schools: Lincoln Elementary → none" in page
        assert "Account: active → deactivated" in page
        for raw in ("role: officer", "active: True", "schools: ["):
            assert raw not in page
