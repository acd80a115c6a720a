"""Every view of a student's record is written down, and a supervisor can read who looked."""
import datetime

from fieldapp.models import AccessLog, utcnow
from tests.conftest import Auth
from tests.web.conftest import ROLES, WORLD_USER, page_text, sign_in


def test_each_view_of_a_record_writes_who_when_and_where(client, world, login_as):
    student = world["student_a"]
    before = utcnow() - datetime.timedelta(seconds=1)
    officer = login_as("officer")
    assert client.get(f"/students/{student.id}").status_code == 200
    assert client.get(f"/students/{student.id}", headers={"HX-Request": "true",
                                                          "HX-Boosted": "true"}).status_code == 200
    rows = list(AccessLog.select().where(AccessLog.student == student).order_by(AccessLog.id))
    assert [(r.user_id, r.action, r.path) for r in rows] == [
        (officer.id, "view", f"/students/{student.id}")] * 2
    assert all(before <= r.at <= utcnow() + datetime.timedelta(seconds=1) for r in rows)


def test_every_role_that_can_open_a_record_is_logged(app, world):
    student = world["student_a"]
    for role in ROLES:
        client = app.test_client()
        sign_in(client, Auth(client), world[WORLD_USER[role]])
        assert client.get(f"/students/{student.id}").status_code == 200
    logged = [r.user_id for r in AccessLog.select().where(AccessLog.student == student)
              .order_by(AccessLog.id)]
    assert logged == [world[WORLD_USER[role]].id for role in ROLES]


def test_a_refused_or_missing_record_discloses_nothing_and_logs_nothing(client, world, login_as):
    login_as("officer")
    assert client.get(f"/students/{world['student_b'].id}").status_code == 403
    assert client.get("/students/987654").status_code == 404
    assert AccessLog.select().count() == 0


def test_supervisor_reads_who_viewed_the_record(app, client, world, login_as):
    student = world["student_a"]
    officer_client = app.test_client()
    sign_in(officer_client, Auth(officer_client), world["officer"])
    officer_client.get(f"/students/{student.id}")
    login_as("supervisor")
    page = client.get(f"/students/{student.id}/access-log")
    assert page.status_code == 200
    text = page_text(page)
    assert world["officer"].name in text and "Attendance officer" in text
    assert "No views recorded" not in text
    # The supervisor's link to the log is on the record itself.
    record = page_text(client.get(f"/students/{student.id}"))
    assert f"/students/{student.id}/access-log" in record


def test_access_log_is_newest_first_and_per_student(app, client, world, login_as):
    for role_user in ("officer", "front"):
        other = app.test_client()
        sign_in(other, Auth(other), world[role_user])
        other.get(f"/students/{world['student_a'].id}")
    login_as("supervisor")
    text = page_text(client.get(f"/students/{world['student_a'].id}/access-log"))
    assert text.index(world["front"].name) < text.index(world["officer"].name)
    other_log = page_text(client.get(f"/students/{world['student_b'].id}/access-log"))
    assert world["officer"].name not in other_log
    assert "No views recorded" in other_log


def test_the_address_in_the_log_cannot_be_forged_by_a_header(client, world, login_as):
    """Without a proxy configured, X-Forwarded-For is whatever the client says."""
    login_as("officer")
    client.get(f"/students/{world['student_a'].id}",
               headers={"X-Forwarded-For": "203.0.113.66"}, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert AccessLog.get().ip == "10.1.2.3"


def test_behind_a_trusted_proxy_the_log_keeps_the_visitors_address(other_app, world):
    behind = other_app({"TRUSTED_PROXIES": 1})
    client = behind.test_client()
    sign_in(client, Auth(client), world["officer"])
    client.get(f"/students/{world['student_a'].id}",
               headers={"X-Forwarded-For": "203.0.113.66, 198.51.100.7"},
               environ_base={"REMOTE_ADDR": "10.0.0.2"})  # the proxy
    # One proxy: only the address it appended is trusted.
    assert AccessLog.get().ip == "198.51.100.7"
