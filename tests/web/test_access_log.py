"""Every view of a student's record is written down, and a supervisor can read who looked."""
import datetime

import pytest

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


# -- reading the log: paging, filters, the phone's automatic copies ------------------

def _lines(student, user, action, count, start, step_minutes=1):
    """count access lines, one every step_minutes from start (UTC), oldest first."""
    rows = [{"user": user.id, "student": student.id, "action": action, "path": "/x", "ip": "10.0.0.1",
             "at": start + datetime.timedelta(minutes=i * step_minutes)} for i in range(count)]
    AccessLog.insert_many(rows).execute()


def test_a_disclosure_is_on_the_first_page_after_days_of_automatic_copies(client, world, login_as):
    student, officer = world["student_a"], world["officer"]
    start = utcnow() - datetime.timedelta(days=3)
    _lines(student, world["supervisor"], "disclose", 1, start - datetime.timedelta(hours=1))
    _lines(student, officer, "offline copy", 600, start, step_minutes=7)  # three days of refreshes
    _lines(student, officer, "view", 1, start + datetime.timedelta(hours=30))
    login_as("supervisor")
    text = page_text(client.get(f"/students/{student.id}/access-log"))
    assert ">Disclosed: a copy handed out</td>" in text and ">Read the record</td>" in text
    assert text.count('class="automatic"') <= 5  # grouped by day, not 600 lines
    assert "automatic offline copies" in text
    assert "Older lines" not in text


def test_the_log_pages_fifty_lines_at_a_time(client, world, login_as):
    student = world["student_a"]
    _lines(student, world["officer"], "view", 120, utcnow() - datetime.timedelta(days=1))
    login_as("supervisor")
    first = client.get(f"/students/{student.id}/access-log")
    assert page_text(first).count(">Read the record</td>") == 50
    import re
    after = re.search(r'href="([^"]+after=\d+[^"]*)"', page_text(first)).group(1).replace("&amp;", "&")
    second = page_text(client.get(after))
    assert second.count(">Read the record</td>") == 50
    after = re.search(r'href="([^"]+after=\d+[^"]*)"', second).group(1).replace("&amp;", "&")
    third = client.get(after, headers={"HX-Request": "true"})
    assert page_text(third).count(">Read the record</td>") == 20 and "Older lines" not in page_text(third)
    assert "<h1>" not in page_text(third)  # the rows alone, for HTMX


def test_the_log_filters_by_what_who_and_when(client, world, login_as):
    student = world["student_a"]
    now = utcnow()
    _lines(student, world["officer"], "view", 3, now - datetime.timedelta(days=10))
    _lines(student, world["front"], "view", 2, now - datetime.timedelta(hours=2))
    _lines(student, world["supervisor"], "disclose", 1, now - datetime.timedelta(hours=3))
    login_as("supervisor")
    url = f"/students/{student.id}/access-log"
    assert page_text(client.get(url + "?action=disclose")).count(">Disclosed: a copy handed out</td>") == 1
    assert ">Read the record</td>" not in page_text(client.get(url + "?action=disclose"))
    by_front = page_text(client.get(url + f"?user={world['front'].id}"))
    assert by_front.count(">Read the record</td>") == 2
    recent = page_text(client.get(url + f"?date_from={(now - datetime.timedelta(days=2)).date()}"))
    assert recent.count(">Read the record</td>") == 2


@pytest.mark.parametrize("query,field", [("action=peek", "action"), ("user=²", "user"),
                                         ("date_from=2026-02-30", "date_from"),
                                         ("date_to=99999-01-01", "date_to"),
                                         ("date_from=2026-05-02&date_to=2026-05-01", "date_to")])
def test_a_bad_filter_is_a_message_next_to_it(client, world, login_as, query, field):
    login_as("supervisor")
    response = client.get(f"/students/{world['student_a'].id}/access-log?{query}")
    assert response.status_code == 422
    assert f'id="{field}-error"' in page_text(response)
