"""One open case per student, also when the form is sent twice at once (a
double tap on a slow phone): the database keeps the promise, and the request
that lost is told the student already has an open case, never a 500."""
import concurrent.futures
import http.cookiejar
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from peewee import IntegrityError
from werkzeug.serving import make_server

from fieldapp.db import database
from fieldapp.models import Case
from tests import factories
from tests.conftest import csrf_token_from


@pytest.mark.parametrize("round_", range(4))
def test_the_same_case_opened_six_times_at_once_is_opened_once(app, world, round_):
    student = factories.gen_student(world["school_a"])
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_port}"
    try:
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = opener.open(f"{base}/login", timeout=60).read().decode()
        opener.open(f"{base}/login", timeout=120, data=urllib.parse.urlencode({
            "email": world["officer"].email, "password": factories.PASSWORD,
            "csrf_token": csrf_token_from(page)}).encode())
        form = opener.open(f"{base}/students/{student.id}/cases/new", timeout=60).read().decode()
        body = urllib.parse.urlencode({"stage": "monitoring", "note": "Twice",
                                       "csrf_token": csrf_token_from(form)}).encode()

        def open_case(_):
            try:
                return opener.open(urllib.request.Request(
                    f"{base}/students/{student.id}/cases/new", data=body), timeout=120).status
            except urllib.error.HTTPError as answer:
                return answer.code
        with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
            statuses = list(pool.map(open_case, range(6)))
    finally:
        httpd.shutdown()
        thread.join(5)
    assert 500 not in statuses, statuses
    assert Case.select().where(Case.student == student, Case.status == "open").count() == 1


def test_the_database_itself_refuses_a_second_open_case(world):
    case = world["case_a"]
    with pytest.raises(IntegrityError):
        with database.atomic():
            Case.create(student=case.student_id, school=case.school_id, school_year=case.school_year,
                        stage="monitoring", opened_by=world["officer"])
    # A closed case beside the open one is fine.
    Case.create(student=case.student_id, school=case.school_id, school_year=case.school_year,
                stage="monitoring", opened_by=world["officer"], status="closed")
