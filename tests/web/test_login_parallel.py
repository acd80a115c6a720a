"""Log-in throttling under real parallel requests, against a real threaded
server on the test database (SQLite, or PostgreSQL with TEST_DATABASE_URL):
no guess is counted twice or lost, no request fails, and no more passwords
are checked than the limit allows."""
import concurrent.futures
import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
from werkzeug.serving import make_server

from fieldapp.models import AuditEvent, RateLimitCounter


@pytest.fixture
def server(app):
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(5)


def guess(base, email, password):
    """One browser: fetch the form, post a guess; return the status code."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(f"{base}/login", timeout=60).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"email": email, "password": password,
                                   "csrf_token": token}).encode()
    try:
        return opener.open(f"{base}/login", data=body, timeout=120).status
    except urllib.error.HTTPError as answer:
        return answer.code


def in_parallel(count, *args):
    with concurrent.futures.ThreadPoolExecutor(max_workers=count) as pool:
        return [f.result() for f in [pool.submit(guess, *args) for _ in range(count)]]


def test_twenty_parallel_guesses_check_only_the_allowed_number_of_passwords(server, app, world,
                                                                           monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES", 5)
    statuses = in_parallel(20, server, world["officer"].email, "parallel-wrong-guess-1")
    assert statuses == [401] * 20
    assert AuditEvent.select().where(AuditEvent.action == "login.failed").count() == 5
    assert AuditEvent.select().where(AuditEvent.action == "login.throttled").count() == 15
    counts = sorted(row.count for row in RateLimitCounter.select())
    assert 20 in counts  # every attempt counted once, none lost


def test_parallel_first_failures_for_a_new_email_never_fail(server, app, world):
    statuses = in_parallel(12, server, "never-seen-before@test.example", "parallel-wrong-guess-1")
    assert statuses == [401] * 12


def test_with_the_counters_in_redis_parallel_guesses_are_counted_the_same(other_app, world):
    """RATELIMIT_STORAGE_URI=redis://: the same limits, counted in the real Redis."""
    import redis
    prefix = f"fieldapp-test-{uuid.uuid4().hex}"
    app = other_app({"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
                     "RATELIMIT_KEY_PREFIX": prefix, "LOGIN_MAX_FAILURES": 5})
    store = redis.Redis(host="127.0.0.1")

    def forget():
        keys = store.keys(f"*{prefix}*")
        if keys:
            store.delete(*keys)
        return keys
    forget()
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        statuses = in_parallel(20, f"http://127.0.0.1:{httpd.server_port}", world["officer"].email,
                               "parallel-wrong-guess-1")
    finally:
        httpd.shutdown()
        thread.join(5)
        keys = forget()
    assert statuses == [401] * 20
    actions = [e.action for e in AuditEvent.select()]
    assert actions.count("login.failed") == 5, actions
    assert RateLimitCounter.select().count() == 0  # nothing counted in the database
    assert keys, "nothing was counted in Redis"
